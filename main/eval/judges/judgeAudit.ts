import type { Judgment } from '../../api/eval';
import type { ChatModel } from '../../models/chatEngine';
import { judgeCode } from './codeJudge';
import { judgeImage } from './imageJudge';
import { readJudgeScore } from './judgeRunner';
import type { JudgeOptions } from './judgeRunner';
import { spearman } from './rankCorrelation';

export type JudgeKind = 'image' | 'code';

/** One audited item: a reference and a candidate (images for the image judge, code for the code judge). */
export interface JudgeAuditItem {
  id: string;
  reference: string;
  candidate: string;
  /** Deterministic metrics of the candidate against the reference (e.g. `{ ssim: 0.81 }`), higher = closer. */
  metrics?: Readonly<Record<string, number | null>>;
}

export interface JudgeAuditOptions extends JudgeOptions {
  kind: JudgeKind;
  /** Judge calls in flight at once (default 1). */
  concurrency?: number;
  /** After each finished judge call. */
  onProgress?: (done: number, total: number) => void;
}

/** How closely two judgments of the same items agree (second minus first for the signed difference). */
export interface ScoreAgreement {
  /** Items where both judgments have a score. */
  pairs: number;
  meanAbsDiff: number | null;
  /** Mean of second − first: a steady lean, e.g. towards whichever image comes first. */
  meanDiff: number | null;
  /** Share (0..1) of pairs with exactly the same score. */
  exactShare: number | null;
}

export interface MetricAgreement {
  metric: string;
  /** Items where both the judge's score and the metric are known. */
  pairs: number;
  /** Spearman's rank correlation of the judge's scores with the metric; null when undefined. */
  spearman: number | null;
}

export type AuditCheck = 'self' | 'swapped' | 'repeat' | 'metrics' | 'failures' | 'format';
export type AuditLevel = 'good' | 'doubtful' | 'poor' | 'unknown';

export interface AuditFinding {
  check: AuditCheck;
  level: AuditLevel;
  /** One sentence a person can act on. */
  message: string;
}

export interface JudgeAuditItemResult {
  id: string;
  /** The reference judged against itself (should be ~100). */
  self: Judgment;
  /** The candidate judged as the run would judge it. */
  first: Judgment;
  /** The same input again. */
  repeat: Judgment;
  /** Candidate and reference swapped (the candidate shown first). */
  swapped: Judgment;
  metrics: Readonly<Record<string, number | null>>;
}

export interface JudgeAuditReport {
  kind: JudgeKind;
  /** The judge model as the Models page names it. */
  judge: string;
  items: number;
  /** Judgments asked for, and those that ended without a score. */
  judgments: number;
  failedJudgments: number;
  /** Failed attempts (unscored replies and failed calls) over all judgments, retried ones included. */
  failedAttempts: number;
  /**
   * Scored judgments whose reply had no `Score: N/100` line, so the protocol's fallback (the last integer)
   * gave the score — a judge that ignores the format, or noise that happens to hold a number.
   */
  fallbackScores: number;
  self: { scored: number; mean: number | null; min: number | null };
  repeat: ScoreAgreement;
  swapped: ScoreAgreement;
  metricAgreement: MetricAgreement[];
  findings: AuditFinding[];
  perItem: JudgeAuditItemResult[];
}

/** Where "good" ends and "poor" begins for each check; between the two a finding is "doubtful". */
export const AUDIT_THRESHOLDS = {
  /** Mean self score. */
  self: { good: 90, poor: 75 },
  /** Mean absolute difference, in points. */
  repeat: { good: 2, poor: 10 },
  swapped: { good: 10, poor: 20 },
  /** The best Spearman correlation with any deterministic metric. */
  metrics: { good: 0.5, poor: 0.2 },
  /** Share of judgments without a score. */
  failures: { good: 0.05, poor: 0.2 },
  /** Share of scores read by the fallback rule rather than from a score line. */
  format: { good: 0.05, poor: 0.2 },
} as const;

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;

