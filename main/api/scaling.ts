import { z } from 'zod';
import { estimateSchema, modelSpecSchema } from './eval';
import { jobSnapshotSchema } from './jobs';

/**
 * Perception vs. reasoning scaling studies (issue 7). On a VQA dataset a captioner (a vision model: the
 * perception component) describes each image, or writes code that redraws it; a solver (a text-only model:
 * the reasoning component) answers from the question plus that description alone. A study runs every
 * captioner × solver pair, and optionally the direct baseline (each captioner answering from the image).
 * Each caption is computed once and shared by every solver (cached by model + prompt + image hash).
 *
 * This file is the contract between the study engine (main/scaling), the CLI and the Scaling page with its
 * D3 charts (renderer/src/charts).
 */

/** What the captioner writes: a detailed description (the paper's perception stage) or reproducing code. */
export const captionVariantSchema = z.enum(['caption', 'code']);
export type CaptionVariant = z.infer<typeof captionVariantSchema>;

/** A model in a study: a label (the registered name) and how to reach it. */
export const studyModelInputSchema = z
  .object({
    /** The name shown on charts and tables; unique within the study's captioners (or solvers). */
    label: z.string().min(1).max(200),
    spec: modelSpecSchema,
    /**
     * Parameter count (x axis of the curves). Omitted: read from the GGUF metadata of a local model; an
     * endpoint model has none until the user sets it (scaling.setParameters).
     */
    parameters: z.number().positive().nullable().optional(),
  })
  .strict();
export type StudyModelInput = z.input<typeof studyModelInputSchema>;

export const studyModelSchema = z.object({
  label: z.string(),
  spec: modelSpecSchema,
  parameters: z.number().nullable(),
  /** Where `parameters` came from. */
  parametersSource: z.enum(['gguf', 'user', 'none']),
});
export type StudyModel = z.infer<typeof studyModelSchema>;

export const studySettingsSchema = z
  .object({
    variant: captionVariantSchema.default('caption'),
    /** Also run the direct baseline: every captioner answers from the image itself. */
    direct: z.boolean().default(false),
    /** Token budget of each caption and each answer. */
    maxTokens: z.number().int().min(1).max(1_000_000).default(1024),
    temperature: z.number().min(0).max(5).default(0),
    seed: z.number().int().default(0),
    /** Concurrent calls per model (parallel sequences / endpoint requests). */
    concurrency: z.number().int().min(1).max(256).default(1),
    /** Only these categories / at most this many items (quick runs). */
    categories: z.array(z.string()).optional(),
    limit: z.number().int().min(1).optional(),
    /** Relative tolerance for numeric answers (0.01 = 1%), as in matchAnswer. */
    numericTolerance: z.number().min(0).max(1).default(0.01),
  })
  .strict();
export type StudySettings = z.output<typeof studySettingsSchema>;

export const studyConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** A dataset of kind vqa (question, optional choices, answer, image). */
    datasetId: z.number().int(),
    captioners: z.array(studyModelInputSchema).min(1),
    /** Text-only solvers; may be empty when only the direct baseline is wanted (then `direct` must be true). */
    solvers: z.array(studyModelInputSchema),
    settings: studySettingsSchema.default(studySettingsSchema.parse({})),
  })
  .strict();
export type StudyConfigInput = z.input<typeof studyConfigSchema>;

/** One cell of the grid: a captioner → solver pair, or a captioner answering directly (solver null). */
export const cellKeySchema = z.object({ captioner: z.string(), solver: z.string().nullable() }).strict();
export type CellKey = z.infer<typeof cellKeySchema>;

/** Accuracy (0..1) with its 95% bootstrap CI over items; `n` is the items answered (every item counts). */
export const accuracySchema = estimateSchema.extend({ correct: z.number().int() });
export type Accuracy = z.infer<typeof accuracySchema>;

export const studyCellSchema = cellKeySchema.extend({
  kind: z.enum(['pipeline', 'direct']),
  /** Over every finished item of the cell. */
  overall: accuracySchema,
  /** Mean of the per-benchmark accuracies (benchmark = the item's `source`), as papers report "Avg". */
  macro: z.number().nullable(),
  byBenchmark: z.record(z.string(), accuracySchema),
  byCategory: z.record(z.string(), accuracySchema),
  /** Items of the cell still to answer, and answers that failed (model error; they count as wrong). */
  pending: z.number().int(),
  failed: z.number().int(),
});
export type StudyCell = z.infer<typeof studyCellSchema>;

