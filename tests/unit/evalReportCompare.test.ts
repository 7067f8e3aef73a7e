import { describe, expect, it } from 'vitest';
import type { EvalItemResult } from '../../main/api/eval';
import { compareRuns } from '../../main/eval/report/compareRuns';
import type { ComparisonRow } from '../../main/eval/report/compareRuns';
import { item, judgment, metricsAt, sixItemRun } from './evalReportFixtures';

const both = { image: true, code: true };
const asRun = (name: string, items: EvalItemResult[], judges = both) => ({
  info: { id: name, name, judges },
  items,
});

/** B: eight executed items of varied quality; A: the same items with every score +5 and every metric +0.05. */
function varied(): EvalItemResult[] {
  return [10, 35, 50, 20, 80, 65, 40, 55].map((s, i) =>
    item({ uid: `v${i}`, image: judgment(s), code: judgment(90 - s), metric: s / 100 }),
  );
}

function plusFive(items: EvalItemResult[]): EvalItemResult[] {
  return items.map((r) => ({
    ...r,
    imageJudgment: judgment(r.imageJudgment!.score! + 5),
    codeJudgment: judgment(r.codeJudgment!.score! + 5),
    metrics: r.metrics ? metricsAt(r.metrics.ssim + 0.05) : null,
  }));
}

const row = (rows: ComparisonRow[], quantity: string) => rows.find((r) => r.quantity === quantity)!;

describe('compareRuns: paired bootstrap on shared items', () => {
  it('A = B + 5 on every item: A better on both scores and Final, difference exactly 5 with a zero-width CI', () => {
    const b = varied();
    const c = compareRuns(asRun('A', plusFive(b)), asRun('B', b));
    expect(c.shared).toBe(8);
    for (const q of ['imageScore', 'codeScore']) {
      for (const variant of ['strict', 'conditional'] as const) {
        const d = row(c.rows, q)[variant]!;
        expect(d.difference).toBeCloseTo(5, 10);
        expect(d.low).toBeCloseTo(5, 10);
        expect(d.high).toBeCloseTo(5, 10);
        expect(d.verdict).toBe('A better');
        expect(d.p).toBe(1 / 2000);
        expect(d.n).toBe(8);
      }
    }
    // Per-item strict Final: (image + code + exec) / 3 grows by (5 + 5) / 3.
    expect(row(c.rows, 'final').strict!.difference).toBeCloseTo(10 / 3, 10);
    expect(row(c.rows, 'final').strict!.verdict).toBe('A better');
    expect(row(c.rows, 'final').conditional).toBeNull();
    expect(row(c.rows, 'ssim').conditional!.difference).toBeCloseTo(0.05, 10);
    expect(row(c.rows, 'ssim').conditional!.verdict).toBe('A better');
    expect(row(c.rows, 'execRate').strict!.verdict).toBe('no detectable difference');
    // Swapped: B better, the difference negated.
    const swapped = compareRuns(asRun('B', b), asRun('A', plusFive(b)));
    expect(row(swapped.rows, 'imageScore').strict!.difference).toBeCloseTo(-5, 10);
    expect(row(swapped.rows, 'imageScore').strict!.verdict).toBe('B better');
  });

  it('identical runs: every comparable row says no detectable difference, difference 0, p = 1', () => {
    const c = compareRuns(asRun('A', sixItemRun()), asRun('B', sixItemRun()));
    for (const r of c.rows) {
      for (const d of [r.strict, r.conditional]) {
        if (!d || d.n === 0) continue;
        expect(d.difference).toBe(0);
        expect(d.p).toBe(1);
        expect(d.verdict).toBe('no detectable difference');
      }
    }
    expect(c.flips).toEqual({ executedInAOnly: [], executedInBOnly: [] });
  });

  it('hand-checked means on the six-item run vs a run where u2 executed and u1 failed', () => {
    const b = sixItemRun();
    const a = sixItemRun().map((r) =>
      r.uid === 'u2'
        ? item({ uid: 'u2', category: 'geometry', image: judgment(50), code: judgment(40), metric: 0.5 })
        : r.uid === 'u1'
          ? item({
              uid: 'u1',
              category: 'geometry',
              failure: 'missing_import',
              image: judgment(0),
              code: judgment(50),
            })
          : r,
    );
    const c = compareRuns(asRun('A', a), asRun('B', b));
    expect(c.flips.executedInAOnly).toEqual([{ uid: 'u2', category: 'geometry', failure: 'syntax' }]);
    expect(c.flips.executedInBOnly).toEqual([{ uid: 'u1', category: 'geometry', failure: 'missing_import' }]);
    const image = row(c.rows, 'imageScore');
    // Strict image: A = 80+0+50+0+0+0 = 130/6, B = 140/6.
    expect(image.strict!.meanA).toBeCloseTo(130 / 6, 10);
    expect(image.strict!.meanB).toBeCloseTo(140 / 6, 10);
    expect(image.strict!.difference).toBeCloseTo(-10 / 6, 10);
    // Conditional: items both executed and both scored = u0 only (u3 unscored on both).
    expect(image.conditional!.n).toBe(1);
    expect(image.conditional!.difference).toBe(0);
    // Exec: both runs 3 of 6.
    expect(row(c.rows, 'execRate').strict!.difference).toBe(0);
    // ssim strict: A = 0.9 + 0.5 + 0.3, B = 0.9 + 0.6 + 0.3, over 6.
    expect(row(c.rows, 'ssim').strict!.difference).toBeCloseTo(-0.1 / 6, 10);
    // Edge F1 has no value in either run: not compared, and said why.
    expect(row(c.rows, 'edgeF1').strict).toBeNull();
    expect(row(c.rows, 'edgeF1').conditional).toBeNull();
    expect(row(c.rows, 'edgeF1').unavailable).toMatch(/no value in run A or run B/);
  });

  it('items in one run only are listed and left out; a missing judge disables its rows', () => {
    const a = sixItemRun().slice(0, 4);
    const b = sixItemRun()
      .slice(2)
      .map((r) => ({ ...r, imageJudgment: null }));
    const c = compareRuns(asRun('A', a), asRun('B', b, { image: false, code: true }));
    expect(c.shared).toBe(2);
    expect(c.onlyInA).toEqual(['u0', 'u1']);
    expect(c.onlyInB).toEqual(['u4', 'u5']);
    expect(row(c.rows, 'imageScore').unavailable).toBe('Not compared: run B has no image judge.');
    expect(row(c.rows, 'final').strict).toBeNull();
    expect(row(c.rows, 'codeScore').strict!.n).toBe(2);
  });

  it('duplicate uids are refused with a message that says why', () => {
    const dup = [item({ uid: 'd' }), item({ uid: 'd' })];
    expect(() => compareRuns(asRun('A', dup), asRun('B', dup))).toThrow(/two items with uid "d"/);
  });
});
