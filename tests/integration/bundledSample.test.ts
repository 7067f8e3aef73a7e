import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../main/engine/engine';
import { makeTempDir } from '../support/tempDir';

const quiet = { log: () => {}, environmentChecks: async () => [] };

describe('the bundled sample', () => {
  const dir = makeTempDir('codepercept-sample-');
  afterAll(() => dir.cleanup());

  it('is imported on the first start of a new data dir, as ordinary import jobs', async () => {
    const engine = createEngine({ dataDir: dir.path, command: 'sample test', loadSample: true, ...quiet });
    try {
      const imports = engine.jobs.list().filter((j) => j.type !== 'demo.count');
      expect(imports).toHaveLength(2);
      for (const job of imports) expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
      const datasets = engine.catalog.datasets.list().map((d) => [d.name, d.itemCount]);
      expect(datasets.sort()).toEqual([
        ['sample-icc', 48],
        ['sample-stem2code-mini', 48],
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
      expect(engine.jobs.list()).toHaveLength(2);
    } finally {
      await engine.dispose();
    }
  });
});
