import { assertSameSize } from './pixels';
import type { GreyImage } from './pixels';
import { gaussianTaps } from './ssim';

/** Bumped whenever a change could move a score, so stored values say which definition made them. */
export const EDGE_F1_VERSION = 1;

/** stem2code-protocol.md: edge F1 within 2 px. */
export const DEFAULT_EDGE_TOLERANCE_PX = 2;

export interface CannyOptions {
  /** Standard deviation of the Gaussian smoothing, in pixels (scikit-image's default). */
  sigma?: number;
  /** Hysteresis thresholds on the Sobel magnitude of the image scaled to 0–1 (scikit-image's defaults). */
  lowThreshold?: number;
  highThreshold?: number;
}

export interface EdgeMap {
  width: number;
  height: number;
  /** 1 on an edge pixel, 0 elsewhere. */
  data: Uint8Array;
}

export interface EdgeF1 {
  /** Share of the candidate's edge pixels within the tolerance of a reference edge pixel. */
  precision: number;
  /** Share of the reference's edge pixels within the tolerance of a candidate edge pixel. */
  recall: number;
  f1: number;
}

/** Separable Gaussian with zeros beyond the border (scipy mode 'constant', cval 0). */
function gaussianZeroPadded(src: Float64Array, width: number, height: number, taps: Float64Array) {
  const r = (taps.length - 1) / 2;
  const rows = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      const k0 = Math.max(0, r - x);
      const k1 = Math.min(taps.length, width - x + r);
      for (let k = k0; k < k1; k++) acc += taps[k]! * src[base + x + k - r]!;
      rows[base + x] = acc;
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const k0 = Math.max(0, r - y);
    const k1 = Math.min(taps.length, height - y + r);
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = k0; k < k1; k++) acc += taps[k]! * rows[(y + k - r) * width + x]!;
      out[y * width + x] = acc;
    }
  }
  return out;
}

/**
 * Canny edges (Canny 1986) as scikit-image's feature.canny computes them with its defaults, so the edge map can
 * be checked against it: grey levels scaled to 0–1; Gaussian smoothing (σ = 1) with zero padding, renormalised
 * by the smoothed all-ones image so the border does not darken; Sobel gradients (mirror border); non-maximum
 * suppression along the gradient with interpolated neighbours (the outermost pixel ring is never an edge);
 * hysteresis: local maxima ≥ low kept when 8-connected to one ≥ high. One deliberate difference: where two
 * pixels tie across a step that falls exactly between them, scikit-image keeps both or one as rounding
 * happens to fall; this keeps the one on the negative side, so a hard step always gives a one-pixel edge.
 */
export function cannyEdges(image: GreyImage, options: CannyOptions = {}): EdgeMap {
  const { width, height } = image;
  const sigma = options.sigma ?? 1;
  const low = options.lowThreshold ?? 0.1;
  const high = options.highThreshold ?? 0.2;
  if (!(high >= low)) throw new Error(`Canny needs lowThreshold ≤ highThreshold (got ${low} and ${high}).`);
  const n = width * height;
  const edges = new Uint8Array(n);
  if (width < 3 || height < 3) return { width, height, data: edges };

  // gaussian_filter's default truncate (4), as skimage's canny smooths.
  const taps = gaussianTaps(sigma, 4);
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = image.data[i]! / 255;
  const smoothed = gaussianZeroPadded(scaled, width, height, taps);
  // The smoothed all-ones image is separable: the share of each 1-D window that falls inside the image.
  const r = (taps.length - 1) / 2;
  const inside = (length: number) =>
    Float64Array.from({ length }, (_, i) => {
      let sum = 0;
      for (let k = Math.max(0, r - i); k < Math.min(taps.length, length - i + r); k++) sum += taps[k]!;
      return sum;
    });
  const bleedX = inside(width);
  const bleedY = inside(height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) smoothed[y * width + x]! /= bleedY[y]! * bleedX[x]! + Number.EPSILON;

  // Sobel, scipy's orientation: gi along rows (y), gj along columns (x); borders mirrored (d c b a | a b c d).
  const gi = new Float64Array(n);
  const gj = new Float64Array(n);
  const magnitude = new Float64Array(n);
  for (let y = 0; y < height; y++) {
    const up = (y === 0 ? 0 : y - 1) * width;
    const row = y * width;
    const down = (y === height - 1 ? y : y + 1) * width;
    for (let x = 0; x < width; x++) {
      const l = x === 0 ? 0 : x - 1;
      const r = x === width - 1 ? x : x + 1;
      const s = smoothed;
      const j = s[up + r]! - s[up + l]! + 2 * (s[row + r]! - s[row + l]!) + (s[down + r]! - s[down + l]!);
      const i = s[down + l]! - s[up + l]! + 2 * (s[down + x]! - s[up + x]!) + (s[down + r]! - s[up + r]!);
      gi[row + x] = i;
      gj[row + x] = j;
      magnitude[row + x] = Math.sqrt(i * i + j * j);
    }
  }

  // Non-maximum suppression: the gradient direction falls in one of four 45° sectors; the magnitude is
  // interpolated between the two neighbours bracketing the normal on each side (scikit-image's scheme).
  const candidates: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      const m = magnitude[p]!;
      if (!(m > 0) || m < low) continue;
      const i = gi[p]!;
      const j = gj[p]!;
      const ai = Math.abs(i);
      const aj = Math.abs(j);
      const alongRows = ai >= aj;
      const sameSign = (i >= 0 && j >= 0) || (i <= 0 && j <= 0);
      const oppositeSign = (i <= 0 && j >= 0) || (i >= 0 && j <= 0);
      // Sectors are tested in scikit-image's order; a later one overrides an earlier one on ties.
      let isMax: boolean | undefined;
      const at = (dy: number, dx: number) => magnitude[p + dy * width + dx]!;
      // Strict on one side only (as OpenCV): of two equal neighbours across a symmetric step, exactly one wins.
      const test = (w: number, a: [number, number], b: [number, number]) =>
        at(b[0], b[1]) * w + at(a[0], a[1]) * (1 - w) <= m &&
        at(-b[0], -b[1]) * w + at(-a[0], -a[1]) * (1 - w) < m;
      if (sameSign && alongRows) isMax = test(aj / ai, [1, 0], [1, 1]);
      if (sameSign && ai <= aj) isMax = test(ai / aj, [0, 1], [1, 1]);
      if (oppositeSign && ai <= aj) isMax = test(ai / aj, [0, 1], [-1, 1]);
      if (oppositeSign && alongRows) isMax = test(aj / ai, [-1, 0], [-1, 1]);
      if (isMax) candidates.push(p);
    }
  }

  // Hysteresis: flood from the strong maxima through the weak ones, 8-connected.
  const weak = new Uint8Array(n);
  for (const p of candidates) weak[p] = 1;
  const stack: number[] = [];
  for (const p of candidates)
    if (magnitude[p]! >= high && !edges[p]) {
      edges[p] = 1;
      stack.push(p);
      while (stack.length > 0) {
        const q = stack.pop()!;
        const qy = Math.floor(q / width);
        const qx = q - qy * width;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const y = qy + dy;
            const x = qx + dx;
            if (y < 0 || y >= height || x < 0 || x >= width) continue;
            const r = y * width + x;
            if (weak[r] && !edges[r]) {
              edges[r] = 1;
              stack.push(r);
            }
          }
      }
    }
  return { width, height, data: edges };
}

