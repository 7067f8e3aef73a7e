import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { useFreshModelHost } from '../fixtures/modelHost';
import { writeScalingModels } from '../support/scalingModels';
import type { ScalingModelFiles } from '../support/scalingModels';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { writeVqaFixture } from '../support/vqaFixture';

// One thread: these machines are shared and oversubscribed threads make llama.cpp crawl.
const OPTIONS = { contextSize: 2048, threads: 1, parallel: 2 } as const;
const ITEMS = 3;

/**
 * A 2 × 2 study (+ direct baseline) with generated tiny GGUF models in real model hosts: two vision captioners
 * and two text solvers of different sizes. Their text is noise, so accuracy is about 0; what is checked is the
 * bookkeeping: each caption computed once (attempts log), solvers reusing them, the cache across studies,
 * sizes from GGUF metadata, and accuracies that agree with the stored answers.
 */
describe('scaling study with generated tiny models', () => {
  const dir = makeTempDir('codepercept-scaling-study-');
  let engine: Engine;
  let client: ApiClient;
  let files: ScalingModelFiles;
  let datasetId: number;

  beforeAll(async () => {
    await useFreshModelHost();
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'scaling study test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', {
      path: writeVqaFixture(join(dir.path, 'fixture')),
      format: 'vqa',
      name: 'tiny-vqa',
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    datasetId = engine.catalog.datasets.resolve('tiny-vqa').id;
    files = writeScalingModels(join(dir.path, 'models'));
    for (const c of files.captioners)
      await client.call('models.add', { path: c.path, mmproj: c.mmproj, name: c.name });
    for (const s of files.solvers) await client.call('models.add', { path: s.path, name: s.name });
  }, 120_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  const local = (name: string) => ({
    label: name,
    spec: { kind: 'local' as const, model: name, options: OPTIONS },
  });
  const db = () => engine.store.db;

  it('refuses a text-only model as captioner, naming it', async () => {
    await expect(
      client.call('scaling.start', {
        name: 'bad',
        datasetId,
        captioners: [local('solver-small')],
        solvers: [local('solver-large')],
      }),
    ).rejects.toThrow(/captioners\[0\] \(solver-small\): the model takes no images/);
  });

  it('runs the grid: captions once each, reused by both solvers, sizes from GGUF, accuracy = stored answers', async () => {
    const { studyId, job } = await client.call('scaling.start', {
      name: 'tiny grid',
      datasetId,
      captioners: files.captioners.map((c) => local(c.name)),
      solvers: files.solvers.map((s) => local(s.name)),
      settings: { direct: true, limit: ITEMS, maxTokens: 16, concurrency: 2, seed: 5 },
    });
    const final = await engine.jobs.waitFor(job.id);
    expect(final, final.error ?? '').toMatchObject({ state: 'done', failed: 0 });
    expect(final.units).toMatchObject({ label: 'answers', total: ITEMS * 6, done: ITEMS * 6 });

    // Each caption computed exactly once per (captioner, item).
    const captionCalls = db()
      .prepare(
        `SELECT captioner, item_id, COUNT(*) AS n, SUM(finished_at IS NOT NULL) AS finished FROM scaling_attempts
          WHERE study_id = ? AND kind = 'caption' GROUP BY captioner, item_id`,
      )
      .all(studyId) as { n: number; finished: number }[];
    expect(captionCalls).toHaveLength(2 * ITEMS);
    for (const row of captionCalls) expect(row).toMatchObject({ n: 1, finished: 1 });
    // Both solvers read the same stored captions: one solver call per (solver, usable caption), no caption call more.
    const captions = db()
      .prepare('SELECT captioner, item_id, status FROM scaling_study_captions WHERE study_id = ?')
      .all(studyId) as { status: string }[];
    expect(captions).toHaveLength(2 * ITEMS);
    const usable = captions.filter((c) => c.status === 'computed').length;
    // Noise, but text: the cache and reuse checks below are about real captions.
    expect(usable).toBeGreaterThan(0);
    const answerCalls = db()
      .prepare("SELECT COUNT(*) FROM scaling_attempts WHERE study_id = ? AND kind = 'answer'")
      .pluck()
      .get(studyId);
    expect(answerCalls).toBe(2 * usable);
    expect(
      db()
        .prepare("SELECT COUNT(*) FROM scaling_attempts WHERE study_id = ? AND kind = 'direct'")
        .pluck()
        .get(studyId),
    ).toBe(2 * ITEMS);

    const detail = await client.call('scaling.study', { id: studyId });
    expect(detail).toMatchObject({ status: 'completed', done: ITEMS * 6, total: ITEMS * 6, items: ITEMS });
    expect(detail.captions).toEqual({ computed: usable, cached: 0 });

    // Sizes come from the GGUF files, and the larger files have more parameters.
    const ggufCount = async (name: string) =>
      (await client.call('models.inspect', { model: name })).parameterCount;
    for (const m of [...detail.captioners, ...detail.solvers]) {
      expect(m.parametersSource).toBe('gguf');
      expect(m.parameters).toBe(await ggufCount(m.label));
    }
    expect(detail.captioners[1]!.parameters!).toBeGreaterThan(detail.captioners[0]!.parameters!);
    expect(detail.solvers[1]!.parameters!).toBeGreaterThan(detail.solvers[0]!.parameters!);

    // Every cell's numbers are the stored answers' numbers.
    const stored = db()
      .prepare(
        `SELECT captioner, solver, COUNT(*) AS n, SUM(correct) AS correct, SUM(error IS NOT NULL) AS failed
           FROM scaling_answers WHERE study_id = ? GROUP BY captioner, solver`,
      )
      .all(studyId) as { captioner: string; solver: string; n: number; correct: number; failed: number }[];
    expect(detail.cells).toHaveLength(6);
    for (const cell of detail.cells) {
      const row = stored.find((r) => r.captioner === cell.captioner && r.solver === (cell.solver ?? ''))!;
      expect(cell.kind).toBe(cell.solver === null ? 'direct' : 'pipeline');
      expect(cell.overall).toMatchObject({ n: ITEMS, correct: row.correct, mean: row.correct / ITEMS });
      expect(cell).toMatchObject({ pending: 0, failed: row.failed });
      expect(row.n).toBe(ITEMS);
      const perBenchmark = Object.values(cell.byBenchmark).reduce((a, b) => a + b.n, 0);
      expect(perBenchmark).toBe(ITEMS);
    }
    // A failed caption shows on both solvers' answers for that item.
    const failedCaptions = captions.length - usable;
    const pipelineFailed = detail.cells
      .filter((c) => c.kind === 'pipeline')
      .reduce((a, c) => a + c.failed, 0);
    expect(pipelineFailed).toBeGreaterThanOrEqual(2 * failedCaptions);
    // Every model the study loaded is unloaded again.
    expect(await client.call('models.loaded', {})).toEqual([]);

    // A second study with the same captioner and settings computes no caption that the cache holds.
    const again = await client.call('scaling.start', {
      name: 'tiny again',
      datasetId,
      captioners: [local('cap-large')],
      solvers: [local('solver-small')],
      settings: { limit: ITEMS, maxTokens: 16, concurrency: 2, seed: 5 },
    });
    expect((await engine.jobs.waitFor(again.job.id)).state).toBe('done');
    const firstLarge = captions.filter(
      (c) => (c as unknown as { captioner: string }).captioner === 'cap-large' && c.status === 'computed',
    ).length;
    const second = await client.call('scaling.study', { id: again.studyId });
    expect(second.captions).toEqual({ computed: 0, cached: firstLarge });
    const secondCaptionCalls = db()
      .prepare("SELECT COUNT(*) FROM scaling_attempts WHERE study_id = ? AND kind = 'caption'")
      .pluck()
      .get(again.studyId);
    expect(secondCaptionCalls).toBe(ITEMS - firstLarge);
  }, 600_000);
  it('a paused study holds no model, and resuming recomputes no finished call', async () => {
    const { studyId, job } = await client.call('scaling.start', {
      name: 'tiny paused',
      datasetId,
      captioners: [local('cap-small')],
      solvers: [local('solver-small')],
      // A new seed: nothing comes from the earlier studies' caption cache. Long answers keep calls in flight.
      settings: { limit: ITEMS, maxTokens: 200, concurrency: 1, seed: 11 },
    });
    const inFlight = db().prepare(
      'SELECT COUNT(*) FROM scaling_attempts WHERE study_id = ? AND finished_at IS NULL',
    );
    // Pause while a model call is running, so the study is certainly unfinished and a model is loaded.
    // (The attempt is logged before its model has loaded, so wait for both.)
    await waitFor(
      'a call in flight on a loaded model',
      async () =>
        (inFlight.pluck().get(studyId) as number) > 0 &&
        (await client.call('models.loaded', {})).some((m) => m.state === 'ready'),
      120_000,
      2,
    );
    const paused = await client.call('jobs.pause', { id: job.id });
    expect(paused.state).toBe('paused');
    expect(await client.call('models.loaded', {})).toEqual([]);
    const finishedBefore = db()
      .prepare(
        `SELECT kind, captioner, IFNULL(solver, '') AS solver, item_id FROM scaling_attempts
          WHERE study_id = ? AND finished_at IS NOT NULL`,
      )
      .all(studyId) as { kind: string; captioner: string; solver: string; item_id: number }[];

    await client.call('jobs.resume', { id: job.id });
    const final = await engine.jobs.waitFor(job.id);
    expect(final, final.error ?? '').toMatchObject({ state: 'done', failed: 0 });
    // Every call finished before the pause was made once, never again.
    const attempts = db().prepare(
      `SELECT COUNT(*) FROM scaling_attempts
        WHERE study_id = ? AND kind = ? AND captioner = ? AND IFNULL(solver, '') = ? AND item_id = ?`,
    );
    for (const unit of finishedBefore)
      expect(attempts.pluck().get(studyId, unit.kind, unit.captioner, unit.solver, unit.item_id)).toBe(1);
    const detail = await client.call('scaling.study', { id: studyId });
    expect(detail).toMatchObject({ status: 'completed', done: ITEMS, total: ITEMS });
    expect(await client.call('models.loaded', {})).toEqual([]);
  }, 600_000);
});
