import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { EvalRunDetail } from '../../main/api/eval';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import type { JsonReport } from '../../main/eval/report/toJson';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini/benchmark.jsonl');
const ITEMS = 6;
const SAMPLES = 3;
const ANSWERS = ITEMS * SAMPLES;

/**
 * What each item's three answers do: ok = the reference code (a comment apart, so every answer renders for
 * real), runtime = the reference then 1/0, syntax = an unclosed call. Executed per item: 1, 2, 3, 0, 3, 2 of 3.
 */
const PLAN: ('ok' | 'runtime' | 'syntax')[][] = [
  ['ok', 'runtime', 'syntax'],
  ['ok', 'ok', 'runtime'],
  ['ok', 'ok', 'ok'],
  ['runtime', 'syntax', 'runtime'],
  ['ok', 'ok', 'ok'],
  ['syntax', 'ok', 'ok'],
];
const SHARES = PLAN.map((answers) => answers.filter((a) => a === 'ok').length / SAMPLES);

function referenceCodes(): string[] {
  return readFileSync(MINI, 'utf8')
    .trim()
    .split('\n')
    .slice(0, ITEMS)
    .map(
      (line) =>
        (JSON.parse(line) as { messages: { content: { text?: string }[] }[] }).messages[3]!.content[0]!.text!,
    );
}

function answer(kind: 'ok' | 'runtime' | 'syntax', code: string, tag: string): string {
  const body =
    kind === 'ok' ? `${code}\n# answer ${tag}\n` : kind === 'runtime' ? `${code}\nprint(1/0)\n` : 'plt.plot(';
  return `\`\`\`python\n${body}\n\`\`\``;
}

const writeLines = (file: string, lines: object[]) =>
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

interface StageRow {
  item_id: number;
  sample: number;
  stage: string;
  created_at: number;
}
const stageKey = (r: { item_id: number; sample: number; stage: string }) =>
  `${r.item_id}/${r.sample}/${r.stage}`;

