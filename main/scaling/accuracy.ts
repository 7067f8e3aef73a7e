import type { Accuracy, CellKey, StudyCell } from '../api/scaling';
import { bootstrapMean } from '../eval/stats/bootstrap';

/** Fixed, so a study's intervals are reproducible to the last digit. */
export const ACCURACY_SEED = 20260307;
export const ACCURACY_RESAMPLES = 2000;

export interface AccuracyItem {
  id: number;
  /** The item's benchmark (its `source`, else the dataset's name). */
  benchmark: string;
  category: string;
}

export interface CellAnswer {
  correct: boolean;
  /** The model call (or the caption it needed) failed; counts as wrong. */
  failed: boolean;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Accuracy over 0/1 outcomes with its 95% percentile-bootstrap CI; null mean and bounds when empty. */
export function accuracyOf(outcomes: readonly boolean[]): Accuracy {
  const values = outcomes.map((o) => (o ? 1 : 0));
  const interval = bootstrapMean(values, { seed: ACCURACY_SEED, resamples: ACCURACY_RESAMPLES });
  return {
    mean: finite(interval.mean),
    low: finite(interval.low),
    high: finite(interval.high),
    n: values.length,
    correct: values.reduce((a: number, b) => a + b, 0),
  };
}

function grouped(
  items: readonly AccuracyItem[],
  answers: ReadonlyMap<number, CellAnswer>,
  keyOf: (item: AccuracyItem) => string,
): Record<string, Accuracy> {
  const groups = new Map<string, boolean[]>();
  for (const item of items) {
    const answer = answers.get(item.id);
    if (!answer) continue;
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(answer.correct);
    groups.set(key, list);
  }
  const out: Record<string, Accuracy> = {};
  for (const key of [...groups.keys()].sort()) out[key] = accuracyOf(groups.get(key)!);
  return out;
}

/**
 * One cell of the grid from its answers: accuracy over every answered item (failures count as wrong), per
 * benchmark and per category, and the macro mean over benchmarks (the "Avg" column of papers). Items not
 * answered yet are `pending` and are left out of every mean.
 */
export function cellAccuracy(
  key: CellKey,
  items: readonly AccuracyItem[],
  answers: ReadonlyMap<number, CellAnswer>,
): StudyCell {
  const answered = items.filter((i) => answers.has(i.id));
  const byBenchmark = grouped(items, answers, (i) => i.benchmark);
  const means = Object.values(byBenchmark)
    .map((a) => a.mean)
    .filter((m): m is number => m !== null);
  return {
    ...key,
    kind: key.solver === null ? 'direct' : 'pipeline',
    overall: accuracyOf(answered.map((i) => answers.get(i.id)!.correct)),
    macro: means.length === 0 ? null : means.reduce((a, b) => a + b, 0) / means.length,
    byBenchmark,
    byCategory: grouped(items, answers, (i) => i.category),
    pending: items.length - answered.length,
    failed: answered.filter((i) => answers.get(i.id)!.failed).length,
  };
}
