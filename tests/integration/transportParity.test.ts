import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagePortChannel } from '../../main/api/channels';
import type { MessagePortLike } from '../../main/api/channels';
import { createApiClient } from '../../main/api/client';
import type { ApiClient } from '../../main/api/client';
import type { ApiError } from '../../main/api/errors';
import type { JobSnapshot } from '../../main/api/jobs';
import type { MethodName } from '../../main/api/contract';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { startWebServer } from '../../main/engine/transports/webServer';
import type { WebServer } from '../../main/engine/transports/webServer';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { connectWebSocket } from '../support/wsClient';

interface Transport {
  name: string;
  expectedTransport: string;
  connect(engine: Engine): Promise<{ client: ApiClient; cleanup: () => Promise<void> }>;
}

const transports: Transport[] = [
  {
    name: 'in-process',
    expectedTransport: 'in-process',
    connect: async (engine) => {
      const client = connectInProcess(engine);
      return { client, cleanup: async () => client.close() };
    },
  },
  {
    name: 'WebSocket',
    expectedTransport: 'websocket',
    connect: async (engine) => {
      const server: WebServer = await startWebServer({
        engine,
        host: '127.0.0.1',
        port: 0,
        rendererDir: 'out/renderer',
        log: () => {},
      });
      const client = await connectWebSocket(server.port, server.token);
      return {
        client,
        cleanup: async () => {
          client.close();
          await server.close();
        },
      };
    },
  },
  {
    // worker_threads' MessageChannel stands in for Electron's MessageChannelMain: same structured-clone ports.
    name: 'MessagePort',
    expectedTransport: 'messageport',
    connect: async (engine) => {
      const { port1, port2 } = new MessageChannel();
      engine.connect(messagePortChannel(port1 as unknown as MessagePortLike), 'messageport');
      const client = createApiClient(messagePortChannel(port2 as unknown as MessagePortLike));
      return { client, cleanup: async () => client.close() };
    },
  },
];

describe.each(transports)('API over $name', (transport) => {
  let engine: Engine;
  let client: ApiClient;
  let cleanup: () => Promise<void>;
  const dir = makeTempDir();

  beforeAll(async () => {
    engine = createEngine({
      dataDir: dir.path,
      command: 'transport parity test',
      log: () => {},
      // Environment probing is tested on its own; here it must be fast and fixed.
      environmentChecks: async () => [
        { id: 'python', label: 'Python', status: 'ok', detail: 'stub for transport tests' },
      ],
    });
    ({ client, cleanup } = await transport.connect(engine));
  });

  afterAll(async () => {
    await cleanup();
    await engine.dispose();
    dir.cleanup();
  });

  it('answers hello and health', async () => {
    const hello = await client.hello();
    expect(hello.engineVersion).toBe(engine.version);
    const health = await client.call('system.health', {});
    expect(health.ok).toBe(true);
    expect(health.connections).toBeGreaterThanOrEqual(1);
  });

  it('reports which transport carries it and where the data lives', async () => {
    const info = await client.call('system.info', {});
    expect(info.transport).toBe(transport.expectedTransport);
    expect(info.dataDir).toBe(dir.path);
    expect(info.checks.map((c) => c.id)).toEqual(['python']);
  });

  it('round-trips settings through the store', async () => {
    const updated = await client.call('settings.update', {
      theme: 'dark',
      pythonPath: '/usr/bin/python3',
    });
    expect(updated).toEqual({ theme: 'dark', pythonPath: '/usr/bin/python3' });
    expect(await client.call('settings.get', {})).toEqual(updated);
  });

  it('refuses a Python path that is not a Python with matplotlib, keeping the stored one', async () => {
    for (const [path, why] of [
      ['/bin/sh', /is not a Python interpreter/],
      ['/opt/py/bin/python3', /does not exist/],
      ['python3', /not an absolute path/],
    ] as const) {
      const error = (await client
        .call('settings.update', { pythonPath: path })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe('INVALID_PARAMS');
      expect(error.message).toMatch(/^pythonPath: /);
      expect(error.message).toMatch(why);
    }
    expect((await client.call('settings.get', {})).pythonPath).toBe('/usr/bin/python3');
  });

  it('rejects invalid params with a typed error naming the field', async () => {
    const error = (await client
      .call('settings.update', { theme: 'neon' as 'dark' })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toContain('theme');
  });

  it('rejects an unknown method with UNKNOWN_METHOD', async () => {
    const error = (await client
      .call('nope.nothing' as MethodName, {} as never)
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('UNKNOWN_METHOD');
  });

  it('carries typed errors raised by handlers', async () => {
    const error = (await client.call('jobs.get', { id: 'missing' }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('missing');
  });

  it('streams chunks in order, then the result', async () => {
    const chunks: number[] = [];
    const result = await client.call(
      'demo.ticks',
      { count: 5, intervalMs: 1 },
      { onChunk: (c) => chunks.push(c.index) },
    );
    expect(chunks).toEqual([0, 1, 2, 3, 4]);
    expect(result).toEqual({ emitted: 5 });
  });

  it('cancels across the boundary: the engine stops the call', async () => {
    const controller = new AbortController();
    const chunks: number[] = [];
    const pending = client.call(
      'demo.ticks',
      { count: 10_000, intervalMs: 10 },
      {
        signal: controller.signal,
        onChunk: (c) => {
          chunks.push(c.index);
          if (chunks.length === 3) controller.abort();
        },
      },
    );
    const error = (await pending.catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('CANCELLED');
    // The engine-side call really ended (not just the client's promise): nothing left in flight.
    await waitFor(
      'engine to drop the cancelled call',
      async () => (await client.call('system.health', {})).activeCalls === 0,
    );
    const seen = chunks.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(chunks.length).toBe(seen);
    expect(seen).toBeLessThan(20);
  });

  it('pushes job progress events until the job is done', async () => {
    const events: JobSnapshot[] = [];
    const off = client.on('jobs.progress', (s) => events.push(s));
    const job = await client.call('jobs.start', { type: 'demo.count', params: { items: 8, delayMs: 5 } });
    await waitFor('job done event', () => events.some((e) => e.id === job.id && e.state === 'done'));
    off();
    const mine = events.filter((e) => e.id === job.id);
    const last = mine.at(-1)!;
    expect(last).toMatchObject({ state: 'done', done: 8, total: 8, failed: 0 });
    // Progress only grows.
    const dones = mine.map((e) => e.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
  });
});
