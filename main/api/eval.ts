import { z } from 'zod';
import { loadOptionsSchema } from './models';
import { jobSnapshotSchema } from './jobs';
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

/** A user-supplied ONNX vision tower (DINOv2, CLIP or SigLIP image encoder) with its family's preprocessing. */
export const perceptualSettingSchema = z
  .object({
    modelPath: z.string().min(1),
    family: z.enum(['clip', 'siglip', 'dinov2']),
    /** The output holding the embedding; default the model's first output. */
    outputName: z.string().min(1).optional(),
  })
  .strict();
export type PerceptualSetting = z.infer<typeof perceptualSettingSchema>;

export const evalSettingsSchema = z
  .object({
    /** Which fenced block holds the answer when there are several (the protocol: first). */
    blockChoice: z.enum(['first', 'last']).default('first'),
    maxTokens: z.number().int().min(1).max(1_000_000).default(4096),
    temperature: z.number().min(0).max(5).default(0),
    /** Generation seed; sample k of an item uses seed + k, so samples differ (temperature > 0) and reproduce. */
    seed: z.number().int().default(0),
    /**
     * Answers drawn per benchmark item (sampling at temperature > 0). Each is stored, cached and scored on its
     * own; reports average an item's samples and resample items for CIs. Predictions runs take more than 1
     * only from a file of ours whose lines name their `sample`.
     */
    samples: z.number().int().min(1).max(64).default(1),
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
    /**
     * The generation prompt: official = the protocol's system and user messages; no-system = the user message
     * only, for models whose chat template rejects a system turn. Render modes are not a setting: every item
     * runs in the official mode (Exec Rate, the image judge) and the canonical mode (deterministic metrics).
     */
    promptVariant: z.enum(['official', 'no-system']).default('official'),
    /** Perceptual similarity: cosine of the canonical renders' embeddings from a user-supplied ONNX vision tower. */
    perceptual: perceptualSettingSchema.nullable().default(null),
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
  /** Edge F1 within 2 px; null when this build has no edge metric yet (never a made-up value). */
  edgeF1: z.number().nullable(),
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
  /** Which of the item's answers (0 … settings.samples − 1); absent in records of runs before samples: 0. */
  sample: z.number().int().min(0).optional(),
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
      /** runtime failures: the exception class (ZeroDivisionError, KeyError, ...), for the taxonomy by type. */
      exceptionType: z.string().nullable().optional(),
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

/** The pipeline's stages of one item, each stored once per run. */
export const evalStageSchema = z.enum([
  'generation',
  'extraction',
  'official',
  'canonical',
  'reference',
  'metrics',
  'imageJudgment',
  'codeJudgment',
]);
export type EvalStage = z.infer<typeof evalStageSchema>;

/** What a run's numbers were made with: the renderer's libraries, fonts, metric and engine versions. */
export const evalEnvironmentSchema = z.object({
  engineVersion: z.string(),
  rendererVersion: z.string().nullable(),
  python: z.string().nullable(),
  matplotlib: z.string().nullable(),
  numpy: z.string().nullable(),
  /** sha256 of each bundled font file, by file name. */
  fonts: z.record(z.string(), z.string()),
  metricVersions: z.record(z.string(), z.number().int().nullable()),
  /** The perceptual model a run used: its file's sha256, family and output (absent when none). */
  perceptual: z
    .object({ family: z.string(), modelSha256: z.string(), outputName: z.string().nullable() })
    .nullable()
    .optional(),
  node: z.string(),
  platform: z.string(),
});
export type EvalEnvironment = z.infer<typeof evalEnvironmentSchema>;

/** A mean with its 95% bootstrap CI; all null when no item qualifies. */
export const estimateSchema = z.object({
  mean: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  /** Items the mean is over. */
  n: z.number().int(),
});
export type Estimate = z.infer<typeof estimateSchema>;

/** The published conditional mean and the strict mean (every failure counts 0), side by side. */
export const estimatePairSchema = z.object({ conditional: estimateSchema, strict: estimateSchema });
export type EstimatePair = z.infer<typeof estimatePairSchema>;

export const judgeScoreSummarySchema = estimatePairSchema.extend({
  /** Judgments with no score after every attempt (count 0 in the strict mean, absent from the conditional). */
  unscored: z.number().int(),
  /** Failed attempts across all judgments (unscored replies and failed calls), retried or not. */
  failedAttempts: z.number().int(),
  /** Items with no judgment although the judge ran (stopped before judging); 0 in the strict mean. */
  unjudged: z.number().int(),
});
export type JudgeScoreSummary = z.infer<typeof judgeScoreSummarySchema>;

export const metricSummarySchema = estimatePairSchema.extend({
  /**
   * False when measured items carry no value for it (a metric this build or run does not compute): then it
   * has no strict mean, since failures counting 0 would show a made-up 0.
   */
  available: z.boolean(),
});
export type MetricSummary = z.infer<typeof metricSummarySchema>;

export type MetricKey = (typeof DETERMINISTIC_METRIC_KEYS)[number];
const metricKeySchema = z.enum(DETERMINISTIC_METRIC_KEYS);

/** How an item's samples spread, in runs with several samples per item. */
export const samplesSummarySchema = z.object({
  /** The most answers any item has (the run's samples per item once it finished). */
  perItem: z.number().int(),
  /** Answers (item × sample) the numbers are over. */
  answers: z.number().int(),
  /** Items with at least one executed answer × 100: execution's pass@N. */
  anyExecuted: estimateSchema,
  /**
   * Mean over items (with ≥ 2 answers) of the standard deviation (n − 1) of the answers' strict values: how
   * far one answer strays from its item's mean. null when no item has two answers, or the score has no judge.
   */
  withinItemStd: z.object({
    execRate: z.number().nullable(),
    imageScore: z.number().nullable(),
    codeScore: z.number().nullable(),
    final: z.number().nullable(),
  }),
});
export type SamplesSummary = z.infer<typeof samplesSummarySchema>;

export const groupSummarySchema = z.object({
  /** null for the overall group and for items without a category; see `overall`. */
  category: z.string().nullable(),
  overall: z.boolean(),
  items: z.number().int(),
  executed: z.number().int(),
  imageWritten: z.number().int(),
  /** executed / items × 100 (exit 0 and an image: the strict definition, the one we report). */
  execRate: estimateSchema,
  /** Any image written, even after a later crash (what the public script counts), × 100. */
  imageWrittenRate: estimateSchema,
  /** null when the run had no such judge. */
  imageScore: judgeScoreSummarySchema.nullable(),
  codeScore: judgeScoreSummarySchema.nullable(),
  /** (Image + Code + Exec) / 3; null unless both judges ran. */
  final: estimatePairSchema.nullable(),
  metrics: z.record(metricKeySchema, metricSummarySchema),
  /** Every failure class, zeros included, in the taxonomy's order. */
  failures: z.record(failureClassSchema, z.number().int()),
  /** Runtime failures by exception type, most frequent first. */
  exceptions: z.record(z.string(), z.number().int()),
  /**
   * Only in runs with several samples per item, where every mean above is over items of per-item means (an
   * item's samples averaged first) and `executed`, `imageWritten`, `failures`, `exceptions` and the judges'
   * counts count answers (item × sample).
   */
  samples: samplesSummarySchema.optional(),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

/** What a report says about a run besides its items (from the run's detail; all but id and name optional). */
export const reportRunInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string().optional(),
  benchmark: z.string().optional(),
  createdAt: z.number().optional(),
  /** Items planned; more than the items given means the run is unfinished (rates are over the items given). */
  total: z.number().int().optional(),
  /** Which judges the run was configured with; when absent, a judge ran if any item has its judgment. */
  judges: z.object({ image: z.boolean(), code: z.boolean() }).optional(),
  /** Answers per item the run draws (settings.samples); absent: 1. `items` and `total` then count answers. */
  samplesPerItem: z.number().int().min(1).optional(),
});
export type ReportRunInfo = z.infer<typeof reportRunInfoSchema>;

const bootstrapSettingsSchema = z.object({
  resamples: z.number().int(),
  level: z.number(),
  seed: z.number().int(),
});

/** A run's numbers over its finished items: overall and per category, every mean with its CI. */
export const runSummaryReportSchema = z.object({
  /** `items`: finished answers (item × sample; with one sample per item, items), as `total` counts them. */
  run: reportRunInfoSchema.extend({ items: z.number().int() }),
  judges: z.object({ image: z.boolean(), code: z.boolean() }),
  bootstrap: bootstrapSettingsSchema,
  overall: groupSummarySchema,
  /** Per category, by name; items without a category last. */
  categories: z.array(groupSummarySchema),
  /** What a reader must know to read the numbers (no judges, unfinished run, unavailable metrics). */
  notes: z.array(z.string()),
});
export type RunSummaryReport = z.infer<typeof runSummaryReportSchema>;

export const comparedQuantitySchema = z.enum([
  'execRate',
  'imageScore',
  'codeScore',
  'final',
  ...DETERMINISTIC_METRIC_KEYS,
]);
export type ComparedQuantity = z.infer<typeof comparedQuantitySchema>;

export const verdictSchema = z.enum(['A better', 'B better', 'no detectable difference']);
export type Verdict = z.infer<typeof verdictSchema>;

export const pairedDifferenceSchema = z.object({
  /** Items in the comparison. */
  n: z.number().int(),
  meanA: z.number().nullable(),
  meanB: z.number().nullable(),
  /** Mean of A − B with its bootstrap CI; null when there is nothing to compare. */
  difference: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  /** Two-sided bootstrap p-value for "no difference". */
  p: z.number().nullable(),
  verdict: verdictSchema,
});
export type PairedDifference = z.infer<typeof pairedDifferenceSchema>;

export const comparisonRowSchema = z.object({
  quantity: comparedQuantitySchema,
  /**
   * strict: every shared item, failures 0 (Exec Rate and Final per item as in the strict Final);
   * conditional: only items both runs executed and, for judge scores and metrics, both scored/measured.
   */
  strict: pairedDifferenceSchema.nullable(),
  conditional: pairedDifferenceSchema.nullable(),
  /** Why a row has no comparison (a judge or metric missing from a run). */
  unavailable: z.string().nullable(),
});
export type ComparisonRow = z.infer<typeof comparisonRowSchema>;

export const executionFlipSchema = z.object({
  uid: z.string(),
  category: z.string().nullable(),
  /** Failure class in the run where the item failed. */
  failure: failureClassSchema.nullable(),
});
export type ExecutionFlip = z.infer<typeof executionFlipSchema>;

/** Run A against run B on the items both contain (paired by uid). */
export const runComparisonSchema = z.object({
  a: reportRunInfoSchema,
  b: reportRunInfoSchema,
  shared: z.number().int(),
  /** uids in one run only (not compared). */
  onlyInA: z.array(z.string()),
  onlyInB: z.array(z.string()),
  rows: z.array(comparisonRowSchema),
  /** Items that executed in one run and failed in the other. */
  flips: z.object({
    executedInAOnly: z.array(executionFlipSchema),
    executedInBOnly: z.array(executionFlipSchema),
  }),
  bootstrap: bootstrapSettingsSchema,
});
export type RunComparison = z.infer<typeof runComparisonSchema>;

export const reportFormatSchema = z.enum(['json', 'csv', 'html']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

/** One exported report: the file's text, its type and a file name to save it under. */
export const evalReportSchema = z.object({
  content: z.string(),
  mimeType: z.string(),
  fileName: z.string(),
  /** The run reported: finished items of those planned (an unfinished run's report covers the finished). */
  run: z.object({ id: z.string(), name: z.string(), items: z.number().int(), total: z.number().int() }),
});
export type EvalReport = z.infer<typeof evalReportSchema>;

export const evalRunInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  benchmark: z.object({ id: z.number().int(), name: z.string() }),
  /** The model under test in words: a model file, an endpoint, or a predictions file. */
  subject: z.string(),
  jobId: z.string().nullable(),
  state: z.string(),
  total: z.number().int(),
  complete: z.number().int(),
  createdAt: z.number(),
});
export type EvalRunInfo = z.infer<typeof evalRunInfoSchema>;

export const evalRunDetailSchema = evalRunInfoSchema.extend({
  config: evalRunConfigSchema,
  environment: evalEnvironmentSchema,
  job: jobSnapshotSchema.nullable(),
  /** Over the finished items, overall and per category (the same numbers as the report). */
  summary: runSummaryReportSchema,
  /** Finished stages by stage, and how many of them came from a cache. */
  stages: z.record(z.string(), z.object({ done: z.number().int(), cached: z.number().int() })),
});
export type EvalRunDetail = z.infer<typeof evalRunDetailSchema>;

/** Sort keys of eval.items: the item order, the judge scores, and every deterministic metric. */
export const evalSortKeySchema = z.enum([
  'item',
  'uid',
  'imageScore',
  'codeScore',
  ...DETERMINISTIC_METRIC_KEYS,
]);
export type EvalSortKey = z.infer<typeof evalSortKeySchema>;

export const evalItemsParamsSchema = z
  .object({
    runId: z.string().min(1),
    category: z.string().nullable().optional(),
    /** A failure class, 'none' (executed), or 'any' (every failure). */
    failure: z.union([failureClassSchema, z.literal('none'), z.literal('any')]).optional(),
    /** Only this sample's rows; by default every item × sample row (ordered by item, then sample). */
    sample: z.number().int().min(0).optional(),
    sort: evalSortKeySchema.default('item'),
    order: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type EvalItemsParams = z.input<typeof evalItemsParamsSchema>;

export const evalStageInfoSchema = z.object({
  stage: evalStageSchema,
  cached: z.boolean(),
  durationMs: z.number(),
  createdAt: z.number(),
  attempts: z.number().int(),
});

export const evalItemDetailSchema = z.object({
  result: evalItemResultSchema,
  complete: z.boolean(),
  /** The benchmark item: its image and reference code. */
  reference: z.object({ imageSha256: z.string().nullable(), code: z.string() }),
  /** The reference code rendered canonically like the candidate (its image and trace for the overlays). */
  referenceCanonical: z
    .object({
      status: renderStatusSchema,
      imageSha256: z.string().nullable(),
      traceSha256: z.string().nullable(),
    })
    .nullable(),
  stages: z.array(evalStageInfoSchema),
});
export type EvalItemDetail = z.infer<typeof evalItemDetailSchema>;

export const evalOverlayParamsSchema = z
  .object({
    runId: z.string().min(1),
    itemId: z.number().int(),
    /** Which of the item's answers (runs with several samples per item); default the first, 0. */
    sample: z.number().int().min(0).optional(),
  })
  .strict();
export type EvalOverlayParams = z.input<typeof evalOverlayParamsSchema>;

/**
 * Where the candidate's canonical render and the reference's disagree, by the foreground IoU metric's own ink
 * rule (background = the border's most common colour, ink = ΔE76 > 10): red only in the reference, blue only
 * in the candidate, grey in both. The counts are ink pixels; shared / (all three) is the item's foreground IoU.
 */
export const evalOverlaySchema = z.object({
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  counts: z.object({
    referenceOnly: z.number().int(),
    candidateOnly: z.number().int(),
    shared: z.number().int(),
  }),
  /** The candidate render was scaled to the reference's size before comparing (sizes differed). */
  resized: z.boolean(),
});
export type EvalOverlay = z.infer<typeof evalOverlaySchema>;

const runIdSchema = z.object({ id: z.string().min(1) }).strict();

export const evalMethods = {
  /** Validates the config, records the run with its environment fingerprint, and starts it as a job. */
  'eval.start': {
    params: evalRunConfigSchema,
    result: z.object({ runId: z.string(), job: jobSnapshotSchema }),
  },
  'eval.runs': {
    params: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    result: z.array(evalRunInfoSchema),
  },
  'eval.run': { params: runIdSchema, result: evalRunDetailSchema },
  'eval.items': {
    params: evalItemsParamsSchema,
    result: z.object({ items: z.array(evalItemResultSchema), total: z.number().int() }),
  },
  'eval.item': {
    params: z
      .object({
        runId: z.string().min(1),
        itemId: z.number().int(),
        /** Which of the item's answers; default 0 (the only one in a run with one sample per item). */
        sample: z.number().int().min(0).optional(),
      })
      .strict(),
    result: evalItemDetailSchema,
  },
  /** The item's difference overlay, computed in the engine with the foreground IoU metric's masks. */
  'eval.overlay': { params: evalOverlayParamsSchema, result: evalOverlaySchema },
  /** Run A against run B on their shared items: paired bootstrap per score and metric, execution flips. */
  'eval.compare': {
    params: z.object({ a: z.string().min(1), b: z.string().min(1) }).strict(),
    result: runComparisonSchema,
  },
  /** The run's report as a file: JSON (everything), CSV (one row per item) or self-contained HTML. */
  'eval.report': {
    params: z.object({ id: z.string().min(1), format: reportFormatSchema }).strict(),
    result: evalReportSchema,
  },
};
