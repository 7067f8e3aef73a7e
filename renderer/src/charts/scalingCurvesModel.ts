import { format } from 'd3';
import type { ExternalResultSet, StudyDetail } from '../../../main/api/scaling';
import { chartMetricLabel } from './chartMetric';
import { formatParameters } from './parameters';
import { buildScalingSeries } from './scalingSeries';
import type { ChartMetric, ChartPoint, ChartSeries, ScalingMode } from './types';

export interface ScalingCurvesInput {
  study: StudyDetail | null;
  external: readonly ExternalResultSet[];
  metric: ChartMetric;
  mode: ScalingMode;
}

export interface ScalingCurvesModel {
  title: string;
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** Sentences under the chart: unplaced models, sources of external numbers. */
  notes: string[];
}

const MODE_TITLES: Record<ScalingMode, string> = {
  perception: 'Perception scaling',
  reasoning: 'Reasoning scaling',
  compare: 'Perception scaled vs reasoning scaled',
};

/** Everything a scaling-curves chart shows, from the study, the external sets, the metric and the mode. */
export function scalingCurvesModel(input: ScalingCurvesInput): ScalingCurvesModel {
  const { series, xLabel, unplaced } = buildScalingSeries(input);
  const notes: string[] = [];
  if (unplaced.length > 0) notes.push(`Not plotted, no parameter count: ${unplaced.join('; ')}.`);
  const drawnSets = input.external.filter((set) =>
    series.some((s) => s.id.startsWith(`external:${set.id}:`)),
  );
  for (const set of drawnSets) if (set.source) notes.push(`Dashed "${set.name}": ${set.source}`);
  if (series.length === 0) notes.push('Nothing to plot for this metric yet.');
  const subject = input.study ? input.study.name : 'published results';
  return {
    title: `${MODE_TITLES[input.mode]}: ${subject}`,
    series,
    xLabel,
    yLabel: chartMetricLabel(input.metric),
    notes,
  };
}

const percent = format('.2~%');

/** "62.5%", or "62.5% [55%, 70.1%]" with a CI. */
export function formatAccuracy(point: Pick<ChartPoint, 'y' | 'low' | 'high'>): string {
  const ci =
    point.low !== null && point.high !== null ? ` [${percent(point.low)}, ${percent(point.high)}]` : '';
  return `${percent(point.y)}${ci}`;
}

/** The tooltip lines of a scaling point: what it is, the exact value with CI, n and the x size. */
export function describeScalingPoint(point: ChartPoint, yLabel: string): string[] {
  return [
    point.label,
    `${yLabel}: ${formatAccuracy(point)}`,
    `n = ${point.n ?? 'not given'}`,
    `x = ${formatParameters(point.x)} parameters`,
  ];
}
