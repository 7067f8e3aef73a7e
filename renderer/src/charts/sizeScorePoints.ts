import { format } from 'd3';
import type { Estimate, EvalRunDetail, MetricKey } from '../../../main/api/eval';
import { formatParameters } from './parameters';
import type { ChartEstimate, ChartPoint, ChartSeries, SizeScorePoint } from './types';

/** Keys of SizeScorePoint.values besides the deterministic metrics (which use their own keys). */
export const SIZE_SCORE_KEYS = ['final', 'final.strict', 'imageScore', 'codeScore', 'execRate'] as const;

const LABELS: Record<string, string> = {
  final: 'Final (conditional)',
  'final.strict': 'Final (strict)',
  imageScore: 'Image score',
  codeScore: 'Code score',
  execRate: 'Exec rate (%)',
};

export function sizeScoreMetricLabel(key: string): string {
  return LABELS[key] ?? key;
}

const copy = (e: Estimate): ChartEstimate => ({ mean: e.mean, low: e.low, high: e.high, n: e.n });

/**
 * One point per eval run: the overall scores (conditional means, as published; 'final.strict' too) and every
 * available deterministic metric. `parameters` gives each run's model size (the page knows it, the run not).
 */
export function sizeScorePoints(
  runs: readonly EvalRunDetail[],
  parameters: (run: EvalRunDetail) => number | null,
): SizeScorePoint[] {
  return runs.map((run) => {
    const overall = run.summary.overall;
    const values: Record<string, ChartEstimate> = { execRate: copy(overall.execRate) };
    if (overall.final) {
      values.final = copy(overall.final.conditional);
      values['final.strict'] = copy(overall.final.strict);
    }
    if (overall.imageScore) values.imageScore = copy(overall.imageScore.conditional);
    if (overall.codeScore) values.codeScore = copy(overall.codeScore.conditional);
    for (const [key, summary] of Object.entries(overall.metrics) as [
      MetricKey,
      (typeof overall.metrics)[MetricKey],
    ][])
      if (summary.available) values[key] = copy(summary.conditional);
    return { runId: run.id, label: run.name, parameters: parameters(run), values };
  });
}

/** The metrics any point has a value for, the summary scores first. */
export function sizeScoreMetricOptions(points: readonly SizeScorePoint[]): string[] {
  const keys = new Set(
    points.flatMap((p) => Object.keys(p.values).filter((k) => p.values[k]?.mean !== null)),
  );
  const ordered: string[] = SIZE_SCORE_KEYS.filter((k) => keys.has(k));
  return [...ordered, ...[...keys].filter((k) => !ordered.includes(k)).sort()];
}

export interface SizeScoreModel {
  series: ChartSeries[];
  notes: string[];
  title: string;
  yLabel: string;
}

/** The runs as one scatter series (with CI whiskers) at their model size; the rest named in notes. */
export function sizeScoreModel(points: readonly SizeScorePoint[], metric: string): SizeScoreModel {
  const placed: ChartPoint[] = [];
  const noSize: string[] = [];
  const noValue: string[] = [];
  for (const p of points) {
    const value = p.values[metric];
    if (!value || value.mean === null) noValue.push(p.label);
    else if (p.parameters === null) noSize.push(p.label);
    else
      placed.push({
        id: `run:${p.runId}`,
        x: p.parameters,
        y: value.mean,
        low: value.low,
        high: value.high,
        n: value.n,
        label: p.label,
        runId: p.runId,
      });
  }
  placed.sort((a, b) => a.x - b.x);
  const notes: string[] = [];
  if (noSize.length) notes.push(`Not plotted, no parameter count: ${noSize.join('; ')}.`);
  if (noValue.length) notes.push(`No ${sizeScoreMetricLabel(metric)} in: ${noValue.join('; ')}.`);
  const yLabel = sizeScoreMetricLabel(metric);
  return {
    series: placed.length
      ? [{ id: 'runs', label: 'eval runs', kind: 'runs', dashed: false, connect: false, points: placed }]
      : [],
    notes,
    title: `STEM2Code ${yLabel} vs model size`,
    yLabel,
  };
}

const exact = format('.4~f');

export function describeSizeScorePoint(point: ChartPoint, yLabel: string): string[] {
  const ci = point.low !== null && point.high !== null ? ` [${exact(point.low)}, ${exact(point.high)}]` : '';
  return [
    point.label,
    `${yLabel}: ${exact(point.y)}${ci}`,
    `n = ${point.n ?? 'not given'}`,
    `x = ${formatParameters(point.x)} parameters`,
  ];
}
