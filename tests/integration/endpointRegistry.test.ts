/** Endpoint settings in a real SQLite store, tested against a real local HTTP server. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EndpointRegistry } from '../../main/models/endpointRegistry';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

let server: Server;
let baseUrl: string;
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ id: 'qwen3-vl-8b' }] }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

it('stores endpoints, never shows the API key, keeps it when a save leaves it out, and tests connections', async () => {
  const dir = makeTempDir('codepercept-endpoints-');
  let store = openWorkbenchStore(dir.path, 'endpoint test');
  try {
    const registry = new EndpointRegistry(store.db);
    const saved = registry.save({ name: 'lab-a100', baseUrl, model: 'qwen3-vl-8b', apiKey: 'sk-secret' });
    expect(saved).toMatchObject({ name: 'lab-a100', hasApiKey: true, maxConcurrency: 4, retries: 3 });
    expect(JSON.stringify(registry.list())).not.toContain('sk-secret');
    // settings.get must not carry endpoints (nor their keys) either.
    expect(JSON.stringify(store.settings.get())).not.toContain('sk-secret');

    registry.save({ name: 'lab-a100', baseUrl, model: 'qwen3-vl-8b', maxConcurrency: 8 });
    expect(registry.get('lab-a100')).toMatchObject({ apiKey: 'sk-secret', maxConcurrency: 8 });

    const test = await registry.test({ name: 'lab-a100' });
    expect(test).toMatchObject({ ok: true, models: ['qwen3-vl-8b'] });
    expect(authorizations.at(-1)).toBe('Bearer sk-secret');

    // Testing unsaved settings uses the stored key for the same name unless a new one is given.
    const unsaved = await registry.test({ name: 'lab-a100', baseUrl, model: 'other', apiKey: 'sk-new' });
    expect(unsaved.ok).toBe(false);
    expect(authorizations.at(-1)).toBe('Bearer sk-new');
    expect(registry.get('lab-a100').apiKey).toBe('sk-secret');

    // One shared engine per endpoint (one concurrency limit), replaced when the settings change.
    const engine = registry.engine('lab-a100');
    expect(registry.engine('lab-a100')).toBe(engine);
    registry.save({ name: 'lab-a100', baseUrl, model: 'qwen3-vl-8b', apiKey: null });
    expect(registry.engine('lab-a100')).not.toBe(engine);
    expect(registry.get('lab-a100').apiKey).toBeNull();

    expect(() => registry.save({ name: 'bad', baseUrl: 'not a url', model: 'x' })).toThrow();
    expect(() => registry.get('missing')).toThrow('No endpoint named "missing"');

    // Survives a restart.
    store.close();
    store = openWorkbenchStore(dir.path, 'endpoint test');
    const reopened = new EndpointRegistry(store.db);
    expect(reopened.list().map((e) => e.name)).toEqual(['lab-a100']);
    expect(reopened.remove('lab-a100')).toBe(true);
    expect(reopened.remove('lab-a100')).toBe(false);
    expect(reopened.list()).toEqual([]);
  } finally {
    store.close();
    dir.cleanup();
  }
});
