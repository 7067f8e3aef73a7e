import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EvalItemResult } from '../../main/api/eval';
import { evalConfigFromFlags, summaryTable } from '../../main/cli/commands/eval';
import { compareRuns } from '../../main/eval/report/compareRuns';
import { REPORT_BOOTSTRAP, itemsOf, summarizeRun } from '../../main/eval/report/summarize';
import { toCsv } from '../../main/eval/report/toCsv';
import { toHtml } from '../../main/eval/report/toHtml';
import { bootstrapMean } from '../../main/eval/stats/bootstrap';
import { item, judgment, sixItemRun } from './evalReportFixtures';
import type { ItemSpec } from './evalReportFixtures';

const both = { image: true, code: true };
const sample = (spec: ItemSpec, k: number): EvalItemResult => ({ ...item(spec), sample: k });

/** Sample standard deviation (n − 1), written out here independently of the report's. */
function std(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Two items, three samples each:
 *
 * | item | sample | executed | image | code | ssim |
 * | a1   | 0      | yes      | 60    | 50   | 0.6  |
 * | a1   | 1      | yes      | 90    | 70   | 0.9  |
 * | a1   | 2      | syntax   | 0     | 30   | –    |
 * | b2   | 0      | runtime (image written) | 0 | 40 | – |
 * | b2   | 1      | yes      | null (3 failed attempts) | 80 | 0.3 |
 * | b2   | 2      | timeout  | 0     | null (2 failed attempts) | – |
 */
function sampledRun(): EvalItemResult[] {
  return [
    sample({ uid: 'a1', image: judgment(60), code: judgment(50), metric: 0.6 }, 0),
    sample({ uid: 'a1', image: judgment(90), code: judgment(70), metric: 0.9 }, 1),
    sample({ uid: 'a1', failure: 'syntax', image: judgment(0), code: judgment(30) }, 2),
    sample(
      {
        uid: 'b2',
        failure: 'runtime',
        exceptionType: 'KeyError',
        imageWritten: true,
        image: judgment(0),
        code: judgment(40),
      },
      0,
    ),
    sample({ uid: 'b2', image: judgment(null, 3), code: judgment(80), metric: 0.3 }, 1),
    sample({ uid: 'b2', failure: 'timeout', image: judgment(0), code: judgment(null, 2) }, 2),
  ];
}

const finalOf = (image: number, code: number, exec: number) => (image + code + exec) / 3;
// Per answer strict Finals, by item.
const FINALS_A = [finalOf(60, 50, 100), finalOf(90, 70, 100), finalOf(0, 30, 0)];
const FINALS_B = [finalOf(0, 40, 0), finalOf(0, 80, 100), finalOf(0, 0, 0)];
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('summarizeRun with several samples per item (hand-computed)', () => {
  const summary = summarizeRun({
    info: { id: 's', name: 'sampled', total: 6, judges: both, samplesPerItem: 3 },
    items: sampledRun(),
  });
  const o = summary.overall;

  it('Exec Rate is the mean over items of the share of samples executed; counts count answers', () => {
    expect(o.items).toBe(2);
    expect(o.executed).toBe(3);
    expect(o.imageWritten).toBe(4);
    // a1: 2 of 3, b2: 1 of 3.
    expect(o.execRate.mean).toBeCloseTo((200 / 3 + 100 / 3) / 2, 10);
    expect(o.execRate.n).toBe(2);
    expect(o.imageWrittenRate.mean).toBeCloseTo(200 / 3, 10);
    expect(o.failures).toMatchObject({ syntax: 1, runtime: 1, timeout: 1 });
    expect(o.exceptions).toEqual({ KeyError: 1 });
  });

  it('scores: strict = mean of per-item sample means; conditional = per-item mean over executed, scored samples', () => {
    // Image strict: a1 (60+90+0)/3 = 50, b2 0 → 25. Conditional: a1 mean(60, 90) = 75; b2 has none → 75, n 1.
    expect(o.imageScore!.strict.mean).toBeCloseTo(25, 10);
    expect(o.imageScore!.conditional.mean).toBeCloseTo(75, 10);
    expect(o.imageScore!.conditional.n).toBe(1);
    // Code strict: a1 50, b2 (40+80+0)/3 = 40 → 45. Conditional: a1 mean(50, 70) = 60, b2 80 → 70.
    expect(o.codeScore!.strict.mean).toBeCloseTo(45, 10);
    expect(o.codeScore!.conditional.mean).toBeCloseTo(70, 10);
    expect(o.codeScore!.conditional.n).toBe(2);
    expect(o.imageScore!.unscored).toBe(1);
    expect(o.imageScore!.failedAttempts).toBe(3);
    expect(o.codeScore!.unscored).toBe(1);
    expect(o.codeScore!.failedAttempts).toBe(2);
  });

  it('Final: strict = mean of per-item mean Finals; published = (75 + 70 + 50) / 3', () => {
    expect(o.final!.strict.mean).toBeCloseTo((mean(FINALS_A) + mean(FINALS_B)) / 2, 10);
    expect(o.final!.conditional.mean).toBeCloseTo((75 + 70 + 50) / 3, 10);
  });

  it('metrics: conditional per item over executed samples with a value; strict with failures 0', () => {
    expect(o.metrics.ssim.conditional.mean).toBeCloseTo((0.75 + 0.3) / 2, 10);
    expect(o.metrics.ssim.conditional.n).toBe(2);
    expect(o.metrics.ssim.strict.mean).toBeCloseTo((0.5 + 0.1) / 2, 10);
  });

  it('CIs resample items, not answers: the bootstrap of the per-item means, same seed', () => {
    const perItem = [200 / 3, 100 / 3];
    const expected = bootstrapMean(perItem, REPORT_BOOTSTRAP);
    expect(o.execRate.low).toBeCloseTo(expected.low, 10);
    expect(o.execRate.high).toBeCloseTo(expected.high, 10);
    const finals = bootstrapMean([mean(FINALS_A), mean(FINALS_B)], REPORT_BOOTSTRAP);
    expect(o.final!.strict.low).toBeCloseTo(finals.low, 10);
    expect(o.final!.strict.high).toBeCloseTo(finals.high, 10);
    // Over the six answers as if independent, the interval would differ.
    const flat = bootstrapMean([100, 100, 0, 0, 100, 0], REPORT_BOOTSTRAP);
    expect(o.execRate.low).not.toBeCloseTo(flat.low, 3);
  });

  it('samples: pass@N of execution and the mean within-item standard deviations', () => {
    const s = o.samples!;
    expect(s.perItem).toBe(3);
    expect(s.answers).toBe(6);
    expect(s.anyExecuted.mean).toBe(100);
    expect(s.withinItemStd.execRate).toBeCloseTo((std([100, 100, 0]) + std([0, 100, 0])) / 2, 10);
    expect(s.withinItemStd.imageScore).toBeCloseTo((std([60, 90, 0]) + std([0, 0, 0])) / 2, 10);
    expect(s.withinItemStd.codeScore).toBeCloseTo((std([50, 70, 30]) + std([40, 80, 0])) / 2, 10);
    expect(s.withinItemStd.final).toBeCloseTo((std(FINALS_A) + std(FINALS_B)) / 2, 10);
    expect(summary.run).toMatchObject({ items: 6, total: 6, samplesPerItem: 3 });
    expect(summary.notes.some((n) => n.includes('3 samples per item'))).toBe(true);
    // Per category too.
    expect(summary.categories[0]!.samples!.answers).toBe(6);
  });

  it('an unfinished sampled run says so in answers, and an item with one finished sample has no spread', () => {
    const partial = summarizeRun({
      info: { id: 'p', name: 'partial', total: 6, judges: both, samplesPerItem: 3 },
      items: sampledRun().slice(0, 4),
    });
    expect(partial.notes.some((n) => n.includes('4 of 6 answers (3 per item) finished'))).toBe(true);
    // b2 has one answer (runtime): its mean is that answer, and only a1 has a spread.
    expect(partial.overall.execRate.mean).toBeCloseTo((200 / 3 + 0) / 2, 10);
    expect(partial.overall.samples!.withinItemStd.execRate).toBeCloseTo(std([100, 100, 0]), 10);
  });
});

describe('samples that agree give the one-sample numbers', () => {
  it('three identical samples per item: every mean and CI equals the one-sample run; counts triple', () => {
    const one = summarizeRun({ info: { id: '1', name: 'one', judges: both }, items: sixItemRun() });
    const tripled = sixItemRun().flatMap((r) => [0, 1, 2].map((k) => ({ ...r, sample: k })));
    const three = summarizeRun({ info: { id: '3', name: 'three', judges: both }, items: tripled });
    const means = (g: typeof one.overall) => ({
      execRate: g.execRate,
      imageWrittenRate: g.imageWrittenRate,
      image: [g.imageScore!.conditional, g.imageScore!.strict],
      code: [g.codeScore!.conditional, g.codeScore!.strict],
      final: g.final,
      metrics: g.metrics,
    });
    expect(means(three.overall)).toEqual(means(one.overall));
    expect(three.overall.items).toBe(6);
    expect(three.overall.executed).toBe(3 * one.overall.executed);
    expect(three.overall.samples!.withinItemStd).toEqual({
      execRate: 0,
      imageScore: 0,
      codeScore: 0,
      final: 0,
    });
    expect(one.overall.samples).toBeUndefined();
  });

  it('itemsOf: answers of one item group; a repeated sample is another item, never averaged in', () => {
    const a = item({ uid: 'x1' });
    expect(itemsOf([a, { ...a, sample: 1 }, item({ uid: 'x2' })]).map((g) => g.length)).toEqual([2, 1]);
    expect(itemsOf([a, { ...a }]).map((g) => g.length)).toEqual([1, 1]);
  });
});

describe('reports of a sampled run', () => {
  it('compare: per-item means against a one-sample run; flips only when every sample failed', () => {
    const single = [
      item({ uid: 'a1', image: judgment(50), code: judgment(50), metric: 0.5 }),
      item({ uid: 'b2', image: judgment(50), code: judgment(50), metric: 0.5 }),
    ];
    const c = compareRuns(
      { info: { id: 'A', name: 'A', judges: both, samplesPerItem: 3 }, items: sampledRun() },
      { info: { id: 'B', name: 'B', judges: both }, items: single },
    );
    expect(c.shared).toBe(2);
    const row = (q: string) => c.rows.find((r) => r.quantity === q)!;
    expect(row('execRate').strict!.meanA).toBeCloseTo(50, 10);
    expect(row('execRate').strict!.difference).toBeCloseTo(-50, 10);
    expect(row('codeScore').strict!.meanA).toBeCloseTo(45, 10);
    // Conditional image: only a1 has an executed, scored sample in A.
    expect(row('imageScore').conditional!.n).toBe(1);
    expect(row('imageScore').conditional!.meanA).toBeCloseTo(75, 10);
    expect(row('final').strict!.meanA).toBeCloseTo((mean(FINALS_A) + mean(FINALS_B)) / 2, 10);
    expect(c.flips).toEqual({ executedInAOnly: [], executedInBOnly: [] });

    const failedEverywhere = sampledRun().map((r) =>
      r.uid === 'b2'
        ? { ...r, failure: 'syntax' as const, official: { ...r.official!, executed: false } }
        : r,
    );
    const flipped = compareRuns(
      { info: { id: 'A', name: 'A', judges: both }, items: failedEverywhere },
      { info: { id: 'B', name: 'B', judges: both }, items: single },
    );
    expect(flipped.flips.executedInBOnly).toEqual([{ uid: 'b2', category: null, failure: 'syntax' }]);
  });

  it('CSV: one row per item × sample, the sample next to the item; HTML says N', () => {
    const input = {
      info: { id: 's', name: 'sampled', judges: both, samplesPerItem: 3 },
      items: sampledRun(),
    };
    const rows = parseCsv(toCsv(input), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.uid, r.sample, r.executed])).toEqual([
      ['a1', '0', 'true'],
      ['a1', '1', 'true'],
      ['a1', '2', 'false'],
      ['b2', '0', 'false'],
      ['b2', '1', 'true'],
      ['b2', '2', 'false'],
    ]);
    expect(Number(rows[0]!.final_strict)).toBeCloseTo(FINALS_A[0]!, 10);
    const html = toHtml(input);
    expect(html).toContain('Samples per item (N = 3)');
    expect(html).toContain('2 items × N = 3 samples: 6 answers');
    expect(toHtml({ info: { id: 'o', name: 'one', judges: both }, items: sixItemRun() })).not.toContain(
      'Samples per item',
    );
  });
});

describe('the CLI with samples', () => {
  it('--samples, --temperature and --seed go into the settings; the summary table says N and pass@N', () => {
    const config = evalConfigFromFlags(
      { benchmark: 'b', predictions: 'p.jsonl', samples: 3, temperature: 0.7, seed: 5 },
      1,
    );
    expect(config.settings).toMatchObject({ samples: 3, temperature: 0.7, seed: 5 });
    expect(evalConfigFromFlags({ benchmark: 'b', predictions: 'p.jsonl' }, 1).settings).not.toHaveProperty(
      'samples',
    );
    const table = summaryTable(
      summarizeRun({
        info: { id: 's', name: 'sampled', total: 6, judges: both, samplesPerItem: 3 },
        items: sampledRun(),
      }),
    );
    expect(table).toMatch(/Answers\s+6\/6\s+2 items × N = 3 samples/);
    expect(table).toMatch(/Any sample executed\s+100\.00/);
    expect(table).toMatch(/Within-item std/);
  });
});
