/**
 * What the RPC layer costs per call, per transport, against calling the engine's handler directly in the same
 * process (the baseline). Also the job queue's per-item overhead against a bare loop of the same work.
 * Prints ratios; asserts nothing.
 */
import { MessageChannel } from 'node:worker_threads';
import { messagePortChannel } from '../../main/api/channels';
import type { MessagePortLike } from '../../main/api/channels';
import { createApiClient } from '../../main/api/client';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import { createHandlers } from '../../main/engine/handlers';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { startWebServer } from '../../main/engine/transports/webServer';
import type { JobDefinition } from '../../main/jobs/jobDefinition';
import { JobQueue } from '../../main/jobs/jobQueue';
import { z } from 'zod';
import { makeTempDir } from '../support/tempDir';
import { connectWebSocket } from '../support/wsClient';

const CALLS = 5_000;
const ITEMS = 5_000;

async function time(label: string, n: number, body: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 200; i++) await body(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await body();
  const perCallUs = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label.padEnd(34)} ${perCallUs.toFixed(1).padStart(8)} µs/call`);
  return perCallUs;
}

const dir = makeTempDir('codepercept-bench-');
const engine = createEngine({
  dataDir: dir.path,
  command: 'bench',
  log: () => {},
  environmentChecks: async () => [],
});
const handlers = createHandlers({
  store: engine.store,
  jobs: engine.jobs,
  render: engine.render,
  catalog: engine.catalog,
  version: 'bench',
  startedAt: Date.now(),
  stats: () => engine.rpc.stats,
  environment: async () => ({ checks: [], checkedAt: 0 }),
});
const signal = new AbortController().signal;

console.log(`RPC round trip of settings.get, ${CALLS} sequential calls`);
const baseline = await time('direct handler call (baseline)', CALLS, async () => {
  await handlers['settings.get']({}, { signal, emitChunk: () => {}, transport: 'direct' });
});

const server = await startWebServer({
  engine,
  host: '127.0.0.1',
  port: 0,
  rendererDir: 'out/renderer',
  log: () => {},
});
const { port1, port2 } = new MessageChannel();
engine.connect(messagePortChannel(port1 as unknown as MessagePortLike), 'messageport');
const clients: [string, ApiClient][] = [
  ['in-process', connectInProcess(engine)],
  ['MessagePort (worker_threads)', createApiClient(messagePortChannel(port2 as unknown as MessagePortLike))],
  ['WebSocket (loopback)', await connectWebSocket(server.port, server.token)],
];
for (const [name, client] of clients) {
  const us = await time(name, CALLS, async () => {
    await client.call('settings.get', {});
  });
  console.log(`${''.padEnd(34)} ratio to baseline: ${(us / baseline).toFixed(1)}×`);
  client.close();
}
await server.close();

console.log(`\nJob queue: ${ITEMS} no-op items, persisted one transaction per item`);
const noop: JobDefinition<Record<string, never>> = {
  type: 'bench.noop',
  paramsSchema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  title: () => 'no-op',
  plan: () => Array.from({ length: ITEMS }, (_, i) => `item-${i}`),
  runItem: async (ctx) => ({ index: ctx.index }),
};
const bareStart = process.hrtime.bigint();
for (let i = 0; i < ITEMS; i++)
  await noop.runItem({ jobId: 'x', params: {}, signal, index: i, key: `item-${i}`, attempt: 1 });
const bareUs = Number(process.hrtime.bigint() - bareStart) / 1000 / ITEMS;
const queue = new JobQueue({ db: engine.store.db, onProgress: () => {} });
queue.register(noop);
const queuedStart = process.hrtime.bigint();
const job = queue.start('bench.noop', {});
await queue.waitFor(job.id);
const queuedUs = Number(process.hrtime.bigint() - queuedStart) / 1000 / ITEMS;
console.log(`${'bare loop (baseline)'.padEnd(34)} ${bareUs.toFixed(1).padStart(8)} µs/item`);
console.log(
  `${'JobQueue, persisted'.padEnd(34)} ${queuedUs.toFixed(1).padStart(8)} µs/item  ` +
    `(${(1e6 / queuedUs).toFixed(0)} items/s, ratio ${(queuedUs / bareUs).toFixed(0)}×)`,
);

await queue.dispose();
await engine.dispose();
dir.cleanup();
