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
  /** By item id. */
  extras?: ReadonlyMap<number, ItemExtras>;
}

export interface JsonReport {
  format: 'codepercept.eval-report';
  version: 1;
  summary: RunSummaryReport;
  /** Every item: the full record (each stage's value, both judgments with their replies), the flat row, extras. */
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
      extras: input.extras?.get(record.itemId) ?? null,
    })),
  };
}

export function toJson(input: ReportInput, options: ReportOptions = {}): string {
  return `${JSON.stringify(reportJson(input, options), null, 2)}\n`;
}
