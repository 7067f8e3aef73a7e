import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { startWebServer } from '../../main/engine/transports/webServer';
import type { WebServer } from '../../main/engine/transports/webServer';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { connectWebSocket } from '../support/wsClient';

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (e) => {
      if (!/Unexpected server response/.test(String(e))) reject(e);
    });
  });
}

function httpGet(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw frames over an authorised socket and collects what the engine answers. */
async function rawExchange(url: string, frames: string[], expectReplies: number): Promise<unknown[]> {
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  const replies: unknown[] = [];
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      replies.push(JSON.parse(data.toString()));
      if (replies.length >= expectReplies) resolve();
    });
  });
  for (const f of frames) ws.send(f);
  await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
  ws.close();
  return replies;
}

describe('codepercept serve: WebSocket and HTTP guards', () => {
  const dir = makeTempDir();
  let engine: Engine;
  let server: WebServer;
  let base: string;

  beforeAll(async () => {
    engine = createEngine({
      dataDir: dir.path,
      command: 'security test',
      log: () => {},
      environmentChecks: async () => [],
    });
    server = await startWebServer({
      engine,
      host: '127.0.0.1',
      port: 0,
      rendererDir: 'out/renderer',
      log: () => {},
    });
    base = `ws://127.0.0.1:${server.port}/rpc`;
  });

  afterAll(async () => {
    await server.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('prints a URL that carries a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{32}$`));
  });

  it('refuses a missing token', async () => {
    expect(await upgradeStatus(base)).toBe(401);
  });

  it('refuses a wrong token', async () => {
    expect(await upgradeStatus(`${base}?token=${'x'.repeat(server.token.length)}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=short`)).toBe(401);
  });

  it('accepts the right token with no Origin (CLI) or a loopback Origin (the served page)', async () => {
    expect(await upgradeStatus(`${base}?token=${server.token}`)).toBe(101);
    expect(
      await upgradeStatus(`${base}?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` }),
    ).toBe(101);
    expect(
      await upgradeStatus(`${base}?token=${server.token}`, { Origin: `http://localhost:${server.port}` }),
    ).toBe(101);
  });

  it('refuses non-loopback and foreign Origins even with the right token', async () => {
    const url = `${base}?token=${server.token}`;
    expect(await upgradeStatus(url, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: `http://192.168.1.20:${server.port}` })).toBe(403);
    expect(await upgradeStatus(url, { Origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: 'null' })).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(
      await upgradeStatus(`${base}?token=${server.token}`, { Host: `attacker.example:${server.port}` }),
    ).toBe(421);
    const page = await httpGet(server.port, '/', `attacker.example:${server.port}`);
    expect(page.status).toBe(421);
  });

  it('serves the UI with a strict CSP and never files outside the build', async () => {
    const page = await httpGet(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const escape = await httpGet(server.port, '/%2e%2e/%2e%2e/package.json');
    expect(escape.body).not.toContain('"devDependencies"');
  });

  it('survives a client that vanishes mid-stream and frees its calls', async () => {
    const ws = new WebSocket(`${base}?token=${server.token}`);
    await new Promise((r) => ws.once('open', r));
    const chunks: unknown[] = [];
    ws.on('message', (d: Buffer) => chunks.push(JSON.parse(d.toString())));
    ws.send(
      JSON.stringify({
        t: 'q',
        m: 'call',
        a: ['demo.ticks', { count: 10_000, intervalMs: 5 }, { callId: 'long' }],
        i: 'r1',
      }),
    );
    await waitFor('a few chunks', () => chunks.length >= 3);
    ws.terminate();
    await waitFor(
      'engine to drop the call',
      () => engine.rpc.stats.activeCalls === 0 && engine.rpc.stats.connections === 0,
    );
    const client = await connectWebSocket(server.port, server.token);
    expect((await client.call('system.health', {})).ok).toBe(true);
    client.close();
  });

  it('answers malformed frames with typed errors and keeps serving', async () => {
    const url = `${base}?token=${server.token}`;
    const replies = (await rawExchange(
      url,
      [
        'not json at all',
        'null',
        JSON.stringify({ t: 'q', m: 'constructor', a: [], i: 'r1' }),
        JSON.stringify({ t: 'q', m: 'call', a: ['no.such.method', {}, { callId: 'c1' }], i: 'r2' }),
        JSON.stringify({ t: 'q', m: 'call', a: ['jobs.get', { id: 42 }, { callId: 'c2' }], i: 'r3' }),
        JSON.stringify({ t: 'q', m: 'call', a: ['system.health', {}, {}], i: 'r4' }),
        JSON.stringify({ t: 'q', m: 'call', a: ['system.health', {}, { callId: 'c3' }], i: 'r5' }),
      ],
      7,
    )) as {
      t: string;
      m?: string;
      a?: [{ code: string }];
      i?: string;
      e?: { code: string };
      r?: { ok: boolean };
    }[];
    const protocolErrors = replies.filter((r) => r.m === 'protocolError').map((r) => r.a![0].code);
    expect(protocolErrors).toEqual(['INVALID_MESSAGE', 'INVALID_MESSAGE']);
    const byId = Object.fromEntries(replies.filter((r) => r.i).map((r) => [r.i, r]));
    expect(byId.r1?.e?.code).toBe('UNKNOWN_METHOD');
    expect(byId.r2?.e?.code).toBe('UNKNOWN_METHOD');
    expect(byId.r3?.e?.code).toBe('INVALID_PARAMS');
    expect(byId.r4?.e?.code).toBe('INVALID_MESSAGE');
    expect(byId.r5?.r?.ok).toBe(true);
  });
});
