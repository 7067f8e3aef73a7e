import type { DETERMINISTIC_METRIC_KEYS } from '../../../main/api/eval';
import type { EvalItemResult, EvalItemsParams, EvalSortKey, FailureClass } from '../../../main/api/eval';

export type MetricKey = (typeof DETERMINISTIC_METRIC_KEYS)[number];
export type ScoreKey = 'imageScore' | 'codeScore' | MetricKey;
export type FailureFilter = FailureClass | 'none' | 'any' | 'all';

/** The results table's state: one sort column, the filters, and the page. Sent as-is to eval.items. */
export interface ResultsQuery {
  sort: EvalSortKey;
  order: 'asc' | 'desc';
  /** null: every category. */
  category: string | null;
  failure: FailureFilter;
  page: number;
}

export const RESULTS_PAGE_SIZE = 50;
export const initialResultsQuery: ResultsQuery = {
  sort: 'item',
  order: 'asc',
  category: null,
  failure: 'all',
  page: 0,
};

/** Column labels: short enough for a header, the metric's name in the protocol doc in the title. */
export const SCORE_COLUMNS: { key: ScoreKey; label: string; title: string }[] = [
  { key: 'imageScore', label: 'Image', title: 'Image Score (multimodal judge, 0–100)' },
  { key: 'codeScore', label: 'Code', title: 'Code Score (text judge, 0–100)' },
  { key: 'ssim', label: 'SSIM', title: 'SSIM of the canonical renders (grayscale)' },
  { key: 'foregroundIou', label: 'FG IoU', title: 'Foreground IoU (ΔE76 > 10 from the background)' },
  { key: 'edgeF1', label: 'Edge F1', title: 'Edge F1 within 2 px' },
  { key: 'textF1', label: 'Text F1', title: 'Text F1 (visible strings, tick labels apart)' },
  { key: 'tickLabelF1', label: 'Ticks F1', title: 'Tick label F1 (numeric tolerance)' },
  { key: 'elementTypeF1', label: 'Type F1', title: 'Element type F1' },
  { key: 'colorF1', label: 'Colour F1', title: 'Colour F1 (CIEDE2000, Hungarian assignment)' },
  { key: 'layoutF1', label: 'Layout F1', title: 'Layout F1 (subplot grid positions)' },
  { key: 'axesBoxIoU', label: 'Axes IoU', title: 'Axes box IoU' },
  { key: 'axisFidelity', label: 'Axis', title: 'Axis fidelity (scale, limits, ticks)' },
  { key: 'primitiveF1', label: 'Prim. F1', title: 'Primitive F1 at 2% of the diagonal' },
  { key: 'curveFidelity', label: 'Curves', title: 'Curve fidelity (1 − normalised RMSE)' },
  { key: 'perceptual', label: 'Percept.', title: 'Perceptual similarity (ONNX embeddings)' },
];

export const FAILURE_LABELS: Record<FailureClass, string> = {
  no_code: 'No code',
  syntax: 'Syntax error',
  missing_import: 'Missing import',
  runtime: 'Runtime exception',
  timeout: 'Timeout',
  memory: 'Memory',
  blank_figure: 'Blank figure',
  no_image: 'No image',
  generation_failed: 'Generation failed',
};

/**
 * Clicking a header: a new column sorts best first (scores descending; the item order ascending); the
 * same column again flips the order. Either way back to the first page.
 */
export function toggleSort(query: ResultsQuery, key: EvalSortKey): ResultsQuery {
  if (query.sort === key) return { ...query, order: query.order === 'asc' ? 'desc' : 'asc', page: 0 };
  const ascending = key === 'item' || key === 'uid';
  return { ...query, sort: key, order: ascending ? 'asc' : 'desc', page: 0 };
}

export function withFilter(
  query: ResultsQuery,
  change: Partial<Pick<ResultsQuery, 'category' | 'failure'>>,
): ResultsQuery {
  return { ...query, ...change, page: 0 };
}

/** The eval.items call for a query. */
export function itemsParams(runId: string, query: ResultsQuery): EvalItemsParams {
  return {
    runId,
    sort: query.sort,
    order: query.order,
    ...(query.category !== null ? { category: query.category } : {}),
    ...(query.failure !== 'all' ? { failure: query.failure } : {}),
    offset: query.page * RESULTS_PAGE_SIZE,
    limit: RESULTS_PAGE_SIZE,
  };
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / RESULTS_PAGE_SIZE));
}

/** An item's value in a column: judge scores 0..100, metrics 0..1; null when there is none. */
export function scoreOf(item: EvalItemResult, key: ScoreKey): number | null {
  if (key === 'imageScore') return item.imageJudgment?.score ?? null;
  if (key === 'codeScore') return item.codeJudgment?.score ?? null;
  return item.metrics?.[key] ?? null;
}

/** A cell: judge scores out of 100 with one decimal, metrics with three decimals, "—" for none. */
export function formatScore(key: ScoreKey, value: number | null): string {
  if (value === null) return '—';
  return key === 'imageScore' || key === 'codeScore' ? value.toFixed(1) : value.toFixed(3);
}
