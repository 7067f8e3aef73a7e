import { describe, expect, it } from 'vitest';
import { accuracyOf, cellAccuracy } from '../../main/scaling/accuracy';
import type { AccuracyItem, CellAnswer } from '../../main/scaling/accuracy';
import { planStudy, unitKey, unitOfKey } from '../../main/scaling/studyJob';
import { captionCacheKey } from '../../main/scaling/captionCache';
import { parseParameterCount } from '../../main/api/parameterCount';
import { matchAnswer } from '../../main/scaling/answers/matchAnswer';

const items: AccuracyItem[] = [
  { id: 1, benchmark: 'MathVista', category: 'chart' },
  { id: 2, benchmark: 'MathVista', category: 'chart' },
  { id: 3, benchmark: 'MathVista', category: 'geometry' },
  { id: 4, benchmark: 'MathVerse', category: 'geometry' },
  { id: 5, benchmark: 'MathVerse', category: 'chart' },
  { id: 6, benchmark: 'MathVerse', category: 'chart' },
];

const answers = (list: [number, boolean, boolean?][]) =>
  new Map<number, CellAnswer>(
    list.map(([id, correct, failed]) => [id, { correct, failed: failed ?? false }]),
  );

describe('cell accuracy (hand-computed cases)', () => {
  it('overall, per benchmark, per category, macro mean, pending and failed', () => {
    // Items 1, 2, 4 right; 3 wrong; 5 failed (wrong); 6 not answered yet.
    const cell = cellAccuracy(
      { captioner: 'c', solver: 's' },
      items,
      answers([
        [1, true],
        [2, true],
        [3, false],
        [4, true],
        [5, false, true],
      ]),
    );
    expect(cell).toMatchObject({ captioner: 'c', solver: 's', kind: 'pipeline', pending: 1, failed: 1 });
    expect(cell.overall).toMatchObject({ n: 5, correct: 3, mean: 0.6 });
    expect(cell.byBenchmark.MathVista).toMatchObject({ n: 3, correct: 2, mean: 2 / 3 });
    expect(cell.byBenchmark.MathVerse).toMatchObject({ n: 2, correct: 1, mean: 0.5 });
    // Macro: the mean of the benchmark means, not the pooled mean.
    expect(cell.macro).toBeCloseTo((2 / 3 + 0.5) / 2, 12);
    expect(cell.byCategory.chart).toMatchObject({ n: 3, correct: 2 });
    expect(cell.byCategory.geometry).toMatchObject({ n: 2, correct: 1, mean: 0.5 });
  });

  it('a direct cell; an empty cell has null means and every item pending', () => {
    const cell = cellAccuracy({ captioner: 'c', solver: null }, items, new Map());
    expect(cell).toMatchObject({ kind: 'direct', pending: 6, failed: 0, macro: null, byBenchmark: {} });
    expect(cell.overall).toEqual({ mean: null, low: null, high: null, n: 0, correct: 0 });
  });
});

describe('bootstrap CIs of an accuracy', () => {
  it('all right or all wrong: a zero-width interval at the mean', () => {
    expect(accuracyOf([true, true, true, true])).toEqual({ mean: 1, low: 1, high: 1, n: 4, correct: 4 });
    expect(accuracyOf([false, false])).toEqual({ mean: 0, low: 0, high: 0, n: 2, correct: 0 });
  });

  it('brackets the mean, is reproducible, and narrows with more items', () => {
    const small = accuracyOf(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
    const large = accuracyOf(Array.from({ length: 2000 }, (_, i) => i % 2 === 0));
    for (const a of [small, large]) {
      expect(a.mean).toBe(0.5);
      expect(a.low!).toBeLessThan(0.5);
      expect(a.high!).toBeGreaterThan(0.5);
    }
    expect(accuracyOf(Array.from({ length: 20 }, (_, i) => i % 2 === 0))).toEqual(small);
    expect(large.high! - large.low!).toBeLessThan((small.high! - small.low!) / 5);
    // The normal approximation for n = 2000, p = 0.5: ±1.96·√(p(1−p)/n) ≈ ±0.0219.
    expect(large.high! - large.low!).toBeGreaterThan(0.035);
    expect(large.high! - large.low!).toBeLessThan(0.053);
  });
});

describe('study plan and keys', () => {
  const config = (direct: boolean) => ({
    config: {
      captioners: [0, 1].map((i) => ({
        label: `c${i}`,
        spec: { kind: 'endpoint' as const, endpoint: `c${i}` },
        ggufParameters: null,
        identity: `c${i}`,
      })),
      solvers: [
        {
          label: 's0',
          spec: { kind: 'endpoint' as const, endpoint: 's0' },
          ggufParameters: null,
          identity: 's0',
        },
      ],
      settings: {
        variant: 'caption' as const,
        direct,
        maxTokens: 8,
        temperature: 0,
        seed: 0,
        concurrency: 1,
        numericTolerance: 0.01,
      },
    },
  });

  it('one model at a time: captioner A (captions, direct), captioner B, then each solver', () => {
    expect(planStudy(config(true), [7, 8])).toEqual([
      'cap:0:7',
      'cap:0:8',
      'dir:0:7',
      'dir:0:8',
      'cap:1:7',
      'cap:1:8',
      'dir:1:7',
      'dir:1:8',
      'ans:0:0:7',
      'ans:0:0:8',
      'ans:1:0:7',
      'ans:1:0:8',
    ]);
    expect(planStudy(config(false), [7])).toEqual(['cap:0:7', 'cap:1:7', 'ans:0:0:7', 'ans:1:0:7']);
    for (const key of planStudy(config(true), [7, 8])) expect(unitKey(unitOfKey(key))).toBe(key);
    expect(() => unitOfKey('item:3')).toThrow(/Not a study unit key/);
  });

  it('caption cache keys change with model, variant, image and sampling, and only with them', () => {
    const base = {
      identity: 'm',
      variant: 'caption' as const,
      imageSha256: 'a',
      maxTokens: 8,
      temperature: 0,
      seed: 0,
    };
    const key = captionCacheKey(base);
    expect(captionCacheKey({ ...base })).toBe(key);
    for (const change of [
      { identity: 'n' },
      { variant: 'code' as const },
      { imageSha256: 'b' },
      { maxTokens: 9 },
      { temperature: 0.5 },
      { seed: 1 },
    ])
      expect(captionCacheKey({ ...base, ...change }), JSON.stringify(change)).not.toBe(key);
  });

  it('parameter counts as people write them', () => {
    expect(parseParameterCount('7B')).toBe(7e9);
    expect(parseParameterCount('1.5m')).toBe(1.5e6);
    expect(parseParameterCount('7e10')).toBe(7e10);
    expect(parseParameterCount('560')).toBe(560);
    expect(parseParameterCount('tiny')).toBeNull();
    expect(parseParameterCount('0')).toBeNull();
  });

  it('the study’s numeric tolerance reaches matchAnswer (integers stay exact)', () => {
    const gold = { answer: '12.5', choices: null };
    expect(matchAnswer('12.9', gold).correct).toBe(false);
    expect(matchAnswer('12.9', gold, { relativeTolerance: 0.05 }).correct).toBe(true);
    expect(matchAnswer('7.2', { answer: '7', choices: null }, { relativeTolerance: 0.05 }).correct).toBe(
      false,
    );
  });
});
