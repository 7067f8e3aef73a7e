import { useMemo } from 'react';
import { charsForWidth, wrapNotes } from './chartNotes';
import { InteractiveLineChart } from './InteractiveLineChart';
import { LineChartSvg } from './LineChartSvg';
import { layoutLineChart } from './lineChartLayout';
import {
  describeSizeScorePoint,
  sizeScoreMetricLabel,
  sizeScoreMetricOptions,
  sizeScoreModel,
} from './sizeScorePoints';
import type { SizeScorePoint } from './types';

export interface SizeScoreChartProps {
  points: SizeScorePoint[];
  /** A key of SizeScorePoint.values: 'final', 'imageScore', 'execRate', a metric key, ... */
  metric: string;
  onSelectRun?: (runId: string) => void;
  /** When given, the toolbar offers the metric chooser. */
  onMetricChange?: (metric: string) => void;
  height?: number;
}

/** STEM2Code scores of eval runs against the model's size (log x), with CI whiskers. */
export function SizeScoreChart({ points, metric, onSelectRun, onMetricChange, height }: SizeScoreChartProps) {
  const model = useMemo(() => sizeScoreModel(points, metric), [points, metric]);
  const options = useMemo(() => sizeScoreMetricOptions(points), [points]);
  const controls = onMetricChange ? (
    <label className="field-inline">
      <span>Score </span>
      <select data-testid="chart-metric" value={metric} onChange={(e) => onMetricChange(e.target.value)}>
        {options.map((key) => (
          <option key={key} value={key}>
            {sizeScoreMetricLabel(key)}
          </option>
        ))}
      </select>
    </label>
  ) : null;
  return (
    <InteractiveLineChart
      testId="size-score-chart"
      series={model.series}
      title={model.title}
      xLabel="Model parameters"
      yLabel={model.yLabel}
      yPercent={false}
      notes={model.notes}
      describe={(point) => describeSizeScorePoint(point, model.yLabel)}
      onSelect={(point) => {
        if (point.runId) onSelectRun?.(point.runId);
      }}
      valueName={metric}
      controls={controls}
      height={height ?? 340}
    />
  );
}

/** Static version for export from the CLI. */
export function SizeScoreChartSvg({
  points,
  metric,
  width,
  height,
}: {
  points: SizeScorePoint[];
  metric: string;
  width: number;
  height: number;
}) {
  const model = sizeScoreModel(points, metric);
  const notes = wrapNotes(model.notes, charsForWidth(width - 60));
  const layout = layoutLineChart({
    series: model.series,
    hidden: new Set(),
    width,
    height,
    yPercent: false,
    noteLines: notes.length,
  });
  return (
    <LineChartSvg
      layout={layout}
      title={model.title}
      xLabel="Model parameters"
      yLabel={model.yLabel}
      notes={notes}
      clipId="size-score-plot"
    />
  );
}
