import { DETERMINISTIC_METRIC_KEYS, failureClassSchema } from '../../api/eval';
import type {
  Estimate,
  EstimatePair,
  EvalItemResult,
  FailureClass,
  GroupSummary,
  Judgment,
  JudgeScoreSummary,
  MetricKey,
  MetricSummary,
  ReportRunInfo,
  RunSummaryReport,
  SamplesSummary,
} from '../../api/eval';
import { createRandom } from '../../icc/generators/random';
import { bootstrapMean, quantile } from '../stats/bootstrap';
import type { BootstrapOptions } from '../stats/bootstrap';

/**
 * The report's numbers of a run: pure functions over its item records (no database), every mean with a
 * fixed-seed 95% bootstrap CI, in the published conditional variant and our strict one. Their shapes are
 * the API's (`main/api/eval.ts`): eval.run, eval.report and the CLI all show these numbers.
 */

export type {
  Estimate,
  EstimatePair,
  GroupSummary,
  JudgeScoreSummary,
  MetricKey,
  MetricSummary,
  ReportRunInfo,
  RunSummaryReport,
  SamplesSummary,
};
export type ScoreKey = 'imageScore' | 'codeScore';

/**
 * A run's records as a report reads them; `items` are the finished answers (one per item, or one per item ×
 * sample in runs with several samples per item, an item's samples next to each other).
 */
export interface ReportRun {
  info: ReportRunInfo;
  items: readonly EvalItemResult[];
}

export const REPORT_BOOTSTRAP = { resamples: 2000, level: 0.95, seed: 20260311 } as const;

export interface ReportOptions {
  bootstrap?: BootstrapOptions;
}

export function resolvedBootstrap(options: ReportOptions): Required<BootstrapOptions> {
  return {
    resamples: options.bootstrap?.resamples ?? REPORT_BOOTSTRAP.resamples,
    level: options.bootstrap?.level ?? REPORT_BOOTSTRAP.level,
    seed: options.bootstrap?.seed ?? REPORT_BOOTSTRAP.seed,
  };
}

const EMPTY: Estimate = { mean: null, low: null, high: null, n: 0 };

export function estimate(values: readonly number[], options: BootstrapOptions): Estimate {
  if (values.length === 0) return EMPTY;
  const { mean, low, high, n } = bootstrapMean(values, options);
  return { mean, low, high, n };
}

/**
 * Percentile bootstrap of any statistic of the items (resampling items, like `bootstrapMean` with the same
 * seed and draw order); resamples where the statistic is undefined (null) are left out of the interval.
 */
export function bootstrapStatistic(
  n: number,
  statistic: (indices: readonly number[]) => number | null,
  options: BootstrapOptions,
): Estimate {
  const all = Array.from({ length: n }, (_, i) => i);
  const mean = n === 0 ? null : statistic(all);
  if (mean === null) return { ...EMPTY, n };
  const random = createRandom(options.seed ?? REPORT_BOOTSTRAP.seed).next;
  const level = options.level ?? REPORT_BOOTSTRAP.level;
  const values: number[] = [];
  const indices = new Array<number>(n);
  for (let r = 0; r < (options.resamples ?? REPORT_BOOTSTRAP.resamples); r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    const v = statistic(indices);
    if (v !== null) values.push(v);
  }
  if (values.length === 0) return { mean, low: null, high: null, n };
  values.sort((a, b) => a - b);
  return { mean, low: quantile(values, (1 - level) / 2), high: quantile(values, 1 - (1 - level) / 2), n };
}

/** One answer's values as the report counts them: the protocol's per-answer quantities, both variants. */
export interface AnswerValues {
  executed: boolean;
  imageWritten: boolean;
  /** Executed with a metrics record (the answers a metric's availability is judged on). */
  measured: boolean;
  /** Judge score, or null when unscored/unjudged/no judge (the strict variant counts those 0). */
  imageScore: number | null;
  codeScore: number | null;
  /** A metric's value on an executed answer, or null (no metrics, or the metric has no value). */
  metric: (key: MetricKey) => number | null;
}

export function answerValues(r: EvalItemResult): AnswerValues {
  const executed = r.official?.executed === true;
  return {
    executed,
    imageWritten: r.official?.imageWritten === true,
    measured: executed && r.metrics !== null,
    imageScore: r.imageJudgment?.score ?? null,
    codeScore: r.codeJudgment?.score ?? null,
    metric: (key) => (executed ? (r.metrics?.[key] ?? null) : null),
  };
}

