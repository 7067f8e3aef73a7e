import { useMemo } from 'react';
import type { CellKey, ExternalResultSet, StudyDetail } from '../../../main/api/scaling';
import { chartMetricOptions } from './chartMetric';
import { ChartSelect } from './ChartSelect';
import { charsForWidth, wrapNotes } from './chartNotes';
import { InteractiveLineChart } from './InteractiveLineChart';
import { LineChartSvg } from './LineChartSvg';
import { layoutLineChart } from './lineChartLayout';
import { describeScalingPoint, scalingCurvesModel } from './scalingCurvesModel';
import type { ChartMetric, ScalingMode } from './types';

export interface ScalingCurvesProps {
  study: StudyDetail | null;
  external: ExternalResultSet[];
  metric: ChartMetric;
  mode: ScalingMode;
  onSelectCell?: (cell: CellKey) => void;
  height?: number;
  /** When given, the toolbar offers the metric and mode choosers. */
  onMetricChange?: (metric: ChartMetric) => void;
  onModeChange?: (mode: ScalingMode) => void;
}

const DEFAULT_HEIGHT = 380;

const MODE_OPTIONS: { value: ScalingMode; label: string }[] = [
  { value: 'perception', label: 'Perception scaled (x = captioner)' },
  { value: 'reasoning', label: 'Reasoning scaled (x = solver)' },
  { value: 'compare', label: 'Perception vs reasoning' },
];

/** Accuracy against model size on a log axis: one line per fixed size of the other component, CI bands. */
export function ScalingCurves({
  study,
  external,
  metric,
  mode,
  onSelectCell,
  height,
  onMetricChange,
  onModeChange,
}: ScalingCurvesProps) {
  const model = useMemo(
    () => scalingCurvesModel({ study, external, metric, mode }),
    [study, external, metric, mode],
  );
  const metricOptions = useMemo(() => chartMetricOptions(study, external), [study, external]);
  const controls = (
    <>
      {onMetricChange ? (
        <ChartSelect
          label="Metric"
          testId="chart-metric"
          value={metric}
          options={metricOptions}
          onChange={onMetricChange}
        />
      ) : null}
      {onModeChange ? (
        <ChartSelect
          label="Curves"
          testId="chart-mode"
          value={mode}
          options={MODE_OPTIONS}
          onChange={onModeChange}
        />
      ) : null}
    </>
  );
  return (
    <InteractiveLineChart
      testId="scaling-curves"
      series={model.series}
      title={model.title}
      xLabel={model.xLabel}
      yLabel={model.yLabel}
      yPercent
      notes={model.notes}
      describe={(point) => describeScalingPoint(point, model.yLabel)}
      onSelect={(point) => {
        if (point.cell) onSelectCell?.(point.cell);
      }}
      valueName="accuracy"
      controls={controls}
      height={height ?? DEFAULT_HEIGHT}
    />
  );
}

export interface ScalingCurvesSvgProps {
  study: StudyDetail | null;
  external: readonly ExternalResultSet[];
  metric: ChartMetric;
  mode: ScalingMode;
  width: number;
  height: number;
}

/** The same chart, static (no handlers): what the CLI renders to SVG and PNG. */
export function ScalingCurvesSvg({ study, external, metric, mode, width, height }: ScalingCurvesSvgProps) {
  const model = scalingCurvesModel({ study, external, metric, mode });
  const notes = wrapNotes(model.notes, charsForWidth(width - 60));
  const layout = layoutLineChart({
    series: model.series,
    hidden: new Set(),
    width,
    height,
    yPercent: true,
    noteLines: notes.length,
  });
  return (
    <LineChartSvg
      layout={layout}
      title={model.title}
      xLabel={model.xLabel}
      yLabel={model.yLabel}
      notes={notes}
      clipId="scaling-curves-plot"
    />
  );
}
