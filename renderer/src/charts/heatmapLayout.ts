import { extent, format, hsl, interpolateViridis, scaleLinear, scaleSequential } from 'd3';
import type { StudyDetail } from '../../../main/api/scaling';
import { cellEstimate } from './chartMetric';
import { toCsv } from './chartCsv';
import { labelWithParameters } from './parameters';
import { bySize } from './scalingSeries';
import type { ChartEstimate, ChartMetric } from './types';

export interface HeatmapCell {
  id: string;
  captioner: string;
  /** null: the direct-baseline column. */
  solver: string | null;
  estimate: ChartEstimate | null;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string | null;
  /** Dark or light text, whichever reads on the fill. */
  ink: string | null;
  text: string;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  rows: { label: string; y: number }[];
  columns: { label: string; x: number }[];
  cells: HeatmapCell[];
  grid: { left: number; top: number; width: number; height: number };
  legend: {
    x: number;
    y: number;
    height: number;
    stops: { offset: number; color: string }[];
    ticks: { label: string; y: number }[];
  };
  /** Rows, columns in words, for the CSV and tests. */
  rowCount: number;
  columnCount: number;
}

const percent = format('.1~%');
const ROW_HEIGHT = 40;
const LEGEND_WIDTH = 78;

/** The captioner × solver grid (rows and columns smallest first; a Direct column when the study has one). */
export function layoutHeatmap(study: StudyDetail, metric: ChartMetric, width: number): HeatmapLayout {
  const captioners = [...study.captioners].sort(bySize);
  const solvers: { label: string; solver: string | null }[] = [...study.solvers]
    .sort(bySize)
    .map((s) => ({ label: labelWithParameters(s.label, s.parameters), solver: s.label }));
  if (study.cells.some((c) => c.kind === 'direct'))
    solvers.push({ label: 'Direct (no solver)', solver: null });
  const rowLabels = captioners.map((c) => labelWithParameters(c.label, c.parameters));
  const left = Math.min(220, Math.max(90, Math.max(...rowLabels.map((l) => l.length), 0) * 6.6 + 16));
  const grid = {
    left,
    top: 12,
    width: Math.max(120, width - left - LEGEND_WIDTH - 12),
    height: captioners.length * ROW_HEIGHT,
  };
  const columnWidth = grid.width / Math.max(1, solvers.length);

  const values = study.cells
    .map((c) => cellEstimate(c, metric)?.mean ?? null)
    .filter((v): v is number => v !== null);
  const [min = 0, max = 1] = extent(values);
  const domain: [number, number] =
    min === max ? [Math.max(0, min - 0.05), Math.min(1, max + 0.05)] : [min, max];
  const color = scaleSequential(interpolateViridis).domain(domain);

  const cells: HeatmapCell[] = [];
  captioners.forEach((captioner, row) => {
    solvers.forEach((column, col) => {
      const cell = study.cells.find((c) => c.captioner === captioner.label && c.solver === column.solver);
      const estimate = cell ? cellEstimate(cell, metric) : null;
      const mean = estimate?.mean ?? null;
      const fill = mean === null ? null : color(mean);
      cells.push({
        id: `${captioner.label}|${column.solver ?? ''}`,
        captioner: captioner.label,
        solver: column.solver,
        estimate,
        x: grid.left + col * columnWidth,
        y: grid.top + row * ROW_HEIGHT,
        width: columnWidth,
        height: ROW_HEIGHT,
        fill,
        ink: fill === null ? null : hsl(fill).l > 0.45 ? '#111111' : '#ffffff',
        text: mean === null ? '–' : percent(mean),
      });
    });
  });

  const legendScale = scaleLinear()
    .domain(domain)
    .range([grid.top + grid.height, grid.top]);
  const stops = Array.from({ length: 11 }, (_, i) => ({
    offset: i / 10,
    color: color(domain[0] + ((domain[1] - domain[0]) * i) / 10),
  }));
  return {
    width,
    height: grid.top + grid.height + 56,
    rows: rowLabels.map((label, i) => ({ label, y: grid.top + i * ROW_HEIGHT + ROW_HEIGHT / 2 })),
    columns: solvers.map((s, i) => ({ label: s.label, x: grid.left + i * columnWidth + columnWidth / 2 })),
    cells,
    grid,
    legend: {
      x: grid.left + grid.width + 18,
      y: grid.top,
      height: grid.height,
      stops,
      ticks: legendScale
        .ticks(Math.max(2, Math.min(5, captioners.length + 1)))
        .map((v) => ({ label: format('.0%')(v), y: legendScale(v) })),
    },
    rowCount: captioners.length,
    columnCount: solvers.length,
  };
}

/** The grid's CSV: one row per drawn cell. */
export function heatmapCsv(layout: HeatmapLayout, study: StudyDetail): string {
  const params = (list: StudyDetail['captioners'], label: string | null) =>
    list.find((m) => m.label === label)?.parameters ?? null;
  return toCsv(
    ['captioner', 'captioner_params', 'solver', 'solver_params', 'accuracy', 'low', 'high', 'n'],
    layout.cells.map((c) => [
      c.captioner,
      params(study.captioners, c.captioner),
      c.solver,
      params(study.solvers, c.solver),
      c.estimate?.mean ?? null,
      c.estimate?.low ?? null,
      c.estimate?.high ?? null,
      c.estimate?.n ?? null,
    ]),
  );
}
