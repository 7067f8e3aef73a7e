import type { CellKey } from '../../../main/api/scaling';

/** What a scaling chart plots on y: overall accuracy, the benchmark mean ("Avg"), one benchmark or one category. */
export type ChartMetric = 'overall' | 'macro' | `benchmark:${string}` | `category:${string}`;

/** Which component the curves scale; 'compare' is the paper's perception-scaled vs reasoning-scaled figure. */
export type ScalingMode = 'perception' | 'reasoning' | 'compare';

/** A value with its 95% CI and the items it is over; any part may be missing. */
export interface ChartEstimate {
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** One plotted mark: x in model parameters (always known: models without a count are never placed). */
export interface ChartPoint {
  /** Unique within the chart; used as the React key and the test hook. */
  id: string;
  x: number;
  y: number;
  low: number | null;
  high: number | null;
  n: number | null;
  /** What the point is, in words (e.g. "Qwen-4B → Llama-8B"). */
  label: string;
  /** The study cell behind it (study points), or the eval run (size–score points). */
  cell?: CellKey;
  runId?: string;
}

export type SeriesKind = 'pipeline' | 'direct' | 'external' | 'runs';

export interface ChartSeries {
  id: string;
  label: string;
  kind: SeriesKind;
  /** External (published) numbers are dashed so they read as "not ours". */
  dashed: boolean;
  /** Draw the connecting line (false for a scatter of runs). */
  connect: boolean;
  points: ChartPoint[];
}

/** One eval run on the size–score chart; `values` by metric key (see sizeScorePoints). */
export interface SizeScorePoint {
  runId: string;
  label: string;
  parameters: number | null;
  values: Record<string, ChartEstimate>;
}
