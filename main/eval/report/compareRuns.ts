import { DETERMINISTIC_METRIC_KEYS } from '../../api/eval';
import type {
  ComparedQuantity,
  ComparisonRow,
  EvalItemResult,
  ExecutionFlip,
  PairedDifference,
  RunComparison,
  Verdict,
} from '../../api/eval';
import { pairedBootstrap } from '../stats/bootstrap';
import type { BootstrapOptions } from '../stats/bootstrap';
import { itemValues, itemsOf, judgesOf, resolvedBootstrap } from './summarize';
import type { ItemValues, ReportOptions, ReportRun } from './summarize';

/**
 * Run A against run B on the items both contain (matched by uid): paired bootstrap per score and metric,
 * so per-item difficulty cancels, and the items whose execution flipped. Runs with several samples per item
 * compare per-item means (an item's samples averaged first), so either run may have any number of samples.
 * Shapes: `main/api/eval.ts`.
 */

export type { ComparedQuantity, ComparisonRow, ExecutionFlip, PairedDifference, RunComparison, Verdict };

/** An item's answers (its samples) by uid. */
function byUid(run: ReportRun): Map<string, EvalItemResult[]> {
  const map = new Map<string, EvalItemResult[]>();
  for (const answers of itemsOf(run.items)) {
    const uid = answers[0]!.uid;
    if (map.has(uid))
      throw new Error(
        `Run "${run.info.name}" has two items with uid "${uid}"; a comparison pairs items by uid, so each must be unique.`,
      );
    map.set(uid, answers);
  }
  return map;
}

/** The failure of an item whose every answer failed: its most frequent failure class (the first on a tie). */
function failureOf(answers: readonly EvalItemResult[]): EvalItemResult['failure'] {
  const counts = new Map<EvalItemResult['failure'], number>();
  for (const r of answers) counts.set(r.failure, (counts.get(r.failure) ?? 0) + 1);
  let best: EvalItemResult['failure'] = answers[0]!.failure;
  for (const [failure, n] of counts) if (n > counts.get(best)!) best = failure;
  return best;
}

const average = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;

function paired(pairs: readonly (readonly [number, number])[], options: BootstrapOptions): PairedDifference {
  const a = pairs.map(([x]) => x);
  const b = pairs.map(([, y]) => y);
  if (pairs.length === 0)
    return {
      n: 0,
      meanA: null,
      meanB: null,
      difference: null,
      low: null,
      high: null,
      p: null,
      verdict: 'no detectable difference',
    };
  const result = pairedBootstrap(a, b, options);
  return {
    n: pairs.length,
    meanA: average(a),
    meanB: average(b),
    difference: result.difference.mean,
    low: result.difference.low,
    high: result.difference.high,
    p: result.p,
    verdict:
      result.better === 'a' ? 'A better' : result.better === 'b' ? 'B better' : 'no detectable difference',
  };
}

type Pair = readonly [ItemValues, ItemValues];

/** Per-item value pairs of one quantity: strict (every pair) and conditional (pairs both runs qualify for). */
function quantityPairs(
  quantity: ComparedQuantity,
  pairs: readonly Pair[],
): { strict: [number, number][] | null; conditional: [number, number][] } {
  switch (quantity) {
    case 'execRate': {
      const rate = (v: ItemValues) => v.executedShare * 100;
      // Exec has no conditional variant: on items both executed it is 100 on both sides.
      return { strict: pairs.map(([a, b]) => [rate(a), rate(b)]), conditional: [] };
    }
    case 'imageScore':
    case 'codeScore':
      return {
        strict: pairs.map(([a, b]) => [a.strict[quantity], b.strict[quantity]]),
        // Items both runs executed and scored (a per-item conditional mean exists only then).
        conditional: pairs
          .map(([a, b]) => [a.conditional[quantity], b.conditional[quantity]] as const)
          .filter((p): p is [number, number] => p[0] !== null && p[1] !== null),
      };
    case 'final':
      return {
        strict: pairs.map(([a, b]) => [a.strict.final, b.strict.final]),
        // Per item the published Final has no meaning (its means are over different item sets).
        conditional: [],
      };
    default: {
      const measured = pairs
        .map(([a, b]) => [a.metric(quantity), b.metric(quantity)] as const)
        .filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
      const available = (side: 0 | 1) => pairs.some((p) => p[side].metric(quantity) !== null);
      return {
        // A metric missing from a run (not computed) would compare against made-up zeros: no strict row.
        strict:
          available(0) && available(1)
            ? pairs.map(([a, b]) => [a.strictMetric(quantity), b.strictMetric(quantity)])
            : null,
        conditional: measured,
      };
    }
  }
}

