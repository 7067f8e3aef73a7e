import { z } from 'zod';
import { loadOptionsSchema } from './models';
import { renderStatusSchema } from './render';

/**
 * STEM2Code-Eval runs (issue 6). A run = benchmark (a stem2code dataset) + the model under test + judges +
 * settings. The per-item record (`evalItemResultSchema`) is the contract between the pipeline (which fills
 * it stage by stage), the reports (which aggregate it) and the UI.
 */

/** Who produces an answer or a judgment: a local GGUF (in a host process), a configured endpoint, or a file. */
export const modelSpecSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('local'),
      /** Registered name, path, or file name in the models folders. */
      model: z.string().min(1),
      mmproj: z.string().min(1).optional(),
      options: loadOptionsSchema.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('endpoint'), endpoint: z.string().min(1) }).strict(),
]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;

/** Predictions produced elsewhere: ours (`{uid, response}`) or the official results JSONL (`initial_response`). */
export const predictionsSpecSchema = z
  .object({
    kind: z.literal('predictions'),
    path: z.string().min(1),
    format: z.enum(['ours', 'official']).default('ours'),
  })
  .strict();
export type PredictionsSpec = z.infer<typeof predictionsSpecSchema>;

export const evalSettingsSchema = z
  .object({
    /** Which fenced block holds the answer when there are several (the protocol: first). */
    blockChoice: z.enum(['first', 'last']).default('first'),
    maxTokens: z.number().int().min(1).max(1_000_000).default(4096),
    temperature: z.number().min(0).max(5).default(0),
    seed: z.number().int().default(0),
    /** Execution timeout per render in seconds (the public scripts use 30; the paper says 120). */
    timeoutS: z.number().int().min(1).max(3600).default(30),
    /** Canonical renders for the deterministic metrics: fixed pixel size and dpi, both codes alike. */
    canonical: z
      .object({
        width: z.number().int().min(64).max(4096).default(800),
        height: z.number().int().min(64).max(4096).default(600),
        dpi: z.number().int().min(10).max(600).default(100),
      })
      .strict()
      .default({ width: 800, height: 600, dpi: 100 }),
    /** Concurrent generations (parallel sequences / endpoint requests) and judge calls. */
    generationConcurrency: z.number().int().min(1).max(256).default(1),
    judgeConcurrency: z.number().int().min(1).max(256).default(4),
    /** Judge attempts before a judgment counts as failed (each failure is recorded, never dropped). */
    judgeAttempts: z.number().int().min(1).max(10).default(3),
    /** Only these categories / at most this many items (quick runs). */
    categories: z.array(z.string()).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .strict();
export type EvalSettings = z.output<typeof evalSettingsSchema>;

export const evalRunConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** A dataset of kind stem2code (images + reference code). */
    benchmarkDatasetId: z.number().int(),
    subject: z.union([modelSpecSchema, predictionsSpecSchema]),
    imageJudge: modelSpecSchema.nullable().default(null),
    codeJudge: modelSpecSchema.nullable().default(null),
    settings: evalSettingsSchema.default(evalSettingsSchema.parse({})),
  })
  .strict();
export type EvalRunConfig = z.output<typeof evalRunConfigSchema>;
export type EvalRunConfigInput = z.input<typeof evalRunConfigSchema>;

/** The protocol's failure taxonomy for one item (null when the generated code executed and drew). */
export const failureClassSchema = z.enum([
  'no_code',
  'syntax',
  'missing_import',
  'runtime',
  'timeout',
  'memory',
  'blank_figure',
  'no_image',
  'generation_failed',
]);
export type FailureClass = z.infer<typeof failureClassSchema>;

/** Deterministic metrics (each 0..1), generated canonical render vs reference canonical render. */
export const deterministicMetricsSchema = z.object({
  version: z.number().int(),
  ssim: z.number(),
  foregroundIou: z.number(),
  edgeF1: z.number(),
  textF1: z.number(),
  tickLabelF1: z.number(),
  elementTypeF1: z.number(),
  colorF1: z.number(),
  layoutF1: z.number(),
  axesBoxIoU: z.number(),
  axisFidelity: z.number(),
  primitiveF1: z.number(),
  curveFidelity: z.number(),
  /** Cosine similarity of image embeddings from the user's ONNX model, when one is configured. */
  perceptual: z.number().nullable(),
});
export type DeterministicMetrics = z.infer<typeof deterministicMetricsSchema>;
export const DETERMINISTIC_METRIC_KEYS = [
  'ssim',
  'foregroundIou',
  'edgeF1',
  'textF1',
  'tickLabelF1',
  'elementTypeF1',
  'colorF1',
  'layoutF1',
  'axesBoxIoU',
  'axisFidelity',
  'primitiveF1',
  'curveFidelity',
  'perceptual',
] as const;

export const judgmentSchema = z.object({
  /** 0..100, or null when every attempt failed to yield a score. */
  score: z.number().nullable(),
  /** The judge's last reply (kept for the audit). */
  reply: z.string(),
  attempts: z.number().int(),
  /** Attempts whose reply had no parsable score, or whose call failed. */
  failures: z.number().int(),
  error: z.string().nullable(),
});
export type Judgment = z.infer<typeof judgmentSchema>;

/** One item of a run, as far as it got. Every stage is stored separately and never recomputed. */
export const evalItemResultSchema = z.object({
  itemId: z.number().int(),
  uid: z.string(),
  category: z.string().nullable(),
  generation: z
    .object({
      response: z.string(),
      latencyMs: z.number().nullable(),
      tokens: z.number().int().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  code: z.string().nullable(),
  /** Official-mode execution (Exec Rate, the image the judge sees). */
  official: z
    .object({
      status: renderStatusSchema,
      /** Exit 0 and an image written (the strict definition we report). */
      executed: z.boolean(),
      /** Any image written, even after a later crash (what the public script counts). */
      imageWritten: z.boolean(),
      imageSha256: z.string().nullable(),
      failureMessage: z.string().nullable(),
    })
    .nullable(),
  canonical: z
    .object({
      status: renderStatusSchema,
      imageSha256: z.string().nullable(),
      traceSha256: z.string().nullable(),
    })
    .nullable(),
  failure: failureClassSchema.nullable(),
  metrics: deterministicMetricsSchema.nullable(),
  imageJudgment: judgmentSchema.nullable(),
  codeJudgment: judgmentSchema.nullable(),
});
export type EvalItemResult = z.infer<typeof evalItemResultSchema>;
