import { z } from 'zod';
import { renderFailureSchema, renderModeSchema, renderStatusSchema } from '../api/render';

export type { RenderFailure, RenderMode, RenderStatus } from '../api/render';

/**
 * The line protocol between the engine and a Python render worker (native/python/render_worker.py):
 * one JSON object per line on the worker's stdin (requests) and stdout (replies). Versioned; both sides check.
 */
export const WORKER_PROTOCOL_VERSION = 1;

export const workerRenderRequestSchema = z.object({
  type: z.literal('render'),
  id: z.string(),
  code: z.string(),
  mode: renderModeSchema,
  /** Canonical mode: output size in pixels and dpi. Official mode saves at dpi=300 by the protocol's rule. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  dpi: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
  memoryMb: z.number().int().positive(),
  cpuSeconds: z.number().int().positive(),
  /** stdout and stderr are each kept up to this many bytes; the rest is counted and dropped. */
  maxOutputBytes: z.number().int().positive(),
  trace: z.boolean(),
});
export type WorkerRenderRequest = z.infer<typeof workerRenderRequestSchema>;

export type WorkerRequest =
  WorkerRenderRequest | { type: 'cancel'; id: string } | { type: 'ping' } | { type: 'shutdown' };

export const workerReadySchema = z.object({
  type: z.literal('ready'),
  protocol: z.number().int(),
  /** Bumped whenever the worker's output for the same input may change (part of the render cache key). */
  rendererVersion: z.string(),
  python: z.string(),
  executable: z.string(),
  matplotlib: z.string(),
  numpy: z.string(),
  sandbox: z.enum(['bwrap', 'guards']),
  seccomp: z.boolean(),
  fonts: z.array(z.string()),
});
export type WorkerReady = z.infer<typeof workerReadySchema>;

export const workerResultSchema = z.object({
  type: z.literal('result'),
  id: z.string(),
  status: renderStatusSchema,
  failure: renderFailureSchema.nullable(),
  /** An image exists although the code failed (drawn before the crash). */
  partial: z.boolean(),
  /** base64 PNG, or null when nothing was rendered. */
  png: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** The execution trace (main/api/trace.ts; validated where it is stored), or null when tracing was off or impossible. */
  trace: z.unknown().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  durationMs: z.number(),
  exitCode: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  /** The worker exits after this result: the job left files it could not remove, so it gets a fresh sandbox. */
  retire: z.boolean().optional(),
});
export type WorkerResult = z.infer<typeof workerResultSchema>;

export const workerReplySchema = z.discriminatedUnion('type', [
  workerReadySchema,
  workerResultSchema,
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), id: z.string().nullable(), message: z.string() }),
]);
export type WorkerReply = z.infer<typeof workerReplySchema>;
