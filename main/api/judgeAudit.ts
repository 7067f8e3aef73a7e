import { z } from 'zod';
import { judgmentSchema, modelSpecSchema } from './eval';

/**
 * Judge audit (issue 6, the protocol's "how far to trust a judge"): a judge scores benchmark items four ways —
 * the reference against itself, the candidate twice, and the candidate with the order swapped — and its first
 * scores are compared with the run's deterministic metrics.
 */

export const judgeAuditParamsSchema = z
  .object({
    benchmarkDatasetId: z.number().int(),
    judge: modelSpecSchema,
    kind: z.enum(['image', 'code']),
    /**
     * The candidates: that run's official renders (image) or extracted code (code), with its deterministic
     * metrics for the correlation check. Without a run, each reference is also the candidate, which still
     * measures self scores, repeatability and order bias, but not agreement with the metrics.
     */
    runId: z.string().min(1).optional(),
    /** At most this many items (the first with a candidate, in item order). */
    limit: z.number().int().min(1).max(10_000).optional(),
    /** Attempts per judgment before it counts as failed (default 3). */
    attempts: z.number().int().min(1).max(10).default(3),
    /** Judge calls in flight at once (default 1). */
    concurrency: z.number().int().min(1).max(64).default(1),
  })
  .strict();
export type JudgeAuditParams = z.input<typeof judgeAuditParamsSchema>;

const scoreAgreementSchema = z.object({
  pairs: z.number().int(),
  meanAbsDiff: z.number().nullable(),
  meanDiff: z.number().nullable(),
  exactShare: z.number().nullable(),
});

export const auditFindingSchema = z.object({
  check: z.enum(['self', 'swapped', 'repeat', 'metrics', 'failures', 'format']),
  level: z.enum(['good', 'doubtful', 'poor', 'unknown']),
  message: z.string(),
});

export const judgeAuditReportSchema = z.object({
  kind: z.enum(['image', 'code']),
  judge: z.string(),
  items: z.number().int(),
  judgments: z.number().int(),
  failedJudgments: z.number().int(),
  failedAttempts: z.number().int(),
  fallbackScores: z.number().int(),
  self: z.object({ scored: z.number().int(), mean: z.number().nullable(), min: z.number().nullable() }),
  repeat: scoreAgreementSchema,
  swapped: scoreAgreementSchema,
  metricAgreement: z.array(
    z.object({ metric: z.string(), pairs: z.number().int(), spearman: z.number().nullable() }),
  ),
  findings: z.array(auditFindingSchema),
  perItem: z.array(
    z.object({
      /** The benchmark item's uid. */
      id: z.string(),
      self: judgmentSchema,
      first: judgmentSchema,
      repeat: judgmentSchema,
      swapped: judgmentSchema,
      metrics: z.record(z.string(), z.number().nullable()),
    }),
  ),
});
export type JudgeAuditReportResult = z.infer<typeof judgeAuditReportSchema>;

export const judgeAuditMethods = {
  /** Audits a judge on a benchmark's items; streams progress as judge calls finish; cancelling stops it. */
  'eval.auditJudge': {
    params: judgeAuditParamsSchema,
    result: judgeAuditReportSchema,
    chunk: z.object({ done: z.number().int(), total: z.number().int() }),
  },
};
