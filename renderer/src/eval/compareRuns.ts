import type {
  ComparedQuantity,
  EvalItemResult,
  EvalRunInfo,
  PairedDifference,
  RunComparison,
} from '../../../main/api/eval';
import { SCORE_COLUMNS, scoreOf } from './resultsQuery';
import type { ScoreKey } from './resultsQuery';

/** Runs that can be compared with `run`: on the same benchmark, not itself. */
export function comparableRuns(runs: EvalRunInfo[], run: EvalRunInfo | null): EvalRunInfo[] {
  if (!run) return [];
  return runs.filter((r) => r.id !== run.id && r.benchmark.id === run.benchmark.id);
}

/** One line of the comparison table: a quantity in one variant, as the engine's eval.compare computed it. */
export interface ComparisonLine {
  key: ComparedQuantity;
  label: string;
  variant: 'strict' | 'conditional';
  /** Items paired in this line. */
  n: number;
  a: string;
  b: string;
  /** B − A with its 95% CI (the engine reports A − B; the UI reads B as the newer run). */
  delta: number | null;
  delta95: string;
  deltaText: string;
  p: string;
  verdict: PairedDifference['verdict'];
}

const LABELS: Record<string, string> = {
  execRate: 'Exec Rate',
  final: 'Final',
  imageScore: 'Image Score',
  codeScore: 'Code Score',
  ...Object.fromEntries(SCORE_COLUMNS.filter((c) => !c.key.endsWith('Score')).map((c) => [c.key, c.label])),
};

/** "+33.3", "−0.012", "±0.0": the sign always shown, a true minus sign. */
export function signed(value: number | null, digits: number): string {
  if (value === null) return '—';
  const rounded = Number(value.toFixed(digits));
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(digits)}`;
}

/** p-values: "<0.001" below, else three decimals; "—" without a test. */
export function formatP(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/**
 * eval.compare's rows as table lines, strict first then conditional (where a quantity has one); judge scores,
 * Exec Rate and Final on 0–100 with one decimal, metrics 0–1 with three. Rows not compared are left out.
 */
export function comparisonLines(c: RunComparison): ComparisonLine[] {
  const lines: ComparisonLine[] = [];
  for (const row of c.rows) {
    const digits = ['execRate', 'imageScore', 'codeScore', 'final'].includes(row.quantity) ? 1 : 3;
    for (const [variant, d] of [
      ['strict', row.strict],
      ['conditional', row.conditional],
    ] as const) {
      if (!d || d.n === 0) continue;
      const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(digits));
      const neg = (v: number | null) => (v === null ? null : -v);
      lines.push({
        key: row.quantity,
        label: LABELS[row.quantity] ?? row.quantity,
        variant,
        n: d.n,
        a: fmt(d.meanA),
        b: fmt(d.meanB),
        delta: neg(d.difference),
        deltaText: signed(neg(d.difference), digits),
        delta95:
          d.low === null || d.high === null
            ? ''
            : `[${signed(neg(d.high), digits)}, ${signed(neg(d.low), digits)}]`,
        p: formatP(d.p),
        verdict: d.verdict,
      });
    }
  }
  return lines;
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
