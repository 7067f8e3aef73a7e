import type { Judgment } from '../../../main/api/eval';
import type { JudgeAuditReportResult } from '../../../main/api/judgeAudit';
import { SCORE_COLUMNS } from './resultsQuery';

type Check = JudgeAuditReportResult['findings'][number]['check'];
export type AuditLevel = JudgeAuditReportResult['findings'][number]['level'];

/** One line of the audit table: what was checked, the number behind it, the engine's verdict and finding. */
export interface AuditRow {
  check: Check;
  label: string;
  /** What the check asks, in a sentence (why a person should care). */
  question: string;
  /** The key number, short. */
  value: string;
  level: AuditLevel;
  finding: string;
}

const CHECKS: { check: Check; label: string; question: string }[] = [
  {
    check: 'self',
    label: 'Reference vs itself',
    question: 'A perfect copy should score about 100; less means the judge cannot recognise one.',
  },
  {
    check: 'repeat',
    label: 'Same question twice',
    question: 'Scores of the same input asked again; large differences make single scores noise.',
  },
  {
    check: 'swapped',
    label: 'Order swapped',
    question: 'The candidate shown first instead of the reference; a shift means position bias.',
  },
  {
    check: 'metrics',
    label: 'Agreement with metrics',
    question: 'Spearman ρ of the judge’s scores with the deterministic metrics (needs a run).',
  },
  {
    check: 'failures',
    label: 'Unscored judgments',
    question: 'Judgments without a score after every attempt (they count 0 in the strict mean).',
  },
  {
    check: 'format',
    label: 'Score format',
    question: 'Scores read by the fallback rule because the reply had no “Score: N/100” line.',
  },
];

export const LEVEL_LABELS: Record<AuditLevel, string> = {
  good: 'Good',
  doubtful: 'Doubtful',
  poor: 'Poor',
  unknown: 'Unknown',
};

const one = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const signedOne = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`);

/** The deterministic metric's short label (as the results table names it). */
export function metricLabel(metric: string): string {
  return SCORE_COLUMNS.find((c) => c.key === metric)?.label ?? metric;
}

/** The best-agreeing metric (highest ρ), or null when no metric could be compared. */
function bestMetric(report: JudgeAuditReportResult) {
  let best: JudgeAuditReportResult['metricAgreement'][number] | null = null;
  for (const m of report.metricAgreement)
    if (m.spearman !== null && (best === null || m.spearman > best.spearman!)) best = m;
  return best;
}

function valueOf(check: Check, r: JudgeAuditReportResult): string {
  switch (check) {
    case 'self':
      return r.self.mean === null ? '—' : `mean ${one(r.self.mean)}, lowest ${one(r.self.min)}`;
    case 'repeat':
      return r.repeat.meanAbsDiff === null
        ? '—'
        : `|Δ| ${one(r.repeat.meanAbsDiff)}, ${Math.round(r.repeat.exactShare! * 100)}% identical`;
    case 'swapped':
      return r.swapped.meanAbsDiff === null
        ? '—'
        : `|Δ| ${one(r.swapped.meanAbsDiff)}, mean Δ ${signedOne(r.swapped.meanDiff)}`;
    case 'metrics': {
      const best = bestMetric(r);
      return best ? `ρ ${best.spearman!.toFixed(2)} (${metricLabel(best.metric)})` : '—';
    }
    case 'failures':
      return `${r.failedJudgments} of ${r.judgments}`;
    case 'format': {
      const scored = r.judgments - r.failedJudgments;
      return scored === 0 ? '—' : `${r.fallbackScores} of ${scored}`;
    }
  }
}

/** The audit as table rows, in the protocol's order, each with the engine's verdict and finding. */
export function auditRows(report: JudgeAuditReportResult): AuditRow[] {
  return CHECKS.map(({ check, label, question }) => {
    const finding = report.findings.find((f) => f.check === check);
    return {
      check,
      label,
      question,
      value: valueOf(check, report),
      level: finding?.level ?? 'unknown',
      finding: finding?.message ?? '',
    };
  });
}

/** Spearman ρ per metric, best first; metrics without a value (too few varying items) last. */
export function metricRows(
  report: JudgeAuditReportResult,
): { metric: string; label: string; pairs: number; spearman: string }[] {
  return [...report.metricAgreement]
    .sort((a, b) => (b.spearman ?? -Infinity) - (a.spearman ?? -Infinity))
    .map((m) => ({
      metric: m.metric,
      label: metricLabel(m.metric),
      pairs: m.pairs,
      spearman: m.spearman === null ? '—' : m.spearman.toFixed(2),
    }));
}

/** A judgment as a table cell: its score, or "no score" with how many attempts failed. */
export function judgmentCell(j: Judgment): { text: string; failed: boolean; title: string } {
  if (j.score === null)
    return { text: 'no score', failed: true, title: j.error ?? `${j.failures} failed attempts` };
  return {
    text: String(j.score),
    failed: false,
    title: j.failures > 0 ? `${j.failures} failed attempt(s) before this score` : '',
  };
}

/** The report's headline: judge, kind, items and calls. */
export function auditHeadline(report: JudgeAuditReportResult): string {
  return `${report.judge} as the ${report.kind} judge · ${report.items} item${report.items === 1 ? '' : 's'} · ${report.judgments} judgments`;
}