/**
 * Compares run A with run B on their shared items. A row's verdict is "A better" / "B better" when the 95%
 * paired-bootstrap interval of A − B excludes 0, else "no detectable difference".
 */
export function compareRuns(a: ReportRun, b: ReportRun, options: ReportOptions = {}): RunComparison {
  const bootstrap = resolvedBootstrap(options);
  const itemsA = byUid(a);
  const itemsB = byUid(b);
  const shared = [...itemsA.keys()].filter((uid) => itemsB.has(uid));
  const records = shared.map((uid) => [itemsA.get(uid)!, itemsB.get(uid)!] as const);
  const pairs: Pair[] = records.map(([x, y]) => [itemValues(x), itemValues(y)]);
  const judgesA = judgesOf(a);
  const judgesB = judgesOf(b);
  const quantities: ComparedQuantity[] = [
    'execRate',
    'imageScore',
    'codeScore',
    'final',
    ...DETERMINISTIC_METRIC_KEYS,
  ];
  const rows = quantities.map((quantity): ComparisonRow => {
    const needs = (['image', 'code'] as const).filter(
      (j) => quantity === `${j}Score` || quantity === 'final',
    );
    const missing = (
      [
        ['A', judgesA],
        ['B', judgesB],
      ] as const
    )
      .map(([label, judges]) => [label, needs.filter((j) => !judges[j])] as const)
      .filter(([, absent]) => absent.length > 0)
      .map(([label, absent]) => `run ${label} has no ${absent.join(' or ')} judge`);
    if (missing.length > 0)
      return {
        quantity,
        strict: null,
        conditional: null,
        unavailable: `Not compared: ${missing.join(', ')}.`,
      };
    const values = quantityPairs(quantity, pairs);
    if (!values.strict)
      return {
        quantity,
        strict: null,
        conditional: null,
        unavailable: 'Not compared: no value in run A or run B (a metric that run did not compute).',
      };
    const hasConditional = !['execRate', 'final'].includes(quantity);
    return {
      quantity,
      strict: paired(values.strict, bootstrap),
      conditional: hasConditional ? paired(values.conditional, bootstrap) : null,
      unavailable: null,
    };
  });
  // An item flips when some answer executed in one run and every answer failed in the other.
  const flip = (r: readonly EvalItemResult[], failed: readonly EvalItemResult[]): ExecutionFlip => ({
    uid: r[0]!.uid,
    category: r[0]!.category,
    failure: failureOf(failed),
  });
  return {
    a: a.info,
    b: b.info,
    shared: shared.length,
    onlyInA: [...itemsA.keys()].filter((uid) => !itemsB.has(uid)),
    onlyInB: [...itemsB.keys()].filter((uid) => !itemsA.has(uid)),
    rows,
    flips: {
      executedInAOnly: records
        .filter((_, i) => pairs[i]![0].anyExecuted && !pairs[i]![1].anyExecuted)
        .map(([x, y]) => flip(x, y)),
      executedInBOnly: records
        .filter((_, i) => !pairs[i]![0].anyExecuted && pairs[i]![1].anyExecuted)
        .map(([x, y]) => flip(y, x)),
    },
    bootstrap,
  };
}
