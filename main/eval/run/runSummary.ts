import { DETERMINISTIC_METRIC_KEYS } from '../../api/eval';
import type { EvalItemResult, EvalSummary, Judgment, MeanPair } from '../../api/eval';

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

function judgeSummary(items: EvalItemResult[], pick: (r: EvalItemResult) => Judgment | null) {
  const judged = items.map((r) => ({ r, j: pick(r) }));
  // The published means: executed items whose judgment has a score.
  const conditional = judged
    .filter(({ r, j }) => r.official?.executed === true && j !== null && j.score !== null)
    .map(({ j }) => j!.score!);
  return {
    conditional: mean(conditional),
    // Strict: every finished item; not executed, unscored or not yet judged counts 0.
    strict: mean(judged.map(({ j }) => j?.score ?? 0)),
    n: conditional.length,
    unscored: judged.filter(({ j }) => j !== null && j.score === null).length,
    failedAttempts: judged.reduce((sum, { j }) => sum + (j?.failures ?? 0), 0),
  };
}

function metricMean(items: EvalItemResult[], key: (typeof DETERMINISTIC_METRIC_KEYS)[number]): MeanPair {
  const measured = items.filter((r) => r.metrics !== null).map((r) => r.metrics![key]);
  const present = measured.filter((v): v is number => v !== null);
  // A metric this build or run does not compute (no value on measured items) has no strict mean either:
  // its failures counting 0 would show a made-up 0.
  const unavailable = present.length < measured.length;
  return {
    conditional: mean(present),
    strict: unavailable ? null : mean(items.map((r) => r.metrics?.[key] ?? 0)),
    n: present.length,
  };
}

/**
 * The run's numbers over its finished items: Exec Rate, judge means (published conditional and strict),
 * Final both ways when both judges ran, the deterministic metric means, and the failure taxonomy.
 */
export function summarize(
  items: readonly EvalItemResult[],
  total: number,
  judges: { image: boolean; code: boolean },
): EvalSummary {
  const finished = [...items];
  const complete = finished.length;
  const executed = finished.filter((r) => r.official?.executed === true).length;
  const rate = (n: number) => (complete === 0 ? null : (n / complete) * 100);
  const execRate = rate(executed);
  const imageScore = judges.image ? judgeSummary(finished, (r) => r.imageJudgment) : null;
  const codeScore = judges.code ? judgeSummary(finished, (r) => r.codeJudgment) : null;
  const third = (a: number | null | undefined, b: number | null | undefined) =>
    a == null || b == null || execRate === null ? null : (a + b + execRate) / 3;
  const failures: Record<string, number> = {};
  const exceptions: Record<string, number> = {};
  for (const r of finished) {
    if (r.failure) failures[r.failure] = (failures[r.failure] ?? 0) + 1;
    const type = r.official?.exceptionType;
    if (r.failure === 'runtime' && type) exceptions[type] = (exceptions[type] ?? 0) + 1;
  }
  return {
    total,
    complete,
    executed,
    execRate,
    imageWrittenRate: rate(finished.filter((r) => r.official?.imageWritten === true).length),
    imageScore,
    codeScore,
    final:
      imageScore && codeScore
        ? {
            conditional: third(imageScore.conditional, codeScore.conditional),
            strict: third(imageScore.strict, codeScore.strict),
          }
        : null,
    metrics: Object.fromEntries(DETERMINISTIC_METRIC_KEYS.map((k) => [k, metricMean(finished, k)])),
    failures,
    exceptions,
  };
}
