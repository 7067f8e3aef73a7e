/**
 * D3 charts for scaling studies and STEM2Code runs. Layout is pure (data → scales, ticks, paths) and lives
 * apart from the React SVG; the interactive charts add tooltips, legend toggles, x zoom, selection and
 * export, and the *Svg variants draw the same chart statically for the CLI.
 */
export type {
  ChartMetric,
  ChartEstimate,
  ChartPoint,
  ChartSeries,
  ScalingMode,
  SizeScorePoint,
} from './types';
export { chartMetricOptions, chartMetricLabel, parseChartMetric, cellEstimate } from './chartMetric';
export type { ChartMetricOption } from './chartMetric';
export { formatParameters, labelWithParameters } from './parameters';
export { ScalingCurves, ScalingCurvesSvg } from './ScalingCurves';
export type { ScalingCurvesProps } from './ScalingCurves';
export { GridHeatmap, GridHeatmapSvg } from './GridHeatmap';
export type { GridHeatmapProps } from './GridHeatmap';
export { SizeScoreChart, SizeScoreChartSvg } from './SizeScoreChart';
export type { SizeScoreChartProps } from './SizeScoreChart';
export { sizeScorePoints, sizeScoreMetricOptions, sizeScoreMetricLabel } from './sizeScorePoints';
export { buildScalingSeries } from './scalingSeries';
export { scalingCurvesModel } from './scalingCurvesModel';
export { ChartThemeContext, cssVariableTheme, staticChartThemes } from './chartTheme';
export type { ChartTheme } from './chartTheme';