/**
 * One row or column of the Felzenszwalb–Huttenlocher squared-distance transform: the lower envelope of the
 * parabolas rooted at the finite samples of `f`. All Infinity when `f` has no finite sample.
 */
function distance1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array) {
  let first = 0;
  while (first < n && f[first] === Infinity) first++;
  if (first === n) {
    d.fill(Infinity, 0, n);
    return;
  }
  let k = 0;
  v[0] = first;
  z[0] = -Infinity;
  z[1] = Infinity;
  const meet = (q: number, p: number) => (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
  for (let q = first + 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    let s = meet(q, v[k]!);
    while (s <= z[k]!) s = meet(q, v[--k]!);
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    d[q] = (q - p) * (q - p) + f[p]!;
  }
}

/**
 * Exact squared Euclidean distance from every pixel to the nearest edge pixel (Felzenszwalb & Huttenlocher
 * 2012): two passes of 1-D transforms, O(pixels). Infinity everywhere when the map has no edge pixel.
 */
export function squaredDistanceToEdges(edges: EdgeMap): Float64Array {
  const { width, height, data } = edges;
  const longest = Math.max(width, height);
  const f = new Float64Array(longest);
  const d = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const out = new Float64Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = data[y * width + x] ? 0 : Infinity;
    distance1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) out[y * width + x] = d[y]!;
  }
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) f[x] = out[base + x]!;
    distance1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) out[base + x] = d[x]!;
  }
  return out;
}

/** Share of `edges` pixels whose Euclidean distance to the other map's nearest edge is ≤ tolerance. */
function shareWithin(edges: EdgeMap, otherDistance: Float64Array, tolerancePx: number): number | null {
  const limit = tolerancePx * tolerancePx;
  let total = 0;
  let near = 0;
  for (let p = 0; p < edges.data.length; p++)
    if (edges.data[p]) {
      total++;
      if (otherDistance[p]! <= limit) near++;
    }
  return total === 0 ? null : near / total;
}

/**
 * Edge F1 of two edge maps of one size within `tolerancePx` (Euclidean): a candidate edge pixel counts as
 * correct when a reference edge pixel lies within the tolerance (at 2 px: offsets (2, 0) and (1, 1) match,
 * (2, 1) does not); recall is the same the other way. Both edgeless → 1 for all three (nothing to draw, nothing
 * missed); only one edgeless → all three 0. Matching is one-to-many through distance transforms, O(pixels), not
 * a one-to-one assignment: an edge doubled side by side is not penalised, a missing or a spurious one is.
 */
export function edgeMapF1(reference: EdgeMap, candidate: EdgeMap, tolerancePx: number): EdgeF1 {
  assertSameSize(reference, candidate);
  const precision = shareWithin(candidate, squaredDistanceToEdges(reference), tolerancePx);
  const recall = shareWithin(reference, squaredDistanceToEdges(candidate), tolerancePx);
  if (precision === null && recall === null) return { precision: 1, recall: 1, f1: 1 };
  if (precision === null || recall === null) return { precision: 0, recall: 0, f1: 0 };
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Edge F1 within a tolerance (stem2code-protocol.md: 2 px) of the Canny edges (`cannyEdges`) of two grey images. */
export function edgeF1(
  reference: GreyImage,
  candidate: GreyImage,
  tolerancePx = DEFAULT_EDGE_TOLERANCE_PX,
  options: CannyOptions = {},
): EdgeF1 {
  assertSameSize(reference, candidate);
  return edgeMapF1(cannyEdges(reference, options), cannyEdges(candidate, options), tolerancePx);
}
