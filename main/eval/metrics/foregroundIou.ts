import { assertSameSize, overWhite } from './pixels';
import type { RgbaImage } from './pixels';

export const FOREGROUND_IOU_VERSION = 1;

/** ΔE76 distance from the background above which a pixel is ink (stem2code-protocol.md: ΔE76 > 10). */
export const DEFAULT_FOREGROUND_TOLERANCE = 10;

export interface ForegroundMask {
  width: number;
  height: number;
  /** 1 where the pixel is foreground (ink), 0 where it is background. */
  data: Uint8Array;
  /** The estimated background colour (sRGB, composited over white). */
  background: [number, number, number];
}

/** sRGB (0–255) to CIE L*a*b* under D65, the space ΔE76 is a Euclidean distance in. */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const R = lin(r);
  const G = lin(g);
  const B = lin(b);
  const X = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const Z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const fx = f(X);
  const fy = f(Y);
  const fz = f(Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * The background colour: the most common colour on the image border (colours binned at 3 bits per channel so
 * JPEG noise does not split the vote), averaged over the winning bin. Figures are drawn on a page that shows
 * at the edges; ink rarely touches all four.
 */
export function estimateBackground(image: RgbaImage): [number, number, number] {
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

/** Pixels farther than `tolerance` (ΔE76) from the estimated background. */
export function foregroundMask(image: RgbaImage, tolerance = DEFAULT_FOREGROUND_TOLERANCE): ForegroundMask {
  const background = estimateBackground(image);
  const [L0, a0, b0] = srgbToLab(...background);
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  // Figures hold few distinct colours: classify each colour once.
  const seen = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const [r, g, b] = overWhite(image.data, p * 4);
    const key = (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(b);
    let ink = seen.get(key);
    if (ink === undefined) {
      const [L, A, B] = srgbToLab(r, g, b);
      ink = Math.hypot(L - L0, A - a0, B - b0) > tolerance ? 1 : 0;
      seen.set(key, ink);
    }
    out[p] = ink;
  }
  return { width: image.width, height: image.height, data: out, background };
}

/** |A ∩ B| / |A ∪ B| of two masks of one size; 1 when both are empty (nothing drawn, nothing missed). */
export function maskIou(a: ForegroundMask, b: ForegroundMask): number {
  assertSameSize(a, b);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i]!;
    const q = b.data[i]!;
    inter += p & q;
    union += p | q;
  }
  return union === 0 ? 1 : inter / union;
}

/** Foreground IoU of a reference and a render, each against its own estimated background. */
export function foregroundIou(
  reference: RgbaImage,
  render: RgbaImage,
  tolerance = DEFAULT_FOREGROUND_TOLERANCE,
): number {
  return maskIou(foregroundMask(reference, tolerance), foregroundMask(render, tolerance));
}
