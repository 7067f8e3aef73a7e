import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../main/engine/engine';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const quiet = { log: () => {}, environmentChecks: async () => [] };

describe('the bundled sample', () => {
  const dir = makeTempDir('codepercept-sample-');
  afterAll(() => dir.cleanup());

  it('is imported on the first start of a new data dir, as ordinary import jobs', async () => {
    const engine = createEngine({ dataDir: dir.path, command: 'sample test', loadSample: true, ...quiet });
    try {
      const imports = engine.jobs.list().filter((j) => j.type !== 'demo.count');
      expect(imports).toHaveLength(3);
      for (const job of imports) expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
      const datasets = engine.catalog.datasets.list().map((d) => [d.name, d.itemCount]);
      const vqaLines = readFileSync(join(repoRoot, 'resources/sample/vqa-mini/questions.jsonl'), 'utf8')
        .trimEnd()
        .split('\n').length;
      expect(datasets.sort()).toEqual([
        ['sample-icc', 48],
        ['sample-stem2code-mini', 48],
        ['sample-vqa-mini', vqaLines],
      ]);
      for (const job of imports) expect(engine.catalog.errors(job.id).errors).toEqual([]);
      // Both carry the four categories, 12 items each, so reports break results down by category.
      for (const name of ['sample-icc', 'sample-stem2code-mini']) {
        const facets = engine.catalog.facets.facets({ datasetId: engine.catalog.datasets.resolve(name).id });
        expect(facets.categories.map((c) => [c.value, c.count]).sort()).toEqual([
          ['chart', 12],
          ['function_plot', 12],
          ['geometry', 12],
          ['physics', 12],
        ]);
      }
      // The VQA benchmark: every figure category, questions with gold answers, the sample's PNGs (shared blobs).
      const vqa = engine.catalog.datasets.resolve('sample-vqa-mini');
      expect(vqa.kind).toBe('vqa');
      const vqaFacets = engine.catalog.facets.facets({ datasetId: vqa.id });
      expect(vqaFacets.categories.map((c) => c.value).sort()).toEqual([
        'chart',
        'function_plot',
        'geometry',
        'physics',
      ]);
      const images = new Set(
        engine.store.db
          .prepare('SELECT DISTINCT image_sha256 AS sha FROM items WHERE dataset_id = ?')
          .all(vqa.id)
          .map((r) => (r as { sha: string }).sha),
      );
      expect(images.size).toBe(48);

      // The paper's published numbers, as one external set with its source.
      const sets = engine.externalResults.list();
      expect(sets.map((set) => set.name)).toEqual(['CodePercept paper (published)']);
      expect(sets[0]!.source).toContain('arXiv:2603.10757');
      const avg = sets[0]!.results.filter((r) => r.benchmark === 'Avg');
      expect(avg.map((r) => [r.label, r.captioner, r.captionerParams, r.solver, r.accuracy])).toEqual([
        ['Qwen3-VL-Instruct captioner', 'Qwen3-VL-4B-Instruct', 4e9, 'Qwen3-30B-A3B-Thinking', 0.5929],
        ['CodePercept-S1 captioner', 'CodePercept-4B-S1', 4e9, 'Qwen3-30B-A3B-Thinking', 0.6207],
        ['Qwen3-VL-Instruct captioner', 'Qwen3-VL-32B-Instruct', 32e9, 'Qwen3-30B-A3B-Thinking', 0.6463],
        ['CodePercept-S1 captioner', 'CodePercept-32B-S1', 32e9, 'Qwen3-30B-A3B-Thinking', 0.673],
      ]);
      expect(sets[0]!.results).toHaveLength(28);
    } finally {
      await engine.dispose();
    }
  });

  it('is not imported again on later starts', async () => {
    const engine = createEngine({
      dataDir: dir.path,
      command: 'sample test again',
      loadSample: true,
      ...quiet,
    });
    try {
      expect(engine.jobs.list()).toHaveLength(3);
      expect(engine.externalResults.list()).toHaveLength(1);
    } finally {
      await engine.dispose();
    }
  });
});
