import { describe, expect, it } from 'vitest';
import { cannyEdges, edgeF1, squaredDistanceToEdges } from '../../main/eval/metrics/edgeF1';
import type { EdgeMap } from '../../main/eval/metrics/edgeF1';
import type { GreyImage } from '../../main/eval/metrics/pixels';

function grey(width: number, height: number, at: (x: number, y: number) => number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = at(x, y);
  return { width, height, data };
}

const W = 60;
const H = 40;
/**
 * Black vertical bars on white, full height, each from x0 to x1 with half-grey (anti-aliased) end columns,
 * so each side's edge sits on one pixel column (x0 and x1) instead of between two.
 */
const bars = (...spans: [number, number][]) =>
  grey(W, H, (x) => {
    for (const [x0, x1] of spans) {
      if (x === x0 || x === x1) return 128;
      if (x > x0 && x < x1) return 0;
    }
    return 255;
  });
const blank = grey(W, H, () => 255);

const edgeColumns = (edges: EdgeMap) => {
  const columns = new Set<number>();
  edges.data.forEach((e, p) => e && columns.add(p % edges.width));
  return [...columns].sort((a, b) => a - b);
};

describe('Canny edges', () => {
  it('puts one edge column on each anti-aliased side of a bar, none on the border ring', () => {
    const edges = cannyEdges(bars([20, 30]));
    expect(edgeColumns(edges)).toEqual([20, 30]);
    // The outermost rows are never edges; every other row has both sides.
    const rows = new Set<number>();
    edges.data.forEach((e, p) => e && rows.add(Math.floor(p / W)));
    expect(Math.min(...rows)).toBe(1);
    expect(Math.max(...rows)).toBe(H - 2);
    expect(edges.data.reduce((a, b) => a + b, 0)).toBe(2 * (H - 2));
  });

  it('finds nothing on a flat image or a faint ramp below the low threshold', () => {
    expect(cannyEdges(blank).data.every((e) => e === 0)).toBe(true);
    expect(cannyEdges(grey(W, H, (x) => 100 + x)).data.every((e) => e === 0)).toBe(true);
  });
});

describe('distance transform', () => {
  it('matches brute-force squared Euclidean distances', () => {
    let s = 7;
    const random = () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 2 ** 32);
    const width = 23;
    const height = 17;
    const data = new Uint8Array(width * height).map(() => (random() < 0.03 ? 1 : 0));
    data[5] = 1;
    const dist = squaredDistanceToEdges({ width, height, data });
    const points: [number, number][] = [];
    data.forEach((e, p) => e && points.push([p % width, Math.floor(p / width)]));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const best = Math.min(...points.map(([px, py]) => (px - x) ** 2 + (py - y) ** 2));
        expect(dist[y * width + x]).toBe(best);
      }
  });

  it('is Infinity everywhere without edges', () => {
    const dist = squaredDistanceToEdges({ width: 4, height: 3, data: new Uint8Array(12) });
    expect([...dist].every((d) => d === Infinity)).toBe(true);
  });
});

describe('edge F1 within 2 px', () => {
  it('is 1 for an image against itself', () => {
    expect(edgeF1(bars([20, 30]), bars([20, 30]))).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('forgives a shift of 1 or 2 px, not 3', () => {
    expect(edgeF1(bars([20, 30]), bars([21, 31])).f1).toBe(1);
    expect(edgeF1(bars([20, 30]), bars([22, 32])).f1).toBe(1);
    expect(edgeF1(bars([20, 30]), bars([23, 33]))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('takes the tolerance as an argument', () => {
    expect(edgeF1(bars([20, 30]), bars([22, 32]), 1).f1).toBe(0);
    expect(edgeF1(bars([20, 30]), bars([23, 33]), 3).f1).toBe(1);
  });

  it('forgives a 1 px diagonal shift (Euclidean √2 ≤ 2)', () => {
    const diagonal = (d: number) => grey(W, H, (x, y) => (x - y > 10 + d ? 0 : x - y === 10 + d ? 128 : 255));
    expect(edgeF1(diagonal(0), diagonal(1)).f1).toBe(1);
  });

  it('halves precision for an extra bar the reference does not have, recall stays 1', () => {
    const score = edgeF1(bars([10, 16]), bars([10, 16], [40, 46]));
    expect(score.precision).toBeCloseTo(0.5, 12);
    expect(score.recall).toBe(1);
    expect(score.f1).toBeCloseTo(2 / 3, 12);
    // The other way round the missing bar halves recall.
    const swapped = edgeF1(bars([10, 16], [40, 46]), bars([10, 16]));
    expect(swapped.recall).toBeCloseTo(0.5, 12);
    expect(swapped.precision).toBe(1);
  });

  it('is 1 for blank vs blank, 0 when only one side has edges', () => {
    expect(edgeF1(blank, blank)).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(edgeF1(bars([20, 30]), blank)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(edgeF1(blank, bars([20, 30]))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('refuses images of different sizes', () => {
    expect(() =>
      edgeF1(
        blank,
        grey(W + 1, H, () => 255),
      ),
    ).toThrow(/differ in size/);
  });
});
