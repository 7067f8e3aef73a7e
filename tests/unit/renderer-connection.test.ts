import { describe, expect, it } from 'vitest';
import { rpcSocketUrl, takeAccessToken } from '../../renderer/src/api/accessToken';
import type { TokenEnvironment } from '../../renderer/src/api/accessToken';
import { describeError } from '../../renderer/src/api/describeError';

function environment(href: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['codepercept.token', stored]] : []);
  const replaced: string[] = [];
  const env: TokenEnvironment = {
    location: { href },
    history: { state: null, replaceState: (_state, _title, url) => void replaced.push(String(url)) },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { env, storage, replaced };
}

describe('takeAccessToken', () => {
  it('takes the token from the URL, stores it, and removes it from the address bar', () => {
    const { env, storage, replaced } = environment('http://127.0.0.1:4000/?token=abc-DEF_1&x=1#/jobs');
    expect(takeAccessToken(env)).toBe('abc-DEF_1');
    expect(storage.get('codepercept.token')).toBe('abc-DEF_1');
    expect(replaced).toEqual(['/?x=1#/jobs']);
  });

  it('falls back to the stored token after a reload', () => {
    const { env, replaced } = environment('http://127.0.0.1:4000/#/jobs', 'stored');
    expect(takeAccessToken(env)).toBe('stored');
    expect(replaced).toEqual([]);
  });

  it('prefers a new token in the URL over a stale stored one', () => {
    const { env, storage } = environment('http://127.0.0.1:4000/?token=fresh', 'stale');
    expect(takeAccessToken(env)).toBe('fresh');
    expect(storage.get('codepercept.token')).toBe('fresh');
  });

  it('returns null when there is none', () => {
    expect(takeAccessToken(environment('http://127.0.0.1:4000/').env)).toBeNull();
  });
});

describe('rpcSocketUrl', () => {
  it('uses ws on http and wss on https, on the page origin', () => {
    expect(rpcSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b')).toBe(
      'ws://127.0.0.1:4000/rpc?token=a%20b',
    );
    expect(rpcSocketUrl({ protocol: 'https:', host: 'lab.example:8443' }, 't')).toBe(
      'wss://lab.example:8443/rpc?token=t',
    );
  });
});

describe('describeError', () => {
  it('reads code, message and hint from an ApiError-shaped value', () => {
    expect(describeError({ code: 'CONFLICT', message: 'Job is done.', hint: 'Start a new one.' })).toEqual({
      code: 'CONFLICT',
      message: 'Job is done.',
      hint: 'Start a new one.',
    });
  });

  it('handles plain errors and thrown strings', () => {
    expect(describeError(new Error('boom'))).toEqual({ code: null, message: 'boom', hint: null });
    expect(describeError('nope')).toEqual({ code: null, message: 'nope', hint: null });
  });
});
