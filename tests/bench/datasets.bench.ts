/**
 * Dataset import and browse at scale: generates DATASETS_BENCH_ROWS (default 1,000,000) synthetic STEM2Code
 * triplets of 1–2 KB text each, pointing at a handful of real PNGs, imports them through the real import job
 * (FTS kept in sync by triggers), then measures what the UI does: keyset pages, offset jumps, facet counts
 * (cold and cached) and first search pages.
 * Targets (issue #4): 1M import incl. FTS < 120 s; page p95 < 5 ms; first search page p95 < 50 ms.
 * Usage: DATASETS_BENCH_ROWS=200000 npm run bench -- tests/bench/datasets.bench.ts
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/engine';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

const ROWS = Number(process.env.DATASETS_BENCH_ROWS ?? 1_000_000);
const RARE = 'zygomorphic';
const work = makeTempDir('codepercept-datasets-bench-');

const WORDS = (
  'plot axis figure subplot line scatter bar histogram legend label title grid tick color marker ' +
  'function parabola sine cosine tangent circle triangle angle vector force circuit resistor voltage ' +
  'current molecule bond atom reaction graph node edge area volume slope intercept derivative integral'
).split(' ');

/** A small deterministic PRNG, so every run imports the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function words(next: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  return out.join(' ');
}

async function generate(path: string): Promise<void> {
  const next = rng(42);
  const stream = createWriteStream(path);
  for (let i = 0; i < ROWS; i++) {
    // ~1–2 KB: a short caption and code of 12–30 lines.
    const lines: string[] = ['import matplotlib.pyplot as plt', `# item ${i} ${i === 777 ? RARE : ''}`];
    const n = 12 + Math.floor(next() * 18);
    for (let l = 0; l < n; l++) lines.push(`plt.plot([${l}, ${i % 97}])  # ${words(next, 8)}`);
    const row = {
      uid: `s${i}`,
      image: `images/${i % 5}.png`,
      caption: `A ${words(next, 12)}.`,
      code: lines.join('\n'),
      category: ['function', 'geometry', 'physics', 'chemistry', 'circuits'][i % 5],
      source: ['mathvista', 'wemath', 'mathvision', 'logicvista', 'mathverse', 'dynamath', null][i % 7],
    };
    if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timeIt(n: number, body: (i: number) => void): { p50: number; p95: number } {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    body(i);
    samples.push(performance.now() - t0);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const fmt = (ms: { p50: number; p95: number }) => `p50 ${ms.p50.toFixed(2)} ms, p95 ${ms.p95.toFixed(2)} ms`;

try {
  mkdirSync(join(work.path, 'images'));
  for (let i = 0; i < 5; i++) writeFileSync(join(work.path, 'images', `${i}.png`), makePng(64 + i, 48, i));
  const file = join(work.path, 'bench.jsonl');
  let t0 = performance.now();
  await generate(file);
  console.log(
    `generated ${ROWS} rows (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const engine = createEngine({
    dataDir: join(work.path, 'data'),
    command: 'bench',
    log: () => {},
    environmentChecks: async () => [],
  });
  t0 = performance.now();
  const job = engine.catalog.startImport({ path: file, format: 'jsonl' });
  const final = await engine.jobs.waitFor(job.id);
  const importS = (performance.now() - t0) / 1000;
  const report = engine.catalog.errors(job.id);
  console.log(
    `import (incl. FTS indexing per batch): ${importS.toFixed(1)} s, ${(ROWS / importS).toFixed(0)} rows/s, ` +
      `state ${final.state}, imported ${report.imported}, errors ${report.errors.length}`,
  );

  const db = engine.store.db;
  t0 = performance.now();
  db.exec("INSERT INTO items_fts (items_fts) VALUES ('rebuild')");
  console.log(`FTS index rebuilt from scratch: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  db.exec("INSERT INTO items_fts (items_fts) VALUES ('optimize')");
  console.log(`FTS optimize (merge segments): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const datasetId = engine.catalog.datasets.resolve('bench').id;
  const maxId = db.prepare('SELECT MAX(id) FROM items').pluck().get() as number;
  const next = rng(7);
  console.log(
    `keyset page (50 items, random offset): ${fmt(timeIt(500, () => engine.catalog.items.page({ datasetId, after: Math.floor(next() * maxId), limit: 50 })))}`,
  );
  console.log(
    `keyset page by category: ${fmt(timeIt(500, () => engine.catalog.items.page({ datasetId, category: 'physics', after: Math.floor(next() * maxId), limit: 50 })))}`,
  );
  console.log(
    `offset jump to ~500k (then 50 items): ${fmt(timeIt(20, () => engine.catalog.items.page({ datasetId, offset: 500_000 + Math.floor(next() * 1000), limit: 50 })))}`,
  );
  console.log(
    `offset jump to ~100k within a category: ${fmt(timeIt(10, () => engine.catalog.items.page({ datasetId, category: 'physics', offset: 100_000 + Math.floor(next() * 1000), limit: 50 })))}`,
  );

  // A third of the items verified, as after a partial verification run: the verification facet has work to do.
  t0 = performance.now();
  db.exec(
    `INSERT INTO verifications (item_id, status, ssim, iou, checked_at)
     SELECT id, CASE WHEN id % 10 = 0 THEN 'mismatch' WHEN id % 97 = 0 THEN 'render_failed' ELSE 'match' END,
       0.95, 0.9, 1 FROM items WHERE id % 3 = 0`,
  );
  console.log(
    `stored ${Math.floor(ROWS / 3)} synthetic verifications in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const facetFilters = [
    { name: 'no filter', filter: { datasetId } },
    { name: 'category', filter: { datasetId, category: 'physics' } },
    {
      name: 'source + verification',
      filter: { datasetId, source: 'wemath', verification: 'mismatch' as const },
    },
  ];
  for (const { name, filter } of facetFilters) {
    t0 = performance.now();
    const facets = engine.catalog.facets.facets(filter);
    const cold = performance.now() - t0;
    console.log(
      `facets (${name}, total ${facets.total}): cold ${cold.toFixed(0)} ms, cached ${fmt(timeIt(20, () => engine.catalog.facets.facets(filter)))}`,
    );
  }
  console.log(
    `keyset page by verification "mismatch": ${fmt(timeIt(200, () => engine.catalog.items.page({ datasetId, verification: 'mismatch', after: Math.floor(next() * maxId), limit: 50 })))}`,
  );
  console.log(
    `keyset page by source + "unverified": ${fmt(timeIt(200, () => engine.catalog.items.page({ datasetId, source: 'wemath', verification: 'unverified', after: Math.floor(next() * maxId), limit: 50 })))}`,
  );
  const rareHits = engine.catalog.search.search(datasetId, RARE).length;
  console.log(
    `search first page, rare term "${RARE}" (${rareHits} hit): ${fmt(timeIt(50, () => engine.catalog.search.search(datasetId, RARE)))}`,
  );
  console.log(
    `search first page, common term "plot" (every row): ${fmt(timeIt(50, () => engine.catalog.search.search(datasetId, 'plot')))}`,
  );
  console.log(
    `search first page, two common terms "parabola force": ${fmt(timeIt(50, () => engine.catalog.search.search(datasetId, 'parabola force')))}`,
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(engine.store.dbPath).size;
  console.log(`database size: ${(size / 2 ** 20).toFixed(0)} MiB (${(size / ROWS).toFixed(0)} bytes/row)`);
  await engine.dispose();
} finally {
  work.cleanup();
}
