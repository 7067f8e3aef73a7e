import type { EvalItemResult, EvalRunInfo } from '../../../main/api/eval';
import { scoreOf } from './resultsQuery';
import type { ScoreKey } from './resultsQuery';
import type { SummaryRow } from './summaryFormat';

/** Runs that can be compared with `run`: on the same benchmark, not itself. */
export function comparableRuns(runs: EvalRunInfo[], run: EvalRunInfo | null): EvalRunInfo[] {
  if (!run) return [];
  return runs.filter((r) => r.id !== run.id && r.benchmark.id === run.benchmark.id);
}

export interface MetricComparison {
  key: SummaryRow['key'];
  label: string;
  a: SummaryRow | null;
  b: SummaryRow | null;
  /** B − A of the strict means (0..100 scale), null when either is missing. */
  delta: number | null;
}

/** The two summaries' rows side by side, in A's order, with rows only B has appended. */
export function compareSummaries(a: SummaryRow[], b: SummaryRow[]): MetricComparison[] {
  const keys = [...a.map((r) => r.key), ...b.map((r) => r.key).filter((k) => !a.some((r) => r.key === k))];
  return keys.map((key) => {
    const ra = a.find((r) => r.key === key) ?? null;
    const rb = b.find((r) => r.key === key) ?? null;
    const va = ra?.values.strict ?? null;
    const vb = rb?.values.strict ?? null;
    return {
      key,
      label: (ra ?? rb)!.label,
      a: ra,
      b: rb,
      delta: va === null || vb === null ? null : vb - va,
    };
  });
}

export interface ItemComparison {
  itemId: number;
  uid: string;
  category: string | null;
  a: EvalItemResult | null;
  b: EvalItemResult | null;
  valueA: number | null;
  valueB: number | null;
  /** B − A; failures count 0 (the strict view), null when the item is missing from a run. */
  delta: number | null;
}

/**
 * Per-item differences on one score: items paired by id; a failed item (no value) counts 0 so a fix reads
 * as a gain. Sorted by the size of the change, largest first, then by item.
 */
export function compareItems(a: EvalItemResult[], b: EvalItemResult[], key: ScoreKey): ItemComparison[] {
  const byId = new Map<number, { a: EvalItemResult | null; b: EvalItemResult | null }>();
  for (const item of a) byId.set(item.itemId, { a: item, b: null });
  for (const item of b) byId.set(item.itemId, { a: byId.get(item.itemId)?.a ?? null, b: item });
  const strict = (item: EvalItemResult | null) => (item ? (scoreOf(item, key) ?? 0) : null);
  return [...byId.entries()]
    .map(([itemId, pair]) => {
      const any = (pair.a ?? pair.b)!;
      const va = strict(pair.a);
      const vb = strict(pair.b);
      return {
        itemId,
        uid: any.uid,
        category: any.category,
        a: pair.a,
        b: pair.b,
        valueA: pair.a ? scoreOf(pair.a, key) : null,
        valueB: pair.b ? scoreOf(pair.b, key) : null,
        delta: va === null || vb === null ? null : vb - va,
      };
    })
    .sort((x, y) => Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0) || x.itemId - y.itemId);
}
