import { DETERMINISTIC_METRIC_KEYS } from '../../api/eval';
import type { EvalItemResult } from '../../api/eval';
import { answerStrictFinal, answerValues } from './summarize';

/** One cell of an item row: what a CSV cell or an HTML table cell shows. */
export type Cell = string | number | boolean | null;

/**
 * The per-answer columns of every export (one row per item, or per item × sample in runs with several samples
 * per item), in their stable order: identity (with the sample), execution, failure, judge scores, strict
 * per-answer Final, every deterministic metric, generation facts, then the code (long, so last).
 * New columns go at the end of their group; never reorder (spreadsheets and scripts read by position).
 */
export const ITEM_COLUMNS: readonly { name: string; value: (r: EvalItemResult, finals: boolean) => Cell }[] =
  [
    { name: 'item_id', value: (r) => r.itemId },
    { name: 'uid', value: (r) => r.uid },
    { name: 'category', value: (r) => r.category },
    { name: 'sample', value: (r) => r.sample ?? 0 },
    { name: 'official_status', value: (r) => r.official?.status ?? null },
    { name: 'executed', value: (r) => (r.official ? r.official.executed : null) },
    { name: 'image_written', value: (r) => (r.official ? r.official.imageWritten : null) },
    { name: 'failure', value: (r) => r.failure },
    { name: 'exception_type', value: (r) => r.official?.exceptionType ?? null },
    { name: 'failure_message', value: (r) => r.official?.failureMessage ?? null },
    { name: 'image_score', value: (r) => r.imageJudgment?.score ?? null },
    { name: 'image_judge_attempts', value: (r) => r.imageJudgment?.attempts ?? null },
    { name: 'image_judge_failures', value: (r) => r.imageJudgment?.failures ?? null },
    { name: 'code_score', value: (r) => r.codeJudgment?.score ?? null },
    { name: 'code_judge_attempts', value: (r) => r.codeJudgment?.attempts ?? null },
    { name: 'code_judge_failures', value: (r) => r.codeJudgment?.failures ?? null },
    { name: 'final_strict', value: (r, finals) => (finals ? answerStrictFinal(answerValues(r)) : null) },
    { name: 'metrics_version', value: (r) => r.metrics?.version ?? null },
    ...DETERMINISTIC_METRIC_KEYS.map((key) => ({
      name: key,
      value: (r: EvalItemResult) => r.metrics?.[key] ?? null,
    })),
    { name: 'latency_ms', value: (r) => r.generation?.latencyMs ?? null },
    { name: 'tokens', value: (r) => r.generation?.tokens ?? null },
    { name: 'generation_error', value: (r) => r.generation?.error ?? null },
    { name: 'official_image_sha256', value: (r) => r.official?.imageSha256 ?? null },
    { name: 'canonical_image_sha256', value: (r) => r.canonical?.imageSha256 ?? null },
    { name: 'code', value: (r) => r.code },
  ];
