import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../../main/eval/report/summarize';
import type { Estimate, GroupSummary } from '../../main/eval/report/summarize';
import { item, judgment, sixItemRun } from './evalReportFixtures';

const both = { image: true, code: true };
/** `judges` null: not given, so the report infers them from the items. */
const run = (items = sixItemRun(), judges: { image: boolean; code: boolean } | null = both) => ({
  info: { id: 'r1', name: 'six', total: items.length, ...(judges ? { judges } : {}) },
  items,
});

function expectInside(e: Estimate) {
  expect(e.low).not.toBeNull();
  expect(e.low!).toBeLessThanOrEqual(e.mean!);
  expect(e.high!).toBeGreaterThanOrEqual(e.mean!);
}

function expectConstant(e: Estimate, value: number) {
  expect(e.mean).toBeCloseTo(value, 10);
  expect(e.low).toBeCloseTo(value, 10);
  expect(e.high).toBeCloseTo(value, 10);
}

describe('summarizeRun on the hand-computed six-item run', () => {
  const summary = summarizeRun(run());
  const o = summary.overall;

  it('Exec Rate: 3 of 6 executed (strict), 4 of 6 wrote an image (public script)', () => {
    expect(o.items).toBe(6);
    expect(o.executed).toBe(3);
    expect(o.execRate.mean).toBeCloseTo(50, 10);
    expect(o.imageWritten).toBe(4);
    expect(o.imageWrittenRate.mean).toBeCloseTo(400 / 6, 10);
  });

  it('Image and Code Score: conditional over executed and scored items, strict with every failure 0', () => {
    // Image: executed and scored = u0 80, u1 60 (u3 unscored) → 70; strict (80+60)/6.
    expect(o.imageScore!.conditional.mean).toBeCloseTo(70, 10);
    expect(o.imageScore!.conditional.n).toBe(2);
    expect(o.imageScore!.strict.mean).toBeCloseTo(140 / 6, 10);
    expect(o.imageScore!.strict.n).toBe(6);
    // Code: executed and scored = u0 70, u1 50, u3 90 → 70; strict (70+50+40+90+30+0)/6.
    expect(o.codeScore!.conditional.mean).toBeCloseTo(70, 10);
    expect(o.codeScore!.conditional.n).toBe(3);
    expect(o.codeScore!.strict.mean).toBeCloseTo(280 / 6, 10);
  });

  it('Final both ways: published (70 + 70 + 50)/3, strict (23.33 + 46.67 + 50)/3 = 40', () => {
    expect(o.final!.conditional.mean).toBeCloseTo(190 / 3, 10);
    expect(o.final!.strict.mean).toBeCloseTo(40, 10);
    expectInside(o.final!.conditional);
    expectInside(o.final!.strict);
  });

  it('per category: geometry and plot by hand; a category with no scored image has no published Final', () => {
    expect(summary.categories.map((c) => c.category)).toEqual(['geometry', 'plot']);
    const [geo, plot] = summary.categories as [GroupSummary, GroupSummary];
    expect(geo.execRate.mean).toBeCloseTo(200 / 3, 10);
    expect(geo.imageScore!.conditional.mean).toBeCloseTo(70, 10);
    expect(geo.imageScore!.strict.mean).toBeCloseTo(140 / 3, 10);
    expect(geo.codeScore!.conditional.mean).toBeCloseTo(60, 10);
    expect(geo.codeScore!.strict.mean).toBeCloseTo(160 / 3, 10);
    expect(geo.final!.conditional.mean).toBeCloseTo((70 + 60 + 200 / 3) / 3, 10);
    expect(geo.final!.strict.mean).toBeCloseTo((140 / 3 + 160 / 3 + 200 / 3) / 3, 10);
    expect(plot.execRate.mean).toBeCloseTo(100 / 3, 10);
    expect(plot.imageScore!.conditional).toEqual({ mean: null, low: null, high: null, n: 0 });
    expect(plot.imageScore!.strict.mean).toBe(0);
    expect(plot.codeScore!.conditional.mean).toBeCloseTo(90, 10);
    expect(plot.final!.conditional.mean).toBeNull();
    expect(plot.final!.strict.mean).toBeCloseTo((0 + 40 + 100 / 3) / 3, 10);
  });

  it('deterministic metrics: conditional over executed items, strict with failures 0; uncomputed ones have no mean', () => {
    // ssim on u0 0.9, u1 0.6, u3 0.3 → 0.6 conditional; strict 1.8 / 6.
    expect(o.metrics.ssim.conditional.mean).toBeCloseTo(0.6, 10);
    expect(o.metrics.ssim.conditional.n).toBe(3);
    expect(o.metrics.ssim.strict.mean).toBeCloseTo(0.3, 10);
    expectInside(o.metrics.ssim.conditional);
    expectInside(o.metrics.ssim.strict);
    for (const key of ['edgeF1', 'perceptual'] as const) {
      expect(o.metrics[key].available).toBe(false);
      expect(o.metrics[key].strict.mean).toBeNull();
      expect(o.metrics[key].conditional.mean).toBeNull();
    }
    expect(summary.notes.some((n) => n.includes('edgeF1, perceptual'))).toBe(true);
  });

  it('failure taxonomy with runtime exception types; judge failures counted', () => {
    expect(o.failures).toEqual({
      no_code: 0,
      syntax: 1,
      missing_import: 0,
      runtime: 1,
      timeout: 1,
      memory: 0,
      blank_figure: 0,
      no_image: 0,
      generation_failed: 0,
    });
    expect(o.exceptions).toEqual({ ZeroDivisionError: 1 });
    expect(o.imageScore!.unscored).toBe(1);
    expect(o.imageScore!.failedAttempts).toBe(3);
    expect(o.codeScore!.unscored).toBe(1);
    expect(o.codeScore!.failedAttempts).toBe(3);
    expect(o.imageScore!.unjudged).toBe(0);
    expect(summary.notes.filter((n) => n.includes('without a score'))).toHaveLength(2);
  });

  it('every CI contains its mean; the same seed gives the same report to the last digit', () => {
    const estimates: Estimate[] = [
      o.execRate,
      o.imageWrittenRate,
      o.imageScore!.conditional,
      o.imageScore!.strict,
      o.codeScore!.conditional,
      o.codeScore!.strict,
    ];
    for (const e of estimates) expectInside(e);
    expect(summarizeRun(run())).toEqual(summary);
    expect(summarizeRun(run(), { bootstrap: { seed: 7 } })).not.toEqual(summary);
  });

  it('a run where nothing executed: metrics have no conditional mean and a strict mean of 0', () => {
    const failed = sixItemRun().filter((r) => r.official?.executed !== true);
    const m = summarizeRun(run(failed)).overall.metrics.ssim;
    expect(m.available).toBe(true);
    expect(m.conditional.mean).toBeNull();
    expect(m.conditional.n).toBe(0);
    expect(m.strict.mean).toBe(0);
  });
});