export const studyStatusSchema = z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled']);

export const studyInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  datasetId: z.number().int(),
  datasetName: z.string(),
  createdAt: z.number(),
  jobId: z.string().nullable(),
  status: studyStatusSchema,
  variant: captionVariantSchema,
  captioners: z.array(studyModelSchema),
  solvers: z.array(studyModelSchema),
  items: z.number().int(),
  /** Answers finished / total (every cell's items). */
  done: z.number().int(),
  total: z.number().int(),
});
export type StudyInfo = z.infer<typeof studyInfoSchema>;

export const studyDetailSchema = studyInfoSchema.extend({
  settings: studySettingsSchema,
  cells: z.array(studyCellSchema),
  /** Captions computed for this study vs served from the cross-study caption cache. */
  captions: z.object({ computed: z.number().int(), cached: z.number().int() }),
});
export type StudyDetail = z.infer<typeof studyDetailSchema>;

/** One item behind a point of a chart: the image, the caption, the solver's answer, right or wrong. */
export const studyItemSchema = z.object({
  itemId: z.number().int(),
  uid: z.string(),
  category: z.string().nullable(),
  benchmark: z.string().nullable(),
  question: z.string(),
  choices: z.array(z.string()).nullable(),
  answer: z.string(),
  imageSha256: z.string().nullable(),
  /** The captioner's description (or code); null for the direct baseline or when not computed yet. */
  caption: z.string().nullable(),
  response: z.string().nullable(),
  extracted: z.string().nullable(),
  correct: z.boolean().nullable(),
  error: z.string().nullable(),
});
export type StudyItem = z.infer<typeof studyItemSchema>;

/**
 * External results (published numbers, other labs' runs) to overlay on the charts. The CSV has a header row
 * with these columns (`label` names the series; `n`, `low`, `high` may be empty):
 * `label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high`.
 * `solver` empty = a direct answer. Accuracy is 0..1 or a percentage (values above 1 are divided by 100).
 */
export const externalResultSchema = z.object({
  label: z.string(),
  benchmark: z.string(),
  captioner: z.string(),
  captionerParams: z.number().positive().nullable(),
  solver: z.string().nullable(),
  solverParams: z.number().positive().nullable(),
  accuracy: z.number().min(0).max(1),
  n: z.number().int().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type ExternalResult = z.infer<typeof externalResultSchema>;

export const externalResultSetSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Where the numbers come from (paper, table, figure), shown under the chart. */
  source: z.string(),
  results: z.array(externalResultSchema),
  createdAt: z.number(),
});
export type ExternalResultSet = z.infer<typeof externalResultSetSchema>;

const studyIdSchema = z.object({ id: z.string().min(1) }).strict();

export const scalingMethods = {
  /** Validates the config, resolves parameter counts, records the study and starts it as a job. */
  'scaling.start': {
    params: studyConfigSchema,
    result: z.object({ studyId: z.string(), job: jobSnapshotSchema }),
  },
  'scaling.studies': {
    params: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    result: z.array(studyInfoSchema),
  },
  'scaling.study': { params: studyIdSchema, result: studyDetailSchema },
  /** The items behind one cell (a chart point): filter by correctness, category, benchmark; paged. */
  'scaling.items': {
    params: z
      .object({
        id: z.string().min(1),
        cell: cellKeySchema,
        correct: z.boolean().optional(),
        category: z.string().optional(),
        benchmark: z.string().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    result: z.object({ items: z.array(studyItemSchema), total: z.number().int() }),
  },
  /** Sets (or clears, with null) a model's parameter count in a study: the x axis for endpoint models. */
  'scaling.setParameters': {
    params: z
      .object({
        id: z.string().min(1),
        role: z.enum(['captioner', 'solver']),
        label: z.string().min(1),
        parameters: z.number().positive().nullable(),
      })
      .strict(),
    result: studyDetailSchema,
  },
  /** External result sets (published numbers) stored for overlaying on charts. */
  'scaling.external.list': { params: z.object({}).strict(), result: z.array(externalResultSetSchema) },
  /** Parses an external-results CSV (errors name the line and column) and stores it. */
  'scaling.external.import': {
    params: z
      .object({ name: z.string().min(1).max(200), source: z.string().max(2000).default(''), csv: z.string() })
      .strict(),
    result: externalResultSetSchema,
  },
  'scaling.external.remove': { params: studyIdSchema, result: z.object({ removed: z.boolean() }) },
};
