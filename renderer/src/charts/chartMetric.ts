import type { ExternalResultSet, StudyCell, StudyDetail } from '../../../main/api/scaling';
import type { ChartEstimate, ChartMetric } from './types';

export interface ChartMetricOption {
  value: ChartMetric;
  label: string;
}

/**
 * Benchmark names that external sets use for an across-benchmark average; their rows overlay the study's
 * 'overall' and 'macro' metrics. Any other benchmark overlays only `benchmark:<name>`.
 */
const AGGREGATE_BENCHMARKS = new Set(['', 'all', 'avg', 'average', 'mean', 'overall', 'macro']);

export function isAggregateBenchmark(benchmark: string): boolean {
  return AGGREGATE_BENCHMARKS.has(benchmark.trim().toLowerCase());
}

/** The metrics a study (and the external sets beside it) can be charted by, in menu order. */
export function chartMetricOptions(
  study: StudyDetail | null,
  external: readonly ExternalResultSet[] = [],
): ChartMetricOption[] {
  const benchmarks = new Set<string>();
  const categories = new Set<string>();
  for (const cell of study?.cells ?? []) {
    for (const b of Object.keys(cell.byBenchmark)) benchmarks.add(b);
    for (const c of Object.keys(cell.byCategory)) categories.add(c);
  }
  for (const set of external)
    for (const r of set.results) if (!isAggregateBenchmark(r.benchmark)) benchmarks.add(r.benchmark);
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return [
    { value: 'overall', label: 'Accuracy (all items)' },
    { value: 'macro', label: 'Average over benchmarks' },
    ...sorted(benchmarks).map((b) => ({ value: `benchmark:${b}` as ChartMetric, label: `Benchmark: ${b}` })),
    ...sorted(categories).map((c) => ({ value: `category:${c}` as ChartMetric, label: `Category: ${c}` })),
  ];
}

export function chartMetricLabel(metric: ChartMetric): string {
  if (metric === 'overall') return 'Accuracy';
  if (metric === 'macro') return 'Average accuracy over benchmarks';
  if (metric.startsWith('benchmark:')) return `Accuracy on ${metric.slice('benchmark:'.length)}`;
  return `Accuracy, category ${metric.slice('category:'.length)}`;
}

/** Reads a ChartMetric typed in by a person (CLI flag, URL); null when it is not one. */
export function parseChartMetric(text: string): ChartMetric | null {
  if (text === 'overall' || text === 'macro') return text;
  const match = /^(benchmark|category):(.+)$/.exec(text);
  return match ? (text as ChartMetric) : null;
}

/** A cell's value for a metric. The macro average has no CI of its own; n is then the cell's items. */
export function cellEstimate(cell: StudyCell, metric: ChartMetric): ChartEstimate | null {
  if (metric === 'overall') return cell.overall;
  if (metric === 'macro')
    return cell.macro === null ? null : { mean: cell.macro, low: null, high: null, n: cell.overall.n };
  const [kind, name] = splitMetric(metric);
  const found = kind === 'benchmark' ? cell.byBenchmark[name] : cell.byCategory[name];
  return found ?? null;
}

/** The external results a metric overlays: the named benchmark's rows, or the aggregate rows. */
export function externalMatchesMetric(benchmark: string, metric: ChartMetric): boolean {
  if (metric === 'overall' || metric === 'macro') return isAggregateBenchmark(benchmark);
  const [kind, name] = splitMetric(metric);
  return kind === 'benchmark' && benchmark.trim().toLowerCase() === name.trim().toLowerCase();
}

function splitMetric(
  metric: `benchmark:${string}` | `category:${string}`,
): ['benchmark' | 'category', string] {
  const colon = metric.indexOf(':');
  return [metric.slice(0, colon) as 'benchmark' | 'category', metric.slice(colon + 1)];
}