/** Whether each judge ran: the run's config when known, else any item carrying that judgment. */
export function judgesOf(run: ReportRun): { image: boolean; code: boolean } {
  return (
    run.info.judges ?? {
      image: run.items.some((r) => r.imageJudgment !== null),
      code: run.items.some((r) => r.codeJudgment !== null),
    }
  );
}

/** The per-answer score a strict mean averages: the score, or 0 for a failure, an unscored or unjudged answer. */
export const strictScore = (score: number | null) => score ?? 0;

/**
 * One answer's strict Final, (Image + Code + Exec) / 3 with failures 0: the strict Final is exactly the mean
 * of these (over items, an item's answers averaged first), which is what its bootstrap resamples.
 */
export function answerStrictFinal(v: AnswerValues): number {
  return (strictScore(v.imageScore) + strictScore(v.codeScore) + (v.executed ? 100 : 0)) / 3;
}

/** Mean of the numbers, null when there are none. */
function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1); null under two values. */
function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = meanOf(values)!;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * One item's values over its answers (its samples): every per-item quantity is the mean over the answers, so
 * with one answer per item each is that answer's value exactly. Strict means count failures 0; conditional
 * ones are over the executed answers with a value, null when there is none.
 */
export interface ItemValues {
  answers: readonly AnswerValues[];
  /** Share of the answers that executed, 0..1 (0 or 1 with one answer). */
  executedShare: number;
  imageWrittenShare: number;
  anyExecuted: boolean;
  /** Some answer executed with a metrics record. */
  measured: boolean;
  strict: { imageScore: number; codeScore: number; final: number };
  conditional: Record<ScoreKey, number | null>;
  /** The metric's mean over executed answers with a value, or null. */
  metric: (key: MetricKey) => number | null;
  /** The metric's mean over every answer, failures (and answers without it) 0. */
  strictMetric: (key: MetricKey) => number;
}

export function itemValues(records: readonly EvalItemResult[]): ItemValues {
  const answers = records.map(answerValues);
  const share = (pick: (v: AnswerValues) => boolean) => answers.filter(pick).length / answers.length;
  const conditional = (key: ScoreKey) =>
    meanOf(answers.filter((v) => v.executed && v[key] !== null).map((v) => v[key]!));
  return {
    answers,
    executedShare: share((v) => v.executed),
    imageWrittenShare: share((v) => v.imageWritten),
    anyExecuted: answers.some((v) => v.executed),
    measured: answers.some((v) => v.measured),
    strict: {
      imageScore: meanOf(answers.map((v) => strictScore(v.imageScore)))!,
      codeScore: meanOf(answers.map((v) => strictScore(v.codeScore)))!,
      final: meanOf(answers.map(answerStrictFinal))!,
    },
    conditional: { imageScore: conditional('imageScore'), codeScore: conditional('codeScore') },
    metric: (key) => meanOf(answers.map((v) => v.metric(key)).filter((m): m is number => m !== null)),
    strictMetric: (key) => meanOf(answers.map((v) => v.metric(key) ?? 0))!,
  };
}

/**
 * A run's answers grouped into items (same item id and uid), in order of first appearance. An answer whose
 * sample an item already has is a different item (two records of one answer never merge into a mean).
 */
export function itemsOf(records: readonly EvalItemResult[]): EvalItemResult[][] {
  const groups: EvalItemResult[][] = [];
  const open = new Map<string, EvalItemResult[]>();
  for (const r of records) {
    const key = `${r.itemId}\u0000${r.uid}`;
    const group = open.get(key);
    if (group && !group.some((g) => (g.sample ?? 0) === (r.sample ?? 0))) group.push(r);
    else {
      const fresh = [r];
      groups.push(fresh);
      open.set(key, fresh);
    }
  }
  return groups;
}

function judgeSummary(
  records: readonly EvalItemResult[],
  values: readonly ItemValues[],
  key: ScoreKey,
  options: BootstrapOptions,
): JudgeScoreSummary {
  const judgment = (r: EvalItemResult): Judgment | null =>
    key === 'imageScore' ? r.imageJudgment : r.codeJudgment;
  // The published means: executed answers whose judgment has a score (the public script's filter).
  const conditional = values.map((v) => v.conditional[key]).filter((s): s is number => s !== null);
  return {
    conditional: estimate(conditional, options),
    strict: estimate(
      values.map((v) => v.strict[key]),
      options,
    ),
    unscored: records.filter((r) => judgment(r) !== null && judgment(r)!.score === null).length,
    failedAttempts: records.reduce((sum, r) => sum + (judgment(r)?.failures ?? 0), 0),
    unjudged: records.filter((r) => judgment(r) === null).length,
  };
}

