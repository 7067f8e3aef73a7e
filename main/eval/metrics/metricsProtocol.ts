import { z } from 'zod';
import { deterministicMetricsSchema } from '../../api/eval';
import { traceSchema } from '../../api/trace';
import type { Trace } from '../../api/trace';
import { ELEMENT_METRICS_VERSION } from '../elements/elementMetrics';
import { EDGE_F1_VERSION } from './edgeF1';
import { FOREGROUND_IOU_VERSION } from './foregroundIou';
import { SSIM_VERSION } from './ssim';

/**
 * The messages between the engine and a metrics worker thread (metricsWorker.ts). Both sides validate what
 * they receive: the worker is a separately built file (out/node/metricsWorker.js) that may come from another
 * build, and a crash or a stale build must surface as a clear error, never as wrong numbers. Versioned.
 */
export const METRICS_PROTOCOL_VERSION = 1;

/**
 * The metric versions a build computes. The worker reports its own: one built before a metric changed would
 * store old numbers under the new version's cache key, so the pool refuses it.
 */
export const COMPUTED_METRIC_VERSIONS: Record<string, number> = {
  ssim: SSIM_VERSION,
  foregroundIou: FOREGROUND_IOU_VERSION,
  edgeF1: EDGE_F1_VERSION,
  elements: ELEMENT_METRICS_VERSION,
};

const id = z.number().int().nonnegative();
/** PNG bytes, transferred (not copied) across the thread boundary. */
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'Expected bytes.' });
/**
 * Checked against the trace schema, but passed on as received: the metrics must see exactly the values the
 * engine holds (a schema's output is a rebuilt object), so the numbers match the in-thread computation bit for bit.
 */
const trace = z.custom<Trace>((value) => traceSchema.safeParse(value).success, {
  message: 'The trace does not match the trace schema.',
});
const side = z.strictObject({ png: bytes, trace });

export const metricsTaskSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pair'), candidate: side, reference: side }),
  z.strictObject({ kind: z.literal('compare'), referencePng: bytes, renderPng: bytes }),
]);
export type MetricsTask = z.infer<typeof metricsTaskSchema>;

export const metricsRequestSchema = z.strictObject({
  protocol: z.literal(METRICS_PROTOCOL_VERSION),
  id,
  task: metricsTaskSchema,
});
export type MetricsRequest = z.infer<typeof metricsRequestSchema>;

export const pairMetricsSchema = deterministicMetricsSchema
  .omit({ version: true, perceptual: true })
  .strict();

export const renderComparisonSchema = z.strictObject({
  ssim: z.number(),
  iou: z.number(),
  diff: z.strictObject({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    data: bytes,
  }),
});

export const metricsReplySchema = z.discriminatedUnion('type', [
  /** Sent once when the worker has loaded, so the pool can refuse a worker from another build. */
  z.strictObject({
    type: z.literal('ready'),
    protocol: z.number().int(),
    versions: z.record(z.string(), z.number()),
  }),
  z.strictObject({ type: z.literal('pair'), id, value: pairMetricsSchema }),
  z.strictObject({ type: z.literal('compare'), id, value: renderComparisonSchema }),
  /** The task's computation threw (an image that does not decode, mismatched input): its error, by name. */
  z.strictObject({ type: z.literal('failed'), id, name: z.string(), message: z.string() }),
]);
export type MetricsReply = z.infer<typeof metricsReplySchema>;
