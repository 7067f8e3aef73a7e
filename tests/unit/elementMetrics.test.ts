import { describe, expect, it } from 'vitest';
import { colorSimilarity } from '../../main/eval/elements/colorF1';
import { bestMatching, f1Of, multisetMatches } from '../../main/eval/elements/f1';
import { curveNrmse } from '../../main/eval/elements/geometryMetrics';
import { normalizeText, tickNumber } from '../../main/eval/elements/textMetrics';

describe('F1 building blocks', () => {
  it('computes precision, recall and F1 by hand', () => {
    // 2 of 4 generated correct, 2 of 3 reference found: P = 0.5, R = 2/3, F1 = 2·0.5·(2/3)/(0.5+2/3) = 4/7.
    const f = f1Of(2, 4, 3);
    expect(f.precision).toBe(0.5);
    expect(f.recall).toBeCloseTo(2 / 3, 12);
    expect(f.f1).toBeCloseTo(4 / 7, 12);
    expect(f1Of(0, 0, 0).f1).toBe(1);
    expect(f1Of(0, 3, 0).f1).toBe(0);
    expect(f1Of(0, 0, 3).f1).toBe(0);
  });

  it('matches multisets by count', () => {
    expect(multisetMatches(['a', 'a', 'b'], ['a', 'b', 'b', 'c'])).toBe(2);
    expect(multisetMatches([], ['a'])).toBe(0);
  });

  it('finds the optimal assignment where greedy would not', () => {
    // Greedy takes a0–b0 (0.9) and leaves a1 with b1 (0.1): 1.0. Optimal: a0–b1 (0.8) + a1–b0 (0.85) = 1.65.
    const pairs = bestMatching(
      [0, 1],
      [0, 1],
      (a, b) =>
        [
          [0.9, 0.8],
          [0.85, 0.1],
        ][a]![b]!,
    );
    expect(pairs.reduce((s, p) => s + p.similarity, 0)).toBeCloseTo(1.65, 12);
  });
});

describe('text normalisation', () => {
  it.each([
    ['−1.5', '-1.5'],
    ['$\\alpha$', '\\alpha'],
    ['Ｆｕｌｌ Width', 'full width'],
    ['  Title \n  two ', 'title two'],
    ['x²', 'x2'],
    ['a\\,b', 'a b'],
  ])('%j → %j', (input, output) => expect(normalizeText(input)).toBe(output));

  it.each([
    ['−2', -2],
    ['1,000', 1000],
    ['0.50', 0.5],
    ['1e-3', 0.001],
    ['25%', 25],
    ['Mon', null],
    ['', null],
  ])('tick %j → %j', (label, value) => expect(tickNumber(label)).toBe(value));
});

describe('colour similarity (CIEDE2000)', () => {
  it('is 1 for the same colour, high for a just-noticeable step, 0 for different hues', () => {
    expect(colorSimilarity('#1f77b4', '#1f77b4')).toBe(1);
    expect(colorSimilarity('#1f77b4', '#2077b4')).toBeGreaterThan(0.95);
    expect(colorSimilarity('#ff0000', '#0000ff')).toBe(0);
  });
});

describe('curve nRMSE', () => {
  const line = (f: (x: number) => number, from = 0, to = 1, n = 50) =>
    Array.from({ length: n }, (_, i) => {
      const x = from + ((to - from) * i) / (n - 1);
      return [x, f(x)] as [number, number];
    });

  it('is 0 for the same curve sampled differently', () => {
    expect(
      curveNrmse(
        line((x) => x * x, 0, 1, 30),
        line((x) => x * x, 0, 1, 200),
      ),
    ).toBeLessThan(1e-3);
  });

  it('is the shift divided by the y range for a shifted function', () => {
    // y = x on [0, 1] has range 1; shifted by 0.1 everywhere → RMSE 0.1 → nRMSE 0.1.
    expect(
      curveNrmse(
        line((x) => x + 0.1),
        line((x) => x),
      ),
    ).toBeCloseTo(0.1, 6);
  });

  it('penalises covering only half of the reference x range', () => {
    expect(
      curveNrmse(
        line((x) => x, 0, 0.5),
        line((x) => x, 0, 1),
      ),
    ).toBeCloseTo(0.5, 6);
  });

  it('compares closed curves by arc length, in either direction', () => {
    const circle = (n: number, reverse = false) =>
      Array.from({ length: n }, (_, i) => {
        const t = ((reverse ? -1 : 1) * 2 * Math.PI * i) / (n - 1);
        return [Math.cos(t), Math.sin(t)] as [number, number];
      });
    expect(curveNrmse(circle(100), circle(100, true))).toBeLessThan(0.01);
  });
});
