/**
 * The difference overlay of two renders, computed in the browser (the engine's overlay lives in
 * main/eval/metrics and is not exposed by the API). The same rule and colours as the engine's: a pixel is
 * ink when its colour is far (ΔE76 > 10) from the image's background (its most common border colour); red
 * where only the reference has ink, blue where only the candidate has, grey where both do, white elsewhere.
 */
export const OVERLAY_COLOURS = {
  referenceOnly: [220, 38, 38],
  renderOnly: [37, 99, 235],
  both: [140, 140, 140],
  neither: [255, 255, 255],
} as const;

const INK_DELTA_E = 10;

export interface Rgba {
  width: number;
  height: number;
  /** RGBA, row-major, as ImageData holds it. */
  data: Uint8ClampedArray;
}

function srgbToLinear(c: number): number {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** CIE L*a*b* (D65) of an sRGB colour. */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lr = srgbToLinear(r);
  const lg = srgbToLinear(g);
  const lb = srgbToLinear(b);
  // The engine's matrix to seven digits: four-digit rounding leaves white off-neutral (a* ≈ 0.005, b* ≈ −0.01).
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
  const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** A pixel composited over white (transparent pixels read as the page). */
function overWhite(data: Uint8ClampedArray, i: number): [number, number, number] {
  const a = data[i + 3]! / 255;
  return [data[i]! * a + 255 * (1 - a), data[i + 1]! * a + 255 * (1 - a), data[i + 2]! * a + 255 * (1 - a)];
}

/**
 * The background: the most common colour on the image border (3-bit bins per channel), averaged over the
 * winning bin — the engine's rule, so the overlay agrees with its foreground IoU.
 */
export function backgroundColour(image: Rgba): [number, number, number] {
  const { width, height, data } = image;
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const vote = (x: number, y: number) => {
    const [r, g, b] = overWhite(data, (y * width + x) * 4);
    const key = ((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
  };
  for (let x = 0; x < width; x++) {
    vote(x, 0);
    if (height > 1) vote(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    vote(0, y);
    if (width > 1) vote(width - 1, y);
  }
  let best = { n: 0, r: 255, g: 255, b: 255 };
  for (const bin of bins.values()) if (bin.n > best.n) best = bin;
  return best.n === 0 ? [255, 255, 255] : [best.r / best.n, best.g / best.n, best.b / best.n];
}

/** Ink mask: 1 where a pixel is farther than ΔE76 10 from the background. */
export function inkMask(image: Rgba): Uint8Array {
  const [l0, a0, b0] = rgbToLab(...backgroundColour(image));
  const n = image.width * image.height;
  const mask = new Uint8Array(n);
  // Figures hold few distinct colours: classify each colour once.
  const seen = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const [r, g, b] = overWhite(image.data, p * 4);
    const key = (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(b);
    let ink = seen.get(key);
    if (ink === undefined) {
      const [l, a, bz] = rgbToLab(r, g, b);
      ink = Math.hypot(l - l0, a - a0, bz - b0) > INK_DELTA_E ? 1 : 0;
      seen.set(key, ink);
    }
    mask[p] = ink;
  }
  return mask;
}

export interface OverlayResult {
  image: Rgba;
  /** Pixel counts: ink only in the reference, only in the candidate, in both. */
  counts: { referenceOnly: number; renderOnly: number; both: number };
}

/** The overlay of two images of the same size (the canonical renders are); throws on a size mismatch. */
export function diffOverlay(reference: Rgba, candidate: Rgba): OverlayResult {
  if (reference.width !== candidate.width || reference.height !== candidate.height) {
    throw new Error(
      `The images differ in size (${reference.width}×${reference.height} vs ${candidate.width}×${candidate.height}).`,
    );
  }
  const ref = inkMask(reference);
  const cand = inkMask(candidate);
  const data = new Uint8ClampedArray(ref.length * 4);
  const counts = { referenceOnly: 0, renderOnly: 0, both: 0 };
  for (let p = 0; p < ref.length; p++) {
    let colour: readonly number[];
    if (ref[p] && cand[p]) {
      colour = OVERLAY_COLOURS.both;
      counts.both++;
    } else if (ref[p]) {
      colour = OVERLAY_COLOURS.referenceOnly;
      counts.referenceOnly++;
    } else if (cand[p]) {
      colour = OVERLAY_COLOURS.renderOnly;
      counts.renderOnly++;
    } else colour = OVERLAY_COLOURS.neither;
    data[p * 4] = colour[0]!;
    data[p * 4 + 1] = colour[1]!;
    data[p * 4 + 2] = colour[2]!;
    data[p * 4 + 3] = 255;
  }
  return { image: { width: reference.width, height: reference.height, data }, counts };
}