/** Agreement of two judgments per item, over the items where both scored. */
export function scoreAgreement(
  first: readonly (number | null)[],
  second: readonly (number | null)[],
): ScoreAgreement {
  const diffs: number[] = [];
  first.forEach((a, i) => {
    const b = second[i];
    if (a !== null && b !== null && b !== undefined) diffs.push(b - a);
  });
  return {
    pairs: diffs.length,
    meanAbsDiff: mean(diffs.map(Math.abs)),
    meanDiff: mean(diffs),
    exactShare: diffs.length === 0 ? null : diffs.filter((d) => d === 0).length / diffs.length,
  };
}

/** Spearman correlation of the scores with each metric any item carries, over items where both are known. */
export function metricAgreement(
  scores: readonly (number | null)[],
  metrics: readonly Readonly<Record<string, number | null>>[],
): MetricAgreement[] {
  const names = [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort();
  return names.map((metric) => {
    const xs: number[] = [];
    const ys: number[] = [];
    scores.forEach((score, i) => {
      const value = metrics[i]?.[metric];
      if (score !== null && typeof value === 'number' && Number.isFinite(value)) {
        xs.push(score);
        ys.push(value);
      }
    });
    return { metric, pairs: xs.length, spearman: spearman(xs, ys) };
  });
}

function level(
  value: number | null,
  { good, poor }: { good: number; poor: number },
  higherIsBetter: boolean,
) {
  if (value === null) return 'unknown' as const;
  if (higherIsBetter ? value >= good : value <= good) return 'good' as const;
  if (higherIsBetter ? value < poor : value > poor) return 'poor' as const;
  return 'doubtful' as const;
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

/** Plain-language verdicts on each check, for the UI and CLI. */
export function auditFindings(report: Omit<JudgeAuditReport, 'findings' | 'perItem'>): AuditFinding[] {
  const t = AUDIT_THRESHOLDS;
  const findings: AuditFinding[] = [];
  const { self, repeat, swapped } = report;
  findings.push({
    check: 'self',
    level: level(self.mean, t.self, true),
    message:
      self.mean === null
        ? 'No reference-vs-itself judgment produced a score.'
        : `A reference judged against itself scores ${fmt(self.mean)} on average (lowest ${fmt(self.min!)}); a trustworthy judge gives about 100.`,
  });
  findings.push({
    check: 'repeat',
    level: level(repeat.meanAbsDiff, t.repeat, false),
    message:
      repeat.meanAbsDiff === null
        ? 'No item was scored twice, so repeatability is unknown.'
        : `Asked the same thing twice, the judge differs by ${fmt(repeat.meanAbsDiff)} points on average and agrees exactly on ${fmt(repeat.exactShare! * 100, 0)}% of ${repeat.pairs} items.`,
  });
  findings.push({
    check: 'swapped',
    level: level(swapped.meanAbsDiff, t.swapped, false),
    message:
      swapped.meanAbsDiff === null
        ? 'No item was scored in both orders, so order bias is unknown.'
        : `Swapping reference and candidate moves the score by ${fmt(swapped.meanAbsDiff)} points on average (${swapped.meanDiff! >= 0 ? '+' : ''}${fmt(swapped.meanDiff!)} when the candidate comes first).`,
  });
  const known = report.metricAgreement.filter((m) => m.spearman !== null);
  const best = known.reduce<MetricAgreement | null>(
    (a, m) => (a && a.spearman! >= m.spearman! ? a : m),
    null,
  );
  findings.push({
    check: 'metrics',
    level: level(best?.spearman ?? null, t.metrics, true),
    message: best
      ? `The judge's ranking of the items agrees best with ${best.metric} (Spearman ${fmt(best.spearman!, 2)} over ${best.pairs} items).`
      : 'Too few items with both a score and a varying metric to compare the judge with the deterministic metrics.',
  });
  const failureShare = report.judgments === 0 ? null : report.failedJudgments / report.judgments;
  findings.push({
    check: 'failures',
    level: level(failureShare, t.failures, false),
    message:
      failureShare === null
        ? 'No judgments were made.'
        : `${report.failedJudgments} of ${report.judgments} judgments ended without a score (${report.failedAttempts} failed attempts in all).`,
  });
  const scored = report.judgments - report.failedJudgments;
  const fallbackShare = scored === 0 ? null : report.fallbackScores / scored;
  findings.push({
    check: 'format',
    level: level(fallbackShare, t.format, false),
    message:
      fallbackShare === null
        ? 'No judgment produced a score, so the answer format is unknown.'
        : report.fallbackScores === 0
          ? `Every score came from a "Score: N/100" line.`
          : `${report.fallbackScores} of ${scored} scores had no "Score: N/100" line and were read from the last number in the reply (the protocol's fallback); read those replies before trusting them.`,
  });
  return findings;
}

/**
 * How far to trust a judge, measured on a few items: each is judged four times — the reference against itself,
 * the candidate, the candidate again, and the candidate with the order swapped — and the first scores are
 * compared with the items' deterministic metrics. Aborting `signal` rejects with its reason.
 */
export async function auditJudge(
  model: ChatModel,
  items: readonly JudgeAuditItem[],
  options: JudgeAuditOptions,
): Promise<JudgeAuditReport> {
  const { kind, attempts, signal, onProgress } = options;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`Audit concurrency must be an integer ≥ 1, got ${concurrency}.`);
  const judgeOptions = signal ? { attempts, signal } : { attempts };
  const judge = (reference: string, candidate: string): Promise<Judgment> =>
    kind === 'image'
      ? judgeImage(model, { referenceImage: reference, candidateImage: candidate }, judgeOptions)
      : judgeCode(model, { referenceCode: reference, candidateCode: candidate }, judgeOptions);

  // Per item, in this order: itself, the candidate, the candidate again, the candidate shown first.
  const tasks = items.flatMap((item): [string, string][] => [
    [item.reference, item.reference],
    [item.reference, item.candidate],
    [item.reference, item.candidate],
    [item.candidate, item.reference],
  ]);
  const results = new Array<Judgment>(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const at = next++;
      const [reference, candidate] = tasks[at]!;
      results[at] = await judge(reference, candidate);
      onProgress?.(++done, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  const perItem = items.map((item, i): JudgeAuditItemResult => ({
    id: item.id,
    self: results[4 * i]!,
    first: results[4 * i + 1]!,
    repeat: results[4 * i + 2]!,
    swapped: results[4 * i + 3]!,
    metrics: item.metrics ?? {},
  }));

  const scores = (pick: (r: JudgeAuditItemResult) => Judgment) => perItem.map((r) => pick(r).score);
  const selfScores = scores((r) => r.self).filter((s): s is number => s !== null);
  const judgments = perItem.flatMap((r) => [r.self, r.first, r.repeat, r.swapped]);
  const summary = {
    kind,
    judge: model.describe().name,
    items: items.length,
    judgments: judgments.length,
    failedJudgments: judgments.filter((j) => j.score === null).length,
    failedAttempts: judgments.reduce((s, j) => s + j.failures, 0),
    fallbackScores: judgments.filter(
      (j) => j.score !== null && readJudgeScore(j.reply).rule === 'last-integer',
    ).length,
    self: {
      scored: selfScores.length,
      mean: mean(selfScores),
      min: selfScores.length === 0 ? null : Math.min(...selfScores),
    },
    repeat: scoreAgreement(
      scores((r) => r.first),
      scores((r) => r.repeat),
    ),
    swapped: scoreAgreement(
      scores((r) => r.first),
      scores((r) => r.swapped),
    ),
    metricAgreement: metricAgreement(
      scores((r) => r.first),
      perItem.map((r) => r.metrics),
    ),
  };
  return { ...summary, findings: auditFindings(summary), perItem };
}
