import type { EvalItemResult, EvalStage } from '../../api/eval';
import { ITEM_COLUMNS } from './itemRows';
import type { Cell } from './itemRows';
import { judgesOf, summarizeRun } from './summarize';
import type { ReportOptions, ReportRun, RunSummaryReport } from './summarize';

/** Optional per-item facts a caller may know beyond the record (from eval.item). */
export interface ItemExtras {
  /** The benchmark item's reference image. */
  referenceImageSha256?: string | null;
  /** Stages finished for this item, with timing and cache facts. */
  stages?: { stage: EvalStage; cached: boolean; durationMs: number; attempts: number }[];
  complete?: boolean;
}

export interface ReportInput extends ReportRun {
  /** By answer: `extrasKey(record)` (the item id for sample 0, as before samples per item). */
  extras?: ReadonlyMap<number | string, ItemExtras>;
}

/** An answer's key in `ReportInput.extras`: the item id for sample 0, `<item id>:<sample>` for the others. */
export function extrasKey(r: EvalItemResult): number | string {
  return r.sample ? `${r.itemId}:${r.sample}` : r.itemId;
}

export interface JsonReport {
  format: 'codepercept.eval-report';
  version: 1;
  summary: RunSummaryReport;
  /**
   * Every answer (item × sample): the full record (each stage's value, both judgments with their replies),
   * the flat row, extras.
   */
  items: { record: EvalItemResult; row: Record<string, Cell>; extras: ItemExtras | null }[];
}

/** The whole report as one JSON-ready object: summary with CIs, then every item with every stage and metric. */
export function reportJson(input: ReportInput, options: ReportOptions = {}): JsonReport {
  const judges = judgesOf(input);
  const finals = judges.image && judges.code;
  return {
    format: 'codepercept.eval-report',
    version: 1,
    summary: summarizeRun(input, options),
    items: input.items.map((record) => ({
      record,
      row: Object.fromEntries(ITEM_COLUMNS.map((c) => [c.name, c.value(record, finals)])),
      extras: input.extras?.get(extrasKey(record)) ?? null,
    })),
  };
}

export function toJson(input: ReportInput, options: ReportOptions = {}): string {
  return `${JSON.stringify(reportJson(input, options), null, 2)}\n`;
}