describe('eval with three samples per item (crafted predictions, real renderer and metrics)', () => {
  const dir = makeTempDir('codepercept-eval-samples-');
  const dbPath = join(dir.path, 'data', 'workbench.db');
  let engine: Engine;
  let client: ApiClient;
  let benchmarkId: number;
  let sampled: EvalRunDetail;
  let single: EvalRunDetail;
  let atPause: { stages: StageRow[]; complete: number };
  const file = join(dir.path, 'sampled.jsonl');

  const read = <T>(query: (db: Database.Database) => T): T => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'eval samples test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', { path: MINI, format: 'stem2code', name: 'mini' });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    benchmarkId = engine.catalog.datasets.resolve('mini').id;
    const codes = referenceCodes();
    writeLines(
      file,
      PLAN.flatMap((answers, i) =>
        answers.map((kind, k) => ({
          uid: String(i),
          sample: k,
          response: answer(kind, codes[i]!, `${i}.${k}`),
        })),
      ),
    );

    // Paused once some answers finished, then resumed: the resume must recompute nothing that finished.
    const started = await client.call('eval.start', {
      name: 'sampled',
      benchmarkDatasetId: benchmarkId,
      subject: { kind: 'predictions', path: file, format: 'ours' },
      settings: { limit: ITEMS, samples: SAMPLES, timeoutS: 10 },
    });
    const complete = () =>
      read(
        (db) => db.prepare('SELECT COUNT(*) FROM eval_results WHERE complete = 1').pluck().get() as number,
      );
    await waitFor('three answers finished', () => complete() >= 3, 240_000, 20);
    await client.call('jobs.pause', { id: started.job.id });
    expect((await engine.jobs.waitFor(started.job.id)).state).toBe('paused');
    atPause = {
      stages: read(
        (db) => db.prepare('SELECT item_id, sample, stage, created_at FROM eval_stages').all() as StageRow[],
      ),
      complete: complete(),
    };
    await client.call('jobs.resume', { id: started.job.id });
    const final = await engine.jobs.waitFor(started.job.id);
    expect(final, final.error ?? '').toMatchObject({
      state: 'done',
      failed: 0,
      done: ANSWERS,
      total: ANSWERS,
    });
    sampled = await client.call('eval.run', { id: started.runId });

    const singleFile = join(dir.path, 'single.jsonl');
    writeLines(
      singleFile,
      codes.map((code, i) => ({ uid: String(i), response: answer('ok', code, `${i}`) })),
    );
    const one = await client.call('eval.start', {
      name: 'single',
      benchmarkDatasetId: benchmarkId,
      subject: { kind: 'predictions', path: singleFile, format: 'ours' },
      settings: { limit: ITEMS, timeoutS: 10 },
    });
    expect((await engine.jobs.waitFor(one.job.id)).state).toBe('done');
    single = await client.call('eval.run', { id: one.runId });
  }, 600_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('stores every stage per sample; the reference render once per item (sample 0)', () => {
    const counts = read(
      (db) =>
        db
          .prepare(
            'SELECT stage, COUNT(*) AS n, COUNT(DISTINCT sample) AS samples FROM eval_stages WHERE run_id = ? GROUP BY stage',
          )
          .all(sampled.id) as { stage: string; n: number; samples: number }[],
    );
    const byStage = Object.fromEntries(counts.map((c) => [c.stage, c]));
    expect(byStage.generation).toEqual({ stage: 'generation', n: ANSWERS, samples: SAMPLES });
    expect(byStage.extraction!.n).toBe(ANSWERS);
    expect(byStage.official!.n).toBe(ANSWERS);
    expect(byStage.canonical!.n).toBe(SHARES.reduce((s, x) => s + x * SAMPLES, 0));
    expect(byStage.metrics!.n).toBe(ANSWERS);
    expect(byStage.reference).toEqual({ stage: 'reference', n: ITEMS, samples: 1 });
    const results = read(
      (db) =>
        db
          .prepare('SELECT sample, COUNT(*) AS n FROM eval_results WHERE run_id = ? GROUP BY sample')
          .all(sampled.id) as {
          sample: number;
          n: number;
        }[],
    );
    expect(results).toEqual([0, 1, 2].map((sample) => ({ sample, n: ITEMS })));
  });

  it('the resume after a pause recomputed no finished stage (each started once) and counted answers', () => {
    expect(atPause.complete).toBeGreaterThanOrEqual(3);
    expect(atPause.complete).toBeLessThan(ANSWERS);
    expect(atPause.stages.length).toBeGreaterThan(0);
    const rows = new Map(
      read(
        (db) =>
          db
            .prepare('SELECT item_id, sample, stage, created_at FROM eval_stages WHERE run_id = ?')
            .all(sampled.id) as StageRow[],
      ).map((r) => [stageKey(r), r]),
    );
    const attempts = new Map(
      read(
        (db) =>
          db
            .prepare(
              'SELECT item_id, sample, stage, COUNT(*) AS n FROM eval_stage_attempts WHERE run_id = ? GROUP BY item_id, sample, stage',
            )
            .all(sampled.id) as { item_id: number; sample: number; stage: string; n: number }[],
      ).map((r) => [stageKey(r), r.n]),
    );
    for (const stage of atPause.stages) {
      expect(rows.get(stageKey(stage))!.created_at, stageKey(stage)).toBe(stage.created_at);
      expect(attempts.get(stageKey(stage)), stageKey(stage)).toBe(1);
    }
    // The shared reference render was logged under sample 0 only, once per item and never per sample.
    const referenceAttempts = [...attempts].filter(([key]) => key.endsWith('/reference'));
    expect(referenceAttempts.map(([key]) => key.split('/')[1])).toEqual(Array(ITEMS).fill('0'));
    expect(sampled.total).toBe(ANSWERS);
    expect(sampled.complete).toBe(ANSWERS);
  });

  it('the summary averages each item over its samples and resamples items for the CIs', () => {
    const s = sampled.summary;
    expect(s.run).toMatchObject({ items: ANSWERS, total: ANSWERS, samplesPerItem: SAMPLES });
    const o = s.overall;
    expect(o.items).toBe(ITEMS);
    expect(o.executed).toBe(11);
    expect(o.execRate.mean).toBeCloseTo((SHARES.reduce((a, b) => a + b, 0) / ITEMS) * 100, 10);
    expect(o.execRate.n).toBe(ITEMS);
    expect(o.execRate.low!).toBeLessThan(o.execRate.mean!);
    expect(o.failures).toMatchObject({ runtime: 4, syntax: 3 });
    expect(o.exceptions).toEqual({ ZeroDivisionError: 4 });
    // Identical renders: SSIM 1 on every executed answer, so per item 1 (conditional) and its share (strict).
    expect(o.metrics.ssim.conditional.mean).toBeCloseTo(1, 10);
    expect(o.metrics.ssim.conditional.n).toBe(5);
    expect(o.metrics.ssim.strict.mean).toBeCloseTo(SHARES.reduce((a, b) => a + b, 0) / ITEMS, 10);
    expect(o.samples).toBeDefined();
    expect(o.samples!.perItem).toBe(SAMPLES);
    expect(o.samples!.answers).toBe(ANSWERS);
    expect(o.samples!.anyExecuted.mean).toBeCloseTo((5 / 6) * 100, 10);
    // 0/100 over three answers with one or two executed: std √(10000/3) = 57.735; three items have it.
    expect(o.samples!.withinItemStd.execRate).toBeCloseTo((3 * Math.sqrt(10000 / 3)) / ITEMS, 10);
    expect(o.samples!.withinItemStd.final).toBeNull();
    expect(s.notes.some((n) => n.includes('3 samples per item'))).toBe(true);
  });

  it('eval.items lists item × sample rows (or one sample); eval.item shows a sample with the shared reference', async () => {
    const all = await client.call('eval.items', { runId: sampled.id, limit: 100 });
    expect(all.total).toBe(ANSWERS);
    expect(all.items.map((r) => [r.uid, r.sample])).toEqual(
      PLAN.flatMap((answers, i) => answers.map((_, k) => [String(i), k])),
    );
    const second = await client.call('eval.items', { runId: sampled.id, sample: 1 });
    expect(second.total).toBe(ITEMS);
    expect(second.items.every((r) => r.sample === 1)).toBe(true);
    expect(second.items.map((r) => r.failure)).toEqual(['runtime', null, null, 'syntax', null, null]);

    const itemId = all.items[0]!.itemId;
    const detail = await client.call('eval.item', { runId: sampled.id, itemId, sample: 2 });
    expect(detail.result).toMatchObject({ itemId, sample: 2, failure: 'syntax' });
    expect(detail.referenceCanonical?.status).toBe('ok');
    expect(detail.stages.map((st) => st.stage)).toContain('reference');
    expect((await client.call('eval.item', { runId: sampled.id, itemId })).result.sample).toBe(0);
    await expect(client.call('eval.item', { runId: sampled.id, itemId, sample: 3 })).rejects.toThrow(
      /has no sample 3 \(it has samples 0–2\)/,
    );
  });

  it('CSV: one row per item × sample with a sample column; JSON carries every answer', async () => {
    const csv = await client.call('eval.report', { id: sampled.id, format: 'csv' });
    const rows = parseCsv(csv.content, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(ANSWERS);
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['item_id', 'uid', 'category', 'sample']);
    expect(rows.map((r) => `${r.uid}:${r.sample}`)).toEqual(
      PLAN.flatMap((answers, i) => answers.map((_, k) => `${i}:${k}`)),
    );
    expect(rows.filter((r) => r.executed === 'true')).toHaveLength(11);
    const json = JSON.parse(
      (await client.call('eval.report', { id: sampled.id, format: 'json' })).content,
    ) as JsonReport;
    expect(json.items).toHaveLength(ANSWERS);
    expect(json.items[4]!.record.sample).toBe(1);
    expect(json.items[4]!.extras!.stages!.some((st) => st.stage === 'generation')).toBe(true);
    expect(json.summary).toEqual(sampled.summary);
    const html = (await client.call('eval.report', { id: sampled.id, format: 'html' })).content;
    expect(html).toContain(`Samples per item (N = ${SAMPLES})`);
  });

  it('compares a sampled run with a one-sample run on per-item means', async () => {
    const c = await client.call('eval.compare', { a: sampled.id, b: single.id });
    expect(c.shared).toBe(ITEMS);
    const exec = c.rows.find((r) => r.quantity === 'execRate')!.strict!;
    expect(exec.n).toBe(ITEMS);
    expect(exec.meanA).toBeCloseTo(sampled.summary.overall.execRate.mean!, 10);
    expect(exec.meanB).toBe(100);
    // Item 3 never executed in the sampled run (its most frequent failure is runtime).
    expect(c.flips.executedInBOnly.map((f) => [f.uid, f.failure])).toEqual([['3', 'runtime']]);
    expect(c.flips.executedInAOnly).toEqual([]);
    expect(c.a.samplesPerItem).toBe(SAMPLES);
    expect(c.b.samplesPerItem).toBeUndefined();
  });

  it('refuses sample counts a predictions file cannot answer, naming the file and the fix', async () => {
    const start = (path: string, format: 'ours' | 'official', samples?: number) =>
      client.call('eval.start', {
        name: 'refused',
        benchmarkDatasetId: benchmarkId,
        subject: { kind: 'predictions', path, format },
        settings: { limit: 2, ...(samples ? { samples } : {}) },
      });
    const official = join(dir.path, 'official.jsonl');
    writeLines(official, [{ uuid: '0', initial_response: 'import matplotlib' }]);
    await expect(start(official, 'official', 2)).rejects.toThrow(
      /official results file .* one answer per item/,
    );
    const plain = join(dir.path, 'plain.jsonl');
    writeLines(plain, [{ uid: '0', response: 'x' }]);
    await expect(start(plain, 'ours', 3)).rejects.toThrow(
      /samples is 3, but .*plain\.jsonl has no line with a "sample" field/,
    );
    await expect(start(file, 'ours')).rejects.toThrow(/answers for samples 0–2, but settings\.samples is 1/);
    const twice = join(dir.path, 'twice.jsonl');
    writeLines(twice, [
      { uid: '0', sample: 1, response: 'x' },
      { uid: '0', sample: 1, response: 'y' },
    ]);
    await expect(start(twice, 'ours', 2)).rejects.toThrow(/twice\.jsonl:2: uid "0" sample 1 appears twice/);
    const runs = await client.call('eval.runs', {});
    expect(runs.map((r) => r.name).sort()).toEqual(['sampled', 'single']);
  });
});
