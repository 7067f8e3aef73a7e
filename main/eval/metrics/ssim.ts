import { assertSameSize } from './pixels';
import type { GreyImage } from './pixels';

/** Bumped whenever a change could move a score, so stored values say which definition made them. */
export const SSIM_VERSION = 1;

export interface SsimOptions {
  /** Standard deviation of the Gaussian window (Wang et al.: 1.5, an 11×11 window). */
  sigma?: number;
  k1?: number;
  k2?: number;
  /** Dynamic range of the pixel values. */
  dataRange?: number;
}

/**
 * The 1-D Gaussian taps scipy.ndimage builds: radius int(truncate·σ + 0.5), normalised to sum 1. skimage's
 * SSIM window uses truncate 3.5 (σ = 1.5 gives 11 taps); gaussian_filter's default is 4 (Canny).
 */
export function gaussianTaps(sigma: number, truncate = 3.5): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++)
    sum += taps[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < taps.length; i++) taps[i]! /= sum;
  return taps;
}

/**
 * Separable Gaussian filter evaluated only where the whole window lies inside the image ("valid" region):
 * skimage averages SSIM over the image cropped by the window radius, so border handling never matters.
 * Returns an (h − 2r) × (w − 2r) map.
 */
function filterValid(src: Float64Array, width: number, height: number, taps: Float64Array): Float64Array {
  const r = (taps.length - 1) / 2;
  const w2 = width - 2 * r;
  const h2 = height - 2 * r;
  // Horizontal pass over every row, then vertical over the valid rows.
  const rows = new Float64Array(height * w2);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < w2; x++) {
      let acc = 0;
      for (let k = 0; k < taps.length; k++) acc += taps[k]! * src[base + x + k]!;
      rows[y * w2 + x] = acc;
    }
  }
  const out = new Float64Array(h2 * w2);
  for (let y = 0; y < h2; y++) {
    for (let x = 0; x < w2; x++) {
      let acc = 0;
      for (let k = 0; k < taps.length; k++) acc += taps[k]! * rows[(y + k) * w2 + x]!;
      out[y * w2 + x] = acc;
    }
  }
  return out;
}

/**
 * Mean structural similarity of two grey images of one size (Wang et al. 2004), exactly as scikit-image's
 * structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255):
 * Gaussian-weighted local means, variances and covariance; mean of the SSIM map over the valid region.
 * 1 for identical images; images smaller than the window (11 px) have no SSIM and throw.
 */
export function ssim(a: GreyImage, b: GreyImage, options: SsimOptions = {}): number {
  assertSameSize(a, b);
  const taps = gaussianTaps(options.sigma ?? 1.5);
  const { width, height } = a;
  if (width < taps.length || height < taps.length)
    throw new Error(
      `SSIM needs images of at least ${taps.length}×${taps.length} pixels (got ${width}×${height}).`,
    );
  const n = width * height;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = a.data[i]!;
    const q = b.data[i]!;
    x[i] = p;
    y[i] = q;
    xx[i] = p * p;
    yy[i] = q * q;
    xy[i] = p * q;
  }
  const ux = filterValid(x, width, height, taps);
  const uy = filterValid(y, width, height, taps);
  const uxx = filterValid(xx, width, height, taps);
  const uyy = filterValid(yy, width, height, taps);
  const uxy = filterValid(xy, width, height, taps);
  const range = options.dataRange ?? 255;
  const c1 = ((options.k1 ?? 0.01) * range) ** 2;
  const c2 = ((options.k2 ?? 0.03) * range) ** 2;
  let total = 0;
  for (let i = 0; i < ux.length; i++) {
    const mx = ux[i]!;
    const my = uy[i]!;
    const vx = uxx[i]! - mx * mx;
    const vy = uyy[i]! - my * my;
    const vxy = uxy[i]! - mx * my;
    total += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
  }
  return total / ux.length;
}
