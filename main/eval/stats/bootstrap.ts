import { createRandom } from '../../icc/generators/random';

/**
 * Percentile bootstrap for means, with a fixed seed so a report is reproducible to the last digit.
 * Used for the 95% CIs next to every mean and for the paired comparison of two runs on the same items.
 */
export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  resamples?: number;
  /** Two-sided coverage (default 0.95). */
  level?: number;
  seed?: number;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Linear-interpolated quantile of sorted values (numpy's default "linear" method). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function resampledMeans(values: readonly number[], options: BootstrapOptions): number[] {
  const random = createRandom(options.seed ?? 20260311).next;
  const n = values.length;
  const out = new Array<number>(options.resamples ?? 2000);
  for (let r = 0; r < out.length; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    out[r] = sum / n;
  }
  return out.sort((a, b) => a - b);
}

/** Mean with a percentile-bootstrap confidence interval; NaN bounds for an empty sample. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): MeanInterval {
  if (values.length === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n: 0 };
  const level = options.level ?? 0.95;
  const means = resampledMeans(values, options);
  return {
    mean: mean(values),
    low: quantile(means, (1 - level) / 2),
    high: quantile(means, 1 - (1 - level) / 2),
    n: values.length,
  };
}

export interface PairedComparison {
  /** Mean of a − b over the paired items. */
  difference: MeanInterval;
  /**
   * Two-sided bootstrap p-value for "no difference": twice the share of resampled mean differences on the
   * far side of zero (at least 1/resamples, never 0).
   */
  p: number;
  /** "a" or "b" when the interval excludes zero, else null (no detectable difference). */
  better: 'a' | 'b' | null;
}

/**
 * Paired bootstrap: resample items (not scores independently), so per-item difficulty cancels and a small
 * but consistent advantage shows. `a[i]` and `b[i]` must be the same item's scores.
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): PairedComparison {
  if (a.length !== b.length)
    throw new Error(`Paired bootstrap needs the same items in both runs (got ${a.length} and ${b.length}).`);
  const differences = a.map((v, i) => v - b[i]!);
  const interval = bootstrapMean(differences, options);
  if (differences.length === 0) return { difference: interval, p: Number.NaN, better: null };
  const means = resampledMeans(differences, options);
  const below = means.filter((m) => m <= 0).length / means.length;
  const above = means.filter((m) => m >= 0).length / means.length;
  const p = Math.min(1, Math.max(2 * Math.min(below, above), 1 / means.length));
  const better = interval.low > 0 ? 'a' : interval.high < 0 ? 'b' : null;
  return { difference: interval, p, better };
}
