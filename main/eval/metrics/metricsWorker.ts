import { parentPort } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { COMPUTED_METRIC_VERSIONS, METRICS_PROTOCOL_VERSION, metricsRequestSchema } from './metricsProtocol';
import type { MetricsReply, MetricsTask } from './metricsProtocol';
import { pairMetrics } from './pairMetrics';
import { compareRenders } from './renderComparison';

/**
 * A metrics worker thread (MetricsPool starts them; bundled as out/node/metricsWorker.js and
 * out/main/metricsWorker.js). One task at a time: the pool hands out the next only after a reply.
 */
if (!parentPort) throw new Error('metricsWorker.js runs as a worker thread of the engine (MetricsPool).');
const port = parentPort;

async function compute(id: number, task: MetricsTask): Promise<[MetricsReply, TransferListItem[]]> {
  if (task.kind === 'pair')
    return [{ type: 'pair', id, value: await pairMetrics(task.candidate, task.reference) }, []];
  const value = await compareRenders(task.referencePng, task.renderPng);
  // The overlay is this thread's own buffer: hand it over instead of copying it back.
  return [{ type: 'compare', id, value }, [value.diff.data.buffer as ArrayBuffer]];
}

port.on('message', (message: unknown) => {
  const parsed = metricsRequestSchema.safeParse(message);
  if (!parsed.success) {
    const id = (message as { id?: unknown } | null)?.id;
    port.postMessage({
      type: 'failed',
      // The pool sends one task at a time, so it knows whose request this was even without a readable id.
      id: typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : 0,
      name: 'TypeError',
      message: `The metrics worker got a request it does not understand: ${parsed.error.message}`,
    } satisfies MetricsReply);
    return;
  }
  const { id, task } = parsed.data;
  compute(id, task).then(
    ([reply, transfer]) => port.postMessage(reply, transfer),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ type: 'failed', id, name: e.name, message: e.message } satisfies MetricsReply);
    },
  );
});

port.postMessage({
  type: 'ready',
  protocol: METRICS_PROTOCOL_VERSION,
  versions: COMPUTED_METRIC_VERSIONS,
} satisfies MetricsReply);
