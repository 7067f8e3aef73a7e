import { area, extent, format, line, scaleLinear, scaleLog } from 'd3';
import type { ScaleLogarithmic } from 'd3';
import { formatParameters } from './parameters';
import type { ChartPoint, ChartSeries } from './types';

export interface Tick {
  value: number;
  label: string;
  /** Pixel position along its axis. */
  position: number;
}

export interface PositionedPoint extends ChartPoint {
  px: number;
  py: number;
  /** The CI whisker ends in pixels, when the point has a CI. */
  pyLow: number | null;
  pyHigh: number | null;
}

export interface SeriesLayout extends Omit<ChartSeries, 'points'> {
  /** Index into the theme's series palette: stable when other series are hidden. */
  colorIndex: number;
  hidden: boolean;
  line: string | null;
  /** The CI band (area between low and high), null when no point has a CI. */
  band: string | null;
  points: PositionedPoint[];
}

export interface LegendItem {
  id: string;
  label: string;
  /** The label in one or two lines, the second shortened to fit; the full label goes into a <title>. */
  lines: string[];
  colorIndex: number;
  dashed: boolean;
  hidden: boolean;
  x: number;
  y: number;
}

export interface LineChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number };
  /** Every point's x range, padded: the domain zoom starts from and resets to. */
  fullXDomain: [number, number];
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  series: SeriesLayout[];
  legend: LegendItem[];
  /** Where the note lines (unplaced models) start, one per 16px. */
  notesTop: number;
}

export interface LineChartLayoutInput {
  series: readonly ChartSeries[];
  hidden: ReadonlySet<string>;
  width: number;
  /** Height of the plot area plus axes; note lines add to it. */
  height: number;
  /** The zoomed x domain; null = everything. */
  xDomain?: [number, number] | null;
  /** y as a fraction shown in percent (accuracies), clamped to 0..1. */
  yPercent: boolean;
  noteLines: number;
}

export const NOTE_LINE_HEIGHT = 16;
export const LEGEND_ROW_HEIGHT = 18;
export const LEGEND_LINE_HEIGHT = 13;
const LEGEND_WIDTH = 210;
const LEGEND_CHARS = 30;
const MARGIN = { top: 14, left: 56, bottom: 46 };

/** Data → scales, ticks and SVG paths; no DOM, so the same layout serves the page, the export and the CLI. */
export function layoutLineChart(input: LineChartLayoutInput): LineChartLayout {
  const legendWidth = input.series.length > 0 ? LEGEND_WIDTH : 0;
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: Math.max(80, input.width - MARGIN.left - legendWidth - 16),
    height: Math.max(80, input.height - MARGIN.top - MARGIN.bottom),
  };
  const fullXDomain = paddedLogDomain(input.series.flatMap((s) => s.points.map((p) => p.x)));
  const xDomain = input.xDomain ?? fullXDomain;
  const x = scaleLog()
    .domain(xDomain)
    .range([plot.left, plot.left + plot.width]);
  const visible = input.series.filter((s) => !input.hidden.has(s.id));
  const yDomain = valueDomain(
    visible.flatMap((s) => s.points.flatMap((p) => [p.y, p.low, p.high])),
    input.yPercent,
  );
  const y = scaleLinear()
    .domain(yDomain)
    .range([plot.top + plot.height, plot.top]);

  const yFormat = input.yPercent ? format('.0%') : y.tickFormat(6);
  const series = input.series.map((s, colorIndex): SeriesLayout => {
    const points = s.points.map((p): PositionedPoint => ({
      ...p,
      px: x(p.x),
      py: y(p.y),
      pyLow: p.low === null ? null : y(p.low),
      pyHigh: p.high === null ? null : y(p.high),
    }));
    const withCi = points.filter((p) => p.pyLow !== null && p.pyHigh !== null);
    return {
      ...s,
      colorIndex,
      hidden: input.hidden.has(s.id),
      points,
      line:
        s.connect && points.length > 1
          ? line<PositionedPoint>(
              (p) => p.px,
              (p) => p.py,
            )(points)
          : null,
      band:
        s.connect && withCi.length > 1
          ? area<PositionedPoint>(
              (p) => p.px,
              (p) => p.pyLow!,
              (p) => p.pyHigh!,
            )(withCi)
          : null,
    };
  });

  const legendLeft = plot.left + plot.width + 20;
  let legendBottom = plot.top;
  const legend = input.series.map((s, i): LegendItem => {
    const lines = legendLines(s.label);
    const item = {
      id: s.id,
      label: s.label,
      lines,
      colorIndex: i,
      dashed: s.dashed,
      hidden: input.hidden.has(s.id),
      x: legendLeft,
      y: legendBottom,
    };
    legendBottom += LEGEND_ROW_HEIGHT + (lines.length - 1) * LEGEND_LINE_HEIGHT;
    return item;
  });
  const axesBottom = plot.top + plot.height + MARGIN.bottom;
  const notesTop = Math.max(axesBottom, legendBottom) + 4;
  return {
    width: input.width,
    height: notesTop + input.noteLines * NOTE_LINE_HEIGHT + (input.noteLines > 0 ? 6 : 0),
    plot,
    fullXDomain,
    xDomain,
    yDomain,
    xTicks: xTickValues(x, visible).map((value) => ({
      value,
      label: formatParameters(value),
      position: x(value),
    })),
    yTicks: y.ticks(6).map((value) => ({ value, label: yFormat(value), position: y(value) })),
    series,
    legend,
    notesTop,
  };
}