function conditionalMean(values: readonly ItemValues[], indices: readonly number[], key: ScoreKey) {
  let sum = 0;
  let n = 0;
  for (const i of indices) {
    const score = values[i]!.conditional[key];
    if (score !== null) {
      sum += score;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

/** The published Final: conditional Image and Code means plus Exec Rate, each recomputed per resample. */
function conditionalFinal(values: readonly ItemValues[], indices: readonly number[]): number | null {
  const image = conditionalMean(values, indices, 'imageScore');
  const code = conditionalMean(values, indices, 'codeScore');
  if (image === null || code === null) return null;
  let executed = 0;
  for (const i of indices) executed += values[i]!.executedShare;
  return (image + code + (executed / indices.length) * 100) / 3;
}

function metricSummary(
  values: readonly ItemValues[],
  key: MetricKey,
  options: BootstrapOptions,
): MetricSummary {
  const present = values.map((v) => v.metric(key)).filter((m): m is number => m !== null);
  // Unavailable only when measured items lack it; with nothing measured (every item failed) failures are 0.
  const available = present.length > 0 || !values.some((v) => v.measured);
  return {
    conditional: estimate(present, options),
    strict: available
      ? estimate(
          values.map((v) => v.strictMetric(key)),
          options,
        )
      : EMPTY,
    available,
  };
}

/** How the items' samples spread: execution's pass@N and the mean within-item standard deviations. */
function samplesSummary(
  values: readonly ItemValues[],
  judges: { image: boolean; code: boolean },
  options: BootstrapOptions,
): SamplesSummary {
  const spread = (pick: (v: AnswerValues) => number) =>
    meanOf(values.map((v) => sampleStd(v.answers.map(pick))).filter((std): std is number => std !== null));
  return {
    perItem: values.reduce((most, v) => Math.max(most, v.answers.length), 0),
    answers: values.reduce((sum, v) => sum + v.answers.length, 0),
    anyExecuted: estimate(
      values.map((v) => (v.anyExecuted ? 100 : 0)),
      options,
    ),
    withinItemStd: {
      execRate: spread((v) => (v.executed ? 100 : 0)),
      imageScore: judges.image ? spread((v) => strictScore(v.imageScore)) : null,
      codeScore: judges.code ? spread((v) => strictScore(v.codeScore)) : null,
      final: judges.image && judges.code ? spread(answerStrictFinal) : null,
    },
  };
}

function countBy<T>(things: readonly T[], key: (t: T) => string | null | undefined): Record<string, number> {
  const counts = new Map<string, number>();
  for (const t of things) {
    const k = key(t);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/**
 * One group's numbers. Every mean and CI is over items, an item's answers averaged first, so the bootstrap
 * resamples items (whole clusters of samples); counts (executed, failures, the judges') count answers.
 */
function groupSummary(
  records: readonly EvalItemResult[],
  judges: { image: boolean; code: boolean },
  group: { category: string | null; overall: boolean },
  options: BootstrapOptions,
  withSamples: boolean,
): GroupSummary {
  const values = itemsOf(records).map(itemValues);
  const answers = values.flatMap((v) => v.answers);
  const imageScore = judges.image ? judgeSummary(records, values, 'imageScore', options) : null;
  const codeScore = judges.code ? judgeSummary(records, values, 'codeScore', options) : null;
  const failures = Object.fromEntries(failureClassSchema.options.map((f) => [f, 0])) as Record<
    FailureClass,
    number
  >;
  for (const r of records) if (r.failure) failures[r.failure]++;
  return {
    ...group,
    items: values.length,
    executed: answers.filter((v) => v.executed).length,
    imageWritten: answers.filter((v) => v.imageWritten).length,
    execRate: estimate(
      values.map((v) => v.executedShare * 100),
      options,
    ),
    imageWrittenRate: estimate(
      values.map((v) => v.imageWrittenShare * 100),
      options,
    ),
    imageScore,
    codeScore,
    final:
      imageScore && codeScore
        ? {
            conditional: bootstrapStatistic(values.length, (ix) => conditionalFinal(values, ix), options),
            strict: estimate(
              values.map((v) => v.strict.final),
              options,
            ),
          }
        : null,
    metrics: Object.fromEntries(
      DETERMINISTIC_METRIC_KEYS.map((k) => [k, metricSummary(values, k, options)]),
    ) as Record<MetricKey, MetricSummary>,
    failures,
    exceptions: countBy(records, (r) =>
      r.failure === 'runtime' ? (r.official?.exceptionType ?? 'unknown exception') : null,
    ),
    ...(withSamples ? { samples: samplesSummary(values, judges, options) } : {}),
  };
}

/** Categories by name, items without one last. */
export function categoriesOf(items: readonly EvalItemResult[]): (string | null)[] {
  const names = [...new Set(items.map((r) => r.category))];
  return names.sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
}

/**
 * Summarises a run per category and overall.
 *
 * - Exec Rate: executed (exit 0 and an image) / items × 100; next to it the public script's "any image
 *   written" rate.
 * - Image and Code Score: conditional = over executed items whose judgment has a score (the published
 *   means); strict = over every item, failures, unscored and unjudged items counting 0.
 * - Final = (Image + Code + Exec Rate) / 3, both variants, only when both judges ran: a run without a judge
 *   has its judge's score and Final null (never a Final from a missing score) and says so in `notes`.
 * - Deterministic metrics (0..1): conditional = over executed items with a value; strict = every item,
 *   failures 0 — none when the metric has no value at all (a metric this build does not compute).
 * - CIs: percentile bootstrap over items, fixed seed; the conditional Final resamples items and recomputes
 *   its three parts on each resample.
 * - Several samples per item: each per-item quantity above is the mean over the item's answers (Exec Rate:
 *   the share of its answers that executed; conditional means: over its executed, scored answers), then the
 *   run's mean is over items and the bootstrap resamples items, so CIs stay clustered by item. Each group
 *   then carries `samples`: execution's pass@N and the within-item spread. With one sample per item every
 *   number is the one-answer number exactly.
 */
export function summarizeRun(run: ReportRun, options: ReportOptions = {}): RunSummaryReport {
  const bootstrap = resolvedBootstrap(options);
  const judges = judgesOf(run);
  const samplesPerItem = run.info.samplesPerItem ?? 1;
  const withSamples = samplesPerItem > 1 || itemsOf(run.items).some((g) => g.length > 1);
  const overall = groupSummary(run.items, judges, { category: null, overall: true }, bootstrap, withSamples);
  const categories = categoriesOf(run.items).map((category) =>
    groupSummary(
      run.items.filter((r) => r.category === category),
      judges,
      { category, overall: false },
      bootstrap,
      withSamples,
    ),
  );
  const notes: string[] = [];
  if (!judges.image || !judges.code) {
    const missing = [!judges.image && 'image', !judges.code && 'code'].filter(Boolean).join(' and ');
    notes.push(
      `No ${missing} judge in this run: its score is not reported and Final, which needs both scores, is not defined. Exec Rate and the deterministic metrics stand on their own.`,
    );
  }
  if (run.info.total !== undefined && run.items.length < run.info.total)
    notes.push(
      withSamples
        ? `Unfinished run: ${run.items.length} of ${run.info.total} answers (${samplesPerItem} per item) finished; every number is over the finished answers, an item's mean over those of its samples that finished.`
        : `Unfinished run: ${run.items.length} of ${run.info.total} items finished; every number is over the finished items.`,
    );
  if (withSamples)
    notes.push(
      `${samplesPerItem} samples per item: every score, rate and metric is a mean over items of the item's mean over its samples, with CIs from resampling items; counts (executed, failures, judge failures) count answers.`,
    );
  const unavailable = DETERMINISTIC_METRIC_KEYS.filter((k) => !overall.metrics[k].available);
  if (unavailable.length > 0 && overall.executed > 0)
    notes.push(
      `No value in this run for ${unavailable.join(', ')} (not computed by this build or run): no mean is shown, rather than a made-up 0.`,
    );
  for (const [key, score] of [
    ['Image', overall.imageScore],
    ['Code', overall.codeScore],
  ] as const) {
    if (score && score.unscored > 0)
      notes.push(
        `${key} judge: ${score.unscored} judgment(s) without a score after every attempt — 0 in the strict mean, left out of the conditional one.`,
      );
  }
  return {
    run: { ...run.info, items: run.items.length },
    judges,
    bootstrap,
    overall,
    categories,
    notes,
  };
}
