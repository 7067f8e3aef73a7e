/** Endpoint settings in a real SQLite store, tested against a real local HTTP server. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { EndpointRegistry } from '../../main/models/endpointRegistry';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

let server: Server;
let baseUrl: string;
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.url === '/v1/chat/completions') {
      req.resume();
      if (req.headers.authorization === 'Bearer sk-wrong') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'bad key' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of ['fig', '.show()'])
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
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

it('serves endpoints over the API and chats through one with models.chat id "openai:<name>"', async () => {
  const dir = makeTempDir('codepercept-endpoints-rpc-');
  const engine = createEngine({
    dataDir: dir.path,
    command: 'endpoint rpc test',
    log: () => {},
    environmentChecks: async () => [],
  });
  try {
    const client = connectInProcess(engine);
    await client.call('endpoints.save', { name: 'lab', baseUrl, model: 'qwen3-vl-8b', apiKey: 'sk-secret' });
    const listed = await client.call('endpoints.list', {});
    expect(listed).toEqual([expect.objectContaining({ name: 'lab', hasApiKey: true })]);
    expect(JSON.stringify(listed)).not.toContain('sk-secret');
    expect(await client.call('endpoints.test', { name: 'lab' })).toMatchObject({ ok: true });

    const chunks: string[] = [];
    const result = await client.call(
      'models.chat',
      { id: 'openai:lab', request: { messages: [{ role: 'user', content: 'draw' }] } },
      { onChunk: (c) => chunks.push(c.text) },
    );
    expect(chunks).toEqual(['fig', '.show()']);
    expect(result).toMatchObject({ text: 'fig.show()', stopReason: 'eos' });

    await client.call('endpoints.save', { name: 'lab', baseUrl, model: 'qwen3-vl-8b', apiKey: 'sk-wrong' });
    await expect(
      client.call('models.chat', {
        id: 'openai:lab',
        request: { messages: [{ role: 'user', content: 'x' }] },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('HTTP 401: bad key') });
    await expect(
      client.call('models.chat', {
        id: 'openai:nope',
        request: { messages: [{ role: 'user', content: 'x' }] },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await client.call('endpoints.remove', { name: 'lab' })).toEqual({ removed: true });
  } finally {
    await engine.dispose();
    dir.cleanup();
  }
});