/** A legend label in at most two lines, broken at a space where one is near the limit. */
function legendLines(label: string): string[] {
  if (label.length <= LEGEND_CHARS) return [label];
  const space = label.lastIndexOf(' ', LEGEND_CHARS);
  const cut = space > LEGEND_CHARS / 2 ? space : LEGEND_CHARS;
  const rest = label.slice(cut).trim();
  return [label.slice(0, cut), rest.length > LEGEND_CHARS ? `${rest.slice(0, LEGEND_CHARS - 1)}…` : rest];
}

/** The extent of the values in log space, widened so no point sits on the frame. */
function paddedLogDomain(values: number[]): [number, number] {
  const [min, max] = extent(values.filter((v) => v > 0));
  if (min === undefined || max === undefined) return [1e8, 1e11];
  if (min === max) return [min / 2, max * 2];
  const pad = Math.pow(max / min, 0.06);
  return [min / pad, max * pad];
}

function valueDomain(values: (number | null)[], percent: boolean): [number, number] {
  const [min, max] = extent(values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (min === undefined || max === undefined) return [0, 1];
  const span = max - min || Math.abs(max) || 1;
  const domain = scaleLinear()
    .domain([min - span * 0.08, max + span * 0.08])
    .nice(6)
    .domain() as [number, number];
  return percent ? [Math.max(0, domain[0]), Math.min(1, domain[1])] : domain;
}

const MIN_TICK_GAP = 34;

/**
 * The models' own sizes (1B, 4B, 8B) when they fit without crowding, as papers label these axes; otherwise
 * round log ticks. Only sizes inside the (zoomed) domain count.
 */
export function xTickValues(
  scale: ScaleLogarithmic<number, number>,
  series: readonly ChartSeries[],
): number[] {
  const [low, high] = scale.domain() as [number, number];
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))]
    .filter((v) => v >= low && v <= high)
    .sort((a, b) => a - b);
  const roomy = sizes.every((v, i) => i === 0 || scale(v) - scale(sizes[i - 1]!) >= MIN_TICK_GAP);
  return sizes.length >= 2 && sizes.length <= 10 && roomy ? sizes : logTicks(scale);
}

/**
 * Readable ticks on a log axis: d3's ticks, thinned to mantissas 1-2-5 (then 1) when there are too many,
 * so a 0.5B–32B axis reads 0.5B, 1B, 2B, 5B, 10B, 20B.
 */
export function logTicks(scale: ScaleLogarithmic<number, number>): number[] {
  // ticks(5): within one decade d3 then gives whole multiples (2B, 3B, 4B) rather than 2.2B, 2.4B, ...
  const all = scale.ticks(5);
  if (all.length <= 8) return all;
  const mantissa = (v: number) => v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
  const isOneOf = (v: number, allowed: number[]) => allowed.some((m) => Math.abs(mantissa(v) - m) < 1e-6);
  const thinned = all.filter((v) => isOneOf(v, [1, 2, 5]));
  return thinned.length <= 8 ? thinned : all.filter((v) => isOneOf(v, [1]));
}
