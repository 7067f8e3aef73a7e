import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { diffOverlay, OVERLAY_COLOURS } from '../../main/eval/metrics/diffOverlay';
import {
  estimateBackground,
  foregroundIou,
  foregroundMask,
  srgbToLab,
} from '../../main/eval/metrics/foregroundIou';
import { loadImagePair, referenceRenderSize } from '../../main/eval/metrics/imagePair';
import { toGrey } from '../../main/eval/metrics/pixels';
import type { GreyImage, RgbaImage } from '../../main/eval/metrics/pixels';
import { gaussianTaps, ssim } from '../../main/eval/metrics/ssim';

function grey(width: number, height: number, at: (x: number, y: number) => number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = at(x, y);
  return { width, height, data };
}

function rgba(
  width: number,
  height: number,
  at: (x: number, y: number) => [number, number, number, number?],
): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b, a = 255] = at(x, y);
      data.set([r, g, b, a], (y * width + x) * 4);
    }
  return { width, height, data };
}

const WHITE: [number, number, number] = [255, 255, 255];
/** A white page with a black square of `side` px at (x0, y0). */
const square = (x0: number, y0: number, side: number) =>
  rgba(40, 30, (x, y) => (x >= x0 && x < x0 + side && y >= y0 && y < y0 + side ? [0, 0, 0] : WHITE));

describe('SSIM (Wang et al., Gaussian σ = 1.5)', () => {
  it('uses the 11-tap window scipy builds for σ = 1.5, normalised', () => {
    const taps = gaussianTaps(1.5);
    expect(taps).toHaveLength(11);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Hand-computed: exp(-0.5·k²/2.25) / Σ; the centre tap is 1 / Σ with Σ = 3.7592...
    const sum = Array.from({ length: 11 }, (_, i) => Math.exp((-0.5 * (i - 5) ** 2) / 2.25)).reduce(
      (a, b) => a + b,
    );
    expect(taps[5]).toBeCloseTo(1 / sum, 14);
    expect(taps[0]).toBeCloseTo(Math.exp(-12.5 / 2.25) / sum, 14);
  });

  it('is 1 for identical images, textured or flat', () => {
    const noise = grey(32, 24, (x, y) => (x * 37 + y * 91 + x * y * 13) % 256);
    expect(ssim(noise, noise)).toBeCloseTo(1, 12);
    const flat = grey(16, 16, () => 77);
    expect(ssim(flat, flat)).toBeCloseTo(1, 12);
  });

  it('reduces to the luminance term for two constant images: (2ab + C1) / (a² + b² + C1)', () => {
    const c1 = (0.01 * 255) ** 2;
    for (const [a, b] of [
      [0, 255],
      [100, 120],
      [255, 250],
    ] as const) {
      const expected = (2 * a * b + c1) / (a * a + b * b + c1);
      expect(
        ssim(
          grey(20, 15, () => a),
          grey(20, 15, () => b),
        ),
      ).toBeCloseTo(expected, 9);
    }
    // Black vs white: 6.5025 / (65025 + 6.5025) ≈ 1.0e-4, the floor.
    expect(
      ssim(
        grey(20, 15, () => 0),
        grey(20, 15, () => 255),
      ),
    ).toBeCloseTo(6.5025 / 65031.5025, 9);
  });

  it('is symmetric and falls as a pattern shifts further', () => {
    const stripes = (shift: number) => grey(48, 32, (x) => (Math.floor((x + shift) / 6) % 2 ? 255 : 0));
    const base = stripes(0);
    expect(ssim(base, stripes(1))).toBeCloseTo(ssim(stripes(1), base), 12);
    const scores = [0, 1, 2, 3].map((s) => ssim(base, stripes(s)));
    expect(scores[0]).toBeCloseTo(1, 12);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThan(scores[i - 1]!);
    // Shifting stripes of period 12 by half a period inverts them: strongly anti-correlated structure.
    expect(ssim(base, stripes(6))).toBeLessThan(0);
  });

  it('refuses different sizes and images smaller than the window, saying why', () => {
    expect(() =>
      ssim(
        grey(20, 20, () => 0),
        grey(21, 20, () => 0),
      ),
    ).toThrow(/differ in size.*imagePair/);
    expect(() =>
      ssim(
        grey(10, 30, () => 0),
        grey(10, 30, () => 0),
      ),
    ).toThrow(/at least 11×11/);
  });
});