describe('summarizeRun edge cases', () => {
  it('constant values give CIs of width 0', () => {
    const items = ['a1', 'a2', 'a3', 'a4'].map((uid) =>
      item({ uid, image: judgment(50), code: judgment(50), metric: 0.5 }),
    );
    const o = summarizeRun(run(items)).overall;
    expectConstant(o.execRate, 100);
    expectConstant(o.imageScore!.conditional, 50);
    expectConstant(o.codeScore!.strict, 50);
    expectConstant(o.final!.conditional, (50 + 50 + 100) / 3);
    expectConstant(o.final!.strict, (50 + 50 + 100) / 3);
    expectConstant(o.metrics.ssim.strict, 0.5);
  });

  it('a run without judges: Exec Rate and metrics only, scores and Final null, and a note says why', () => {
    const items = sixItemRun().map((r) => ({ ...r, imageJudgment: null, codeJudgment: null }));
    const summary = summarizeRun(run(items, { image: false, code: false }));
    expect(summary.overall.imageScore).toBeNull();
    expect(summary.overall.codeScore).toBeNull();
    expect(summary.overall.final).toBeNull();
    expect(summary.overall.execRate.mean).toBeCloseTo(50, 10);
    expect(summary.overall.metrics.ssim.conditional.mean).toBeCloseTo(0.6, 10);
    expect(summary.notes[0]).toMatch(/No image and code judge.*Final.*not defined/);
    // Judges inferred from the items when the run's config is not given.
    expect(summarizeRun(run(items, null)).judges).toEqual({ image: false, code: false });
    expect(summarizeRun(run(sixItemRun(), null)).judges).toEqual(both);
  });

  it('one judge only: its score both ways, no Final', () => {
    const items = sixItemRun().map((r) => ({ ...r, imageJudgment: null }));
    const o = summarizeRun(run(items, { image: false, code: true })).overall;
    expect(o.imageScore).toBeNull();
    expect(o.codeScore!.conditional.mean).toBeCloseTo(70, 10);
    expect(o.final).toBeNull();
  });

  it('an empty or unfinished run', () => {
    const empty = summarizeRun({ info: { id: 'e', name: 'empty', total: 3, judges: both }, items: [] });
    expect(empty.overall.execRate).toEqual({ mean: null, low: null, high: null, n: 0 });
    expect(empty.overall.final!.conditional.mean).toBeNull();
    expect(empty.categories).toEqual([]);
    expect(empty.notes.some((n) => n.includes('0 of 3 items finished'))).toBe(true);
  });

  it('items without a category form their own group, listed last', () => {
    const items = [item({ uid: 'x1', category: null }), item({ uid: 'x2', category: 'b' })];
    const groups = summarizeRun(run(items, { image: false, code: false })).categories;
    expect(groups.map((g) => g.category)).toEqual(['b', null]);
  });
});
