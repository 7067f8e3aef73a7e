import type { Estimate, GroupSummary } from '../../../main/api/eval';
import { SCORE_COLUMNS } from './resultsQuery';
import type { MetricKey, ScoreKey } from './resultsQuery';

/** One line of the summary table: a score with its published (conditional) and strict values. */
export interface SummaryRow {
  key: 'execRate' | 'final' | ScoreKey;
  label: string;
  conditional: string;
  strict: string;
  /** Items in the conditional mean; null where it does not apply. */
  n: number | null;
  /** Raw numbers on the 0..100 scale (metrics × 100), for comparisons. */
  values: { conditional: number | null; strict: number | null };
}

/** Scores on the 0..100 scale with one decimal; "—" when there is no value (never a made-up 0). */
export function formatHundred(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

/** Metrics (0..1) with three decimals. */
export function formatUnit(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

const value = (e: Estimate | null | undefined) => e?.mean ?? null;

/**
 * The summary (the overall group of eval.run's report summary) as rows: Exec Rate, Final, Image and Code
 * Score when judged (conditional = the published variant, strict = failures count 0), then every
 * deterministic metric the run has a mean for.
 */
export function summaryRows(summary: GroupSummary): SummaryRow[] {
  const exec = value(summary.execRate);
  const rows: SummaryRow[] = [
    {
      key: 'execRate',
      label: 'Exec Rate',
      conditional: formatHundred(exec),
      strict: formatHundred(exec),
      n: summary.items,
      values: { conditional: exec, strict: exec },
    },
  ];
  if (summary.final) {
    const final = { conditional: value(summary.final.conditional), strict: value(summary.final.strict) };
    rows.push({
      key: 'final',
      label: 'Final',
      conditional: formatHundred(final.conditional),
      strict: formatHundred(final.strict),
      n: null,
      values: final,
    });
  }
  for (const [key, judge] of [
    ['imageScore', summary.imageScore],
    ['codeScore', summary.codeScore],
  ] as const) {
    if (!judge) continue;
    const values = { conditional: value(judge.conditional), strict: value(judge.strict) };
    rows.push({
      key,
      label: key === 'imageScore' ? 'Image Score' : 'Code Score',
      conditional: formatHundred(values.conditional),
      strict: formatHundred(values.strict),
      n: judge.conditional.n,
      values,
    });
  }
  for (const column of SCORE_COLUMNS) {
    if (column.key === 'imageScore' || column.key === 'codeScore') continue;
    const mean = summary.metrics[column.key as MetricKey];
    const values = { conditional: value(mean?.conditional), strict: value(mean?.strict) };
    if (values.conditional === null && values.strict === null) continue;
    rows.push({
      key: column.key,
      label: column.title.split(' (')[0]!,
      conditional: formatUnit(values.conditional),
      strict: formatUnit(values.strict),
      n: mean!.conditional.n,
      values: {
        conditional: values.conditional === null ? null : values.conditional * 100,
        strict: values.strict === null ? null : values.strict * 100,
      },
    });
  }
  return rows;
}

/** Failures by class, most frequent first (classes with none left out). */
export function failureCounts(summary: GroupSummary): { failure: string; count: number }[] {
  return Object.entries(summary.failures)
    .filter(([, count]) => count > 0)
    .map(([failure, count]) => ({ failure, count }))
    .sort((a, b) => b.count - a.count || a.failure.localeCompare(b.failure));
}

/** "3.2 items/s" or "—" before the rate is known. */
export function formatRate(perSec: number | null): string {
  if (perSec === null) return '—';
  return `${perSec >= 10 ? perSec.toFixed(0) : perSec.toFixed(1)} items/s`;
}