describe('grey conversion', () => {
  it('uses 601 luma and composites transparency over white', () => {
    const image = rgba(
      4,
      1,
      (x) =>
        [
          [255, 0, 0],
          [0, 255, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 128],
        ][x] as [number, number, number, number?],
    );
    // 0.299·255 = 76.2; 0.587·255 = 149.7; transparent → white; half-transparent black → 255·(1 − 128/255) = 127.
    expect([...toGrey(image).data]).toEqual([76, 150, 255, 127]);
  });
});

describe('foreground IoU', () => {
  it('takes the background from the border, even when it is not white', () => {
    const navy = rgba(10, 10, (x, y) => (x === 5 && y === 5 ? [255, 255, 0] : [10, 20, 80]));
    const [r, g, b] = estimateBackground(navy);
    expect([r, g, b]).toEqual([10, 20, 80]);
    expect(foregroundMask(navy).data.reduce((a, v) => a + v, 0)).toBe(1);
  });

  it('counts only pixels more than ΔE76 10 from the background as ink', () => {
    // White vs (245,245,245): ΔE ≈ 3.6 — page texture, not ink. White vs mid grey: ΔE ≈ 46 — ink.
    const lab = (c: number) => srgbToLab(c, c, c)[0];
    expect(lab(255)).toBeCloseTo(100, 3);
    expect(lab(255) - lab(245)).toBeLessThan(10);
    const faint = rgba(8, 8, (x) => (x === 3 ? [245, 245, 245] : x === 4 ? [128, 128, 128] : WHITE));
    expect([...foregroundMask(faint).data.slice(0, 8)]).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('is |A∩B| / |A∪B| for a known shift: a 10×10 square moved 5 px overlaps by 1/3', () => {
    // Intersection 5×10 = 50, union 100 + 100 − 50 = 150.
    expect(foregroundIou(square(5, 5, 10), square(10, 5, 10))).toBeCloseTo(1 / 3, 12);
    expect(foregroundIou(square(5, 5, 10), square(5, 5, 10))).toBe(1);
    expect(foregroundIou(square(0 + 2, 2, 5), square(20, 20, 5))).toBe(0);
  });

  it('is 1 when both images are blank (nothing drawn, nothing missed) and 0 when only one is', () => {
    const blank = rgba(40, 30, () => WHITE);
    expect(foregroundIou(blank, blank)).toBe(1);
    expect(foregroundIou(blank, square(2, 2, 4))).toBe(0);
  });
});

describe('difference overlay', () => {
  it('paints reference-only red, render-only blue, shared grey, and the rest white', () => {
    const overlay = diffOverlay(foregroundMask(square(5, 5, 10)), foregroundMask(square(10, 5, 10)));
    const at = (x: number, y: number) => [...overlay.data.slice((y * 40 + x) * 4, (y * 40 + x) * 4 + 3)];
    expect(at(6, 6)).toEqual([...OVERLAY_COLOURS.referenceOnly]);
    expect(at(12, 6)).toEqual([...OVERLAY_COLOURS.both]);
    expect(at(17, 6)).toEqual([...OVERLAY_COLOURS.renderOnly]);
    expect(at(30, 25)).toEqual([...OVERLAY_COLOURS.neither]);
  });
});

describe('image pairs', () => {
  const png = (width: number, height: number, density?: number) => {
    const image = sharp({
      create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } },
    });
    return (density ? image.withMetadata({ density }) : image).png().toBuffer();
  };

  it('renders at the reference pixel size and dpi (from pHYs), defaulting to dpi 100', async () => {
    expect(await referenceRenderSize(await png(640, 480, 80))).toEqual({ width: 640, height: 480, dpi: 80 });
    expect(await referenceRenderSize(await png(300, 20))).toMatchObject({ width: 300, height: 20, dpi: 100 });
    // Beyond the renderer's limits: clamped, and the pair is resized later.
    expect(await referenceRenderSize(await png(12, 9000))).toMatchObject({ width: 16, height: 8192 });
  });

  it('keeps same-size pairs as they are and resizes the render to the reference otherwise', async () => {
    const same = await loadImagePair(await png(30, 20), await png(30, 20));
    expect(same).toMatchObject({ resized: false, render: { width: 30, height: 20 } });
    const scaled = await loadImagePair(await png(30, 20), await png(60, 40));
    expect(scaled.resized).toBe(true);
    expect(scaled.render).toMatchObject({ width: 30, height: 20 });
    expect(scaled.render.data).toHaveLength(30 * 20 * 4);
  });
});
