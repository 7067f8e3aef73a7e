import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const SAMPLE = join(repoRoot, 'resources/sample/icc-sample/items.jsonl');
const quiet = { log: () => {}, environmentChecks: async () => [] };

interface SampleRow {
  uid: string;
  category: string;
  image: string;
  code: string;
}

/**
 * Items whose code no longer draws their image, built from sample items: a changed function and colour
 * (mismatch), code that raises or does not parse (render_failed), an item with no code (no_code) and one
 * with no image (no_image).
 */
function brokenTriplets(dir: string): string {
  const rows = readFileSync(SAMPLE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SampleRow);
  const plot = rows.find((r) => r.uid === 'function_plot-20260310-000')!;
  const chart = rows.find((r) => r.category === 'chart')!;
  const image = (r: SampleRow) => join(repoRoot, 'resources/sample/icc-sample', r.image);
  const changed = plot.code
    .replace("color='magenta'", "color='orange'")
    .replace('(2) * x**3', '(-6) * x**3')
    .replace("loc='lower left'", "loc='upper right'");
  expect(changed).not.toBe(plot.code);
  const lines = [
    { uid: 'changed-function', category: 'function_plot', image: image(plot), code: changed },
    {
      uid: 'raises',
      category: 'chart',
      image: image(chart),
      code: `${chart.code}\nraise ValueError('broken on purpose')\n`,
    },
    { uid: 'no-code', category: 'chart', image: image(chart), caption: 'an image without code' },
    { uid: 'no-image', category: 'chart', code: chart.code },
    {
      uid: 'bad-syntax',
      category: 'chart',
      image: image(plot),
      code: 'import matplotlib.pyplot as plt\nplt.plot([1, 2)\n',
    },
  ];
  const file = join(dir, 'broken.jsonl');
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

describe('verification: re-render every item and compare with its image (real renderer, real SQLite)', () => {
  const dir = makeTempDir('codepercept-verify-');
  let engine: Engine;
  let client: ApiClient;
  let sampleId: number;
  let brokenId: number;

  beforeAll(async () => {
    engine = createEngine({ dataDir: join(dir.path, 'data'), command: 'verify test', ...quiet });
    client = connectInProcess(engine);
    for (const [path, name] of [
      [SAMPLE, 'sample'],
      [brokenTriplets(dir.path), 'broken'],
    ] as const) {
      // The sample's images (and the broken copies' absolute paths) lie under resources/sample.
      const imagesRoot = join(repoRoot, 'resources/sample');
      const job = await client.call('datasets.import', { path, format: 'jsonl', name, imagesRoot });
      expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    }
    sampleId = engine.catalog.datasets.resolve('sample').id;
    brokenId = engine.catalog.datasets.resolve('broken').id;
  }, 60_000);
  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('finds every bundled sample item reproduced by its own code', async () => {
    const started = performance.now();
    const job = await client.call('datasets.verify', { datasetId: sampleId });
    const final = await engine.jobs.waitFor(job.id);
    const seconds = (performance.now() - started) / 1000;
    console.log(`verified 48 sample items in ${seconds.toFixed(1)} s: ${(48 / seconds).toFixed(1)} items/s`);
    expect(final).toMatchObject({ state: 'done', failed: 0, total: 3 });
    // Progress counts the 48 items, not the 3 batches of 16.
    expect(final.units).toEqual({ label: 'items', done: 48, total: 48, ratePerSec: null });
    const facets = await client.call('items.facets', { datasetId: sampleId });
    expect(facets.verification).toEqual([{ value: 'match', count: 48 }]);
    const page = await client.call('items.page', { datasetId: sampleId, limit: 500 });
    for (const item of page.items) {
      // Same code, same renderer, same size and dpi: the render is the image, pixel for pixel.
      expect(item.verification, item.uid).toMatchObject({ status: 'match', ssim: 1, iou: 1 });
      expect(item.verification!.renderSha256, item.uid).toBe(item.imageSha256);
    }
  }, 300_000);

  it('tells changed code (mismatch), code that fails (render_failed) and missing code (no_code) apart', async () => {
    const job = await client.call('datasets.verify', { datasetId: brokenId });
    expect(await engine.jobs.waitFor(job.id)).toMatchObject({ state: 'done', failed: 0 });
    const { items } = await client.call('items.page', { datasetId: brokenId });
    const byUid = Object.fromEntries(items.map((i) => [i.uid, i.verification!]));
    expect(byUid['changed-function']).toMatchObject({ status: 'mismatch', renderStatus: 'ok' });
    expect(byUid['changed-function']!.ssim!).toBeLessThan(0.9);
    expect(byUid['raises']).toMatchObject({
      status: 'render_failed',
      renderStatus: 'runtime_error',
      ssim: null,
    });
    expect(byUid['bad-syntax']).toMatchObject({ status: 'render_failed', renderStatus: 'syntax_error' });
    expect(byUid['no-code']).toMatchObject({ status: 'no_code', renderStatus: null });
    expect(byUid['no-image']).toMatchObject({ status: 'no_image', renderStatus: null });

    const facets = await client.call('items.facets', { datasetId: brokenId });
    expect(facets.verification).toEqual([
      { value: 'render_failed', count: 2 },
      { value: 'mismatch', count: 1 },
      { value: 'no_code', count: 1 },
      { value: 'no_image', count: 1 },
    ]);
    const failed = await client.call('items.page', { datasetId: brokenId, verification: 'render_failed' });
    expect(failed.items.map((i) => i.uid)).toEqual(['raises', 'bad-syntax']);
  }, 120_000);

  it('applies the thresholds from the params: a low enough bar makes the changed item a match', async () => {
    const job = await client.call('datasets.verify', {
      datasetId: brokenId,
      ssimThreshold: 0,
      iouThreshold: 0,
    });
    await engine.jobs.waitFor(job.id);
    const { items } = await client.call('items.page', { datasetId: brokenId, verification: 'match' });
    expect(items.map((i) => i.uid)).toEqual(['changed-function']);
  }, 120_000);

  it('re-renders one item for the detail view: render with trace, a diff overlay, and a stored verdict', async () => {
    const { items } = await client.call('items.page', { datasetId: brokenId });
    const changed = items.find((i) => i.uid === 'changed-function')!;
    const result = await client.call('items.rerender', { id: changed.id });
    expect(result.verification).toMatchObject({ status: 'mismatch' });
    expect(result.render.status).toBe('ok');
    expect(result.render.image!.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(result.render.trace).not.toBeNull();
    expect(result.diff).toMatchObject({ width: 640, height: 480 });
    // The overlay shows both kinds of difference: the reference's magenta curve (red) and the new one (blue).
    const overlay = await sharp(Buffer.from(result.diff!.dataUrl.split(',')[1]!, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const colours = new Set<string>();
    for (let p = 0; p < overlay.data.length; p += overlay.info.channels)
      colours.add(`${overlay.data[p]},${overlay.data[p + 1]},${overlay.data[p + 2]}`);
    expect(colours).toEqual(new Set(['220,38,38', '37,99,235', '140,140,140', '255,255,255']));
    expect((await client.call('items.get', { id: changed.id })).verification).toMatchObject({
      status: 'mismatch',
    });

    const noCode = items.find((i) => i.uid === 'no-code')!;
    const none = await client.call('items.rerender', { id: noCode.id });
    expect(none).toMatchObject({
      verification: { status: 'no_code' },
      render: { status: 'no_code' },
      diff: null,
    });
  }, 120_000);

  it('rejects a verification of an unknown dataset', async () => {
    await expect(client.call('datasets.verify', { datasetId: 9999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
