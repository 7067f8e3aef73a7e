import { z } from 'zod';
import { traceSchema } from './trace';

export const renderModeSchema = z.enum(['official', 'canonical']);
export type RenderMode = z.infer<typeof renderModeSchema>;

/** The failure taxonomy, returned as data (never as an exception). */
export const renderStatusSchema = z.enum([
  'ok',
  'no_code',
  'syntax_error',
  'import_error',
  'runtime_error',
  'timeout',
  'memory',
  'killed',
  'blank_image',
  'no_image',
]);
export type RenderStatus = z.infer<typeof renderStatusSchema>;

/** What went wrong, in terms of the user's code (line numbers are the user's, whatever the harness inserted). */
export const renderFailureSchema = z.object({
  /** Exception class name (ZeroDivisionError, SyntaxError, SystemExit, MemoryError...). */
  type: z.string().nullable(),
  message: z.string(),
  /** 1-based line in the user's code, when known. */
  line: z.number().int().nullable(),
  /** Innermost frame of the user's code: function name and line. */
  frame: z.object({ function: z.string(), line: z.number().int() }).nullable(),
  /** import_error: the module that could not be imported. */
  module: z.string().nullable(),
  /** killed: the signal number. */
  signal: z.number().int().nullable(),
});
export type RenderFailure = z.infer<typeof renderFailureSchema>;

/** Per-job options; every field has a default so `{}` renders canonically at 800×600. */
export const renderOptionsSchema = z
  .object({
    mode: renderModeSchema.default('canonical'),
    /** Canonical mode: exact output size in pixels, and dpi. Official mode saves at dpi=300 by the protocol. */
    width: z.number().int().min(16).max(8192).default(800),
    height: z.number().int().min(16).max(8192).default(600),
    dpi: z.number().int().min(10).max(1200).default(100),
    timeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
    memoryMb: z.number().int().min(128).max(65_536).default(2048),
    trace: z.boolean().default(true),
  })
  .strict();
export type RenderOptions = z.output<typeof renderOptionsSchema>;
export type RenderOptionsInput = z.input<typeof renderOptionsSchema>;

export const renderOutcomeSchema = z.object({
  status: renderStatusSchema,
  failure: renderFailureSchema.nullable(),
  partial: z.boolean(),
  /** The PNG in the blob store; `dataUrl` only when the caller asked for it (the UI). */
  image: z
    .object({
      sha256: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      dataUrl: z.string().optional(),
    })
    .nullable(),
  /** The execution trace, or null when tracing was off or the code drew nothing. */
  trace: traceSchema.nullable(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  durationMs: z.number(),
  /** Served from the render cache (same code, options, renderer and library versions). */
  cached: z.boolean(),
  key: z.string(),
});
export type RenderOutcome = z.infer<typeof renderOutcomeSchema>;

export const renderWorkerStateSchema = z.enum(['starting', 'idle', 'busy', 'restarting', 'stopped']);

export const renderHealthSchema = z.object({
  state: z.enum(['not-started', 'starting', 'ready', 'error']),
  sandbox: z.enum(['bwrap', 'guards']).nullable(),
  seccomp: z.boolean().nullable(),
  /** Said loudly in the UI and doctor: why the strong sandbox is not in use. */
  sandboxWarning: z.string().nullable(),
  python: z
    .object({ executable: z.string(), version: z.string(), matplotlib: z.string(), numpy: z.string() })
    .nullable(),
  rendererVersion: z.string().nullable(),
  workers: z.array(
    z.object({
      state: renderWorkerStateSchema,
      restarts: z.number().int(),
      jobs: z.number().int(),
      pid: z.number().int().nullable(),
    }),
  ),
  queued: z.number().int(),
  error: z.string().nullable(),
});
export type RenderHealth = z.infer<typeof renderHealthSchema>;

export const renderMethods = {
  'render.run': {
    params: z
      .object({
        code: z.string().max(1_000_000),
        options: renderOptionsSchema.optional(),
        useCache: z.boolean().optional(),
        /** Return the PNG inline as a data: URL (for the UI). */
        withDataUrl: z.boolean().optional(),
      })
      .strict(),
    result: renderOutcomeSchema,
  },
  'render.health': {
    params: z.object({ start: z.boolean().optional() }).strict(),
    result: renderHealthSchema,
  },
};

export const renderEvents = {
  'render.health': renderHealthSchema,
};
