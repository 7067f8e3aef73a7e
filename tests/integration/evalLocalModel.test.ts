import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { useFreshModelHost } from '../fixtures/modelHost';
import { writeTestModels } from '../fixtures/tinyGguf';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

// One thread: these machines are shared and oversubscribed threads make llama.cpp crawl.
const OPTIONS = { contextSize: 2048, threads: 1, parallel: 2 } as const;

describe('eval with a generated tiny vision model on the bundled mini benchmark', () => {
  const dir = makeTempDir('codepercept-eval-model-');
  let engine: Engine;
  let client: ApiClient;

  beforeAll(async () => {
    await useFreshModelHost();
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'eval model test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', {
      path: join(repoRoot, 'resources/sample/stem2code-mini/benchmark.jsonl'),
      format: 'stem2code',
      name: 'mini',
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('generates noise with the protocol prompt and image: Exec Rate 0, every item no_code or syntax', async () => {
    const set = writeTestModels(join(dir.path, 'data', 'models'));
    const benchmarkDatasetId = engine.catalog.datasets.resolve('mini').id;
    const { runId, job } = await client.call('eval.start', {
      name: 'tiny',
      benchmarkDatasetId,
      subject: { kind: 'local', model: set.vision, options: OPTIONS },
      imageJudge: { kind: 'local', model: set.vision, options: OPTIONS },
      codeJudge: { kind: 'local', model: set.text, options: OPTIONS },
      settings: { limit: 4, maxTokens: 32, generationConcurrency: 2, seed: 3 },
    });
    const final = await engine.jobs.waitFor(job.id);
    expect(final, final.error ?? '').toMatchObject({ state: 'done', done: 4, failed: 0 });
    const detail = await client.call('eval.run', { id: runId });
    expect(detail.summary.run).toMatchObject({ total: 4, items: 4 });
    expect(detail.summary.overall).toMatchObject({ items: 4, executed: 0, execRate: { mean: 0 } });
    const { items } = await client.call('eval.items', { runId });
    for (const item of items) {
      expect(item.generation!.error, item.uid).toBeNull();
      expect(item.generation!.tokens, item.uid).toBeGreaterThan(0);
      expect(['no_code', 'syntax']).toContain(item.failure);
      expect(item.metrics).toBeNull();
      // The protocol's zero without asking: nothing executed, so no judge saw an image.
      expect(item.imageJudgment).toMatchObject({ score: 0, attempts: 0 });
      if (item.failure === 'no_code') expect(item.codeJudgment).toMatchObject({ score: 0, attempts: 0 });
      else expect(item.codeJudgment!.attempts).toBeGreaterThan(0);
    }
    expect(detail.summary.overall.final).toMatchObject({ strict: { mean: 0 } });
    // Each run unloads the models it loaded when it stops.
    expect(await client.call('models.loaded', {})).toEqual([]);
  }, 300_000);
});
