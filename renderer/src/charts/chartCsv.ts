import { csvFormatRows } from 'd3';
import type { ChartSeries } from './types';

/** The CSV a chart exports: header plus one row per plotted point (RFC 4180 quoting by d3-dsv). */
export function toCsv(header: readonly string[], rows: readonly (string | number | null)[][]): string {
  return `${csvFormatRows([
    [...header],
    ...rows.map((row) => row.map((v) => (v === null ? '' : String(v)))),
  ])}\n`;
}

/** Exactly what a line chart draws: every point of every visible series. */
export function seriesCsv(
  series: readonly ChartSeries[],
  hidden: ReadonlySet<string>,
  valueName: string,
): string {
  const rows = series
    .filter((s) => !hidden.has(s.id))
    .flatMap((s) =>
      s.points.map((p) => [
        s.label,
        s.kind,
        p.label,
        p.cell?.captioner ?? null,
        p.cell ? (p.cell.solver ?? null) : null,
        p.runId ?? null,
        p.x,
        p.y,
        p.low,
        p.high,
        p.n,
      ]),
    );
  return toCsv(
    ['series', 'kind', 'point', 'captioner', 'solver', 'run', 'parameters', valueName, 'low', 'high', 'n'],
    rows,
  );
}
