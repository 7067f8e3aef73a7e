import { describe, expect, it } from 'vitest';
import { FIGURE_CATEGORIES, generateSample } from '../../main/icc/generators';
import type { GeneratedFigure } from '../../main/icc/generators';
import { createRandom } from '../../main/icc/generators/random';
import { stem2codeLine } from '../../main/icc/sampleLayout';

const SEED = 7;
const sample = generateSample(SEED, 40);
const withParam = (key: string, value: unknown) =>
  sample.filter((f) => (f.params as Record<string, unknown>)[key] === value);
const one = (figures: GeneratedFigure[]): GeneratedFigure => {
  expect(figures.length).toBeGreaterThan(0);
  return figures[0] as GeneratedFigure;
};

describe('the seeded PRNG', () => {
  it('repeats for a seed and stays in range', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const draws = Array.from({ length: 100 }, () => a.int(3, 9));
    expect(Array.from({ length: 100 }, () => b.int(3, 9))).toEqual(draws);
    expect(Math.min(...draws)).toBe(3);
    expect(Math.max(...draws)).toBe(9);
    expect(createRandom(43).next()).not.toBe(createRandom(42).next());
  });
});

describe('the ICC figure generators', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    const again = generateSample(SEED, 40);
    expect(again.map((f) => [f.uid, f.code, f.caption])).toEqual(
      sample.map((f) => [f.uid, f.code, f.caption]),
    );
    const other = generateSample(SEED + 1, 40);
    const same = other.filter((f, i) => f.code === sample[i]?.code).length;
    expect(same).toBe(0);
  });

  it('produces every category, countPerCategory each, with unique uids', () => {
    for (const category of FIGURE_CATEGORIES) {
      expect(sample.filter((f) => f.category === category)).toHaveLength(40);
    }
    expect(new Set(sample.map((f) => f.uid)).size).toBe(sample.length);
  });

  it('covers every template in each category', () => {
    const kinds = (key: string) => new Set(sample.map((f) => (f.params as Record<string, unknown>)[key]));
    expect(kinds('chart')).toEqual(new Set([undefined, 'bar', 'grouped_bar', 'pie', 'histogram', 'scatter']));
    expect(kinds('shape')).toEqual(new Set([undefined, 'triangle', 'circle', 'regular_polygon']));
    expect(kinds('diagram')).toEqual(
      new Set([undefined, 'free_body', 'inclined_plane', 'circuit', 'projectile']),
    );
  });

  it('writes complete programs that save nothing themselves', () => {
    for (const figure of sample) {
      expect(figure.code).toMatch(/^import /);
      expect(figure.code).toContain('import matplotlib.pyplot as plt');
      expect(figure.code).toContain('ax.set_title(');
      expect(figure.code).not.toMatch(/savefig|plt\.show/);
    }
  });

  it('states the exact bar values in both code and caption', () => {
    const bar = one(withParam('chart', 'bar'));
    const { labels, values } = bar.params as { labels: string[]; values: number[] };
    expect(bar.code).toContain(`values = [${values.join(', ')}]`);
    labels.forEach((label, i) => expect(bar.caption).toContain(`${label} = ${values[i]}`));
  });

  it('states the circle radius and centre used in the code', () => {
    const circle = one(withParam('shape', 'circle'));
    const { radius, center } = circle.params as { radius: number; center: [number, number] };
    expect(circle.code).toContain(`Circle((${center[0]}, ${center[1]}), ${radius},`);
    expect(circle.caption).toContain(`radius ${radius}`);
    expect(circle.caption).toContain(`O(${center[0]}, ${center[1]})`);
  });

  it('computes the triangle angle, histogram counts and circuit current it reports', () => {
    for (const figure of withParam('shape', 'triangle')) {
      const { vertices, angleA } = figure.params as {
        vertices: Record<'A' | 'B' | 'C', [number, number]>;
        angleA: number;
      };
      const from = ([x, y]: [number, number]) => [x - vertices.A[0], y - vertices.A[1]] as const;
      const [ab, ac] = [from(vertices.B), from(vertices.C)];
      const cos = (ab[0] * ac[0] + ab[1] * ac[1]) / (Math.hypot(...ab) * Math.hypot(...ac));
      expect(angleA).toBeCloseTo((Math.acos(cos) * 180) / Math.PI, 1);
      expect(figure.caption).toContain(`labelled ${angleA}°`);
    }
    for (const figure of withParam('chart', 'histogram')) {
      const { data, counts } = figure.params as { data: number[]; counts: number[] };
      expect(counts.reduce((s, n) => s + n, 0)).toBe(data.length);
    }
    for (const figure of withParam('diagram', 'circuit')) {
      const { voltage, resistances, current } = figure.params as {
        voltage: number;
        resistances: number[];
        current: number;
      };
      expect(current).toBeCloseTo(voltage / resistances.reduce((s, r) => s + r, 0), 2);
      expect(figure.code).toContain(`'I = ${current} A'`);
      resistances.forEach((r, i) => expect(figure.caption).toContain(`R${i + 1} = ${r} Ω`));
    }
  });

  it('lays items out in the official STEM2Code messages layout', () => {
    const figure = one(sample);
    const line = stem2codeLine(figure, 'images/x.png');
    expect(line.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'assistant']);
    expect(line.messages[1]?.content[0]).toEqual({ type: 'image', image: 'images/x.png' });
    expect(line.messages[2]?.content[0]).toEqual({ type: 'text', text: figure.caption });
    expect(line.messages[3]?.content[0]).toEqual({ type: 'text', text: figure.code });
  });
});
