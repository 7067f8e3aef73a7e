import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { imageStruct, int64, text, textList, writeParquet } from '../support/parquetFixture';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

/** A PNG whose signature, IHDR and IEND are fine but whose pixel data is garbage: only a real decode sees it. */
function corruptPng(): Buffer {
  const png = Buffer.from(makePng(40, 30, 3));
  // IDAT data starts at byte 41 (signature 8 + IHDR 25 + IDAT length and type 8).
  for (let i = 41; i < 51; i++) png[i]! ^= 0xff;
  return png;
}

describe('dataset import: Parquet, folders, CSV offsets, images and thumbnails (in-process engine)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let engine: Engine;
  let client: ApiClient;

  function open() {
    dir = makeTempDir();
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'test',
      log: () => {},
      environmentChecks: async () => [],
      renderPoolSize: 1,
    });
    client = connectInProcess(engine);
    return dir.path;
  }

  afterEach(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  async function runImport(params: Record<string, unknown>) {
    const job = await client.call('jobs.start', { type: 'datasets.import', params });
    const final = await engine.jobs.waitFor(job.id);
    expect(final).toMatchObject({ state: 'done', error: null });
    return client.call('datasets.errors', { jobId: job.id });
  }

  function db() {
    return new Database(engine.store.dbPath, { readonly: true });
  }

  it('imports Hugging Face Parquet (embedded bytes and paths) with a field map, reporting every bad row exactly', async () => {
    const root = open();
    mkdirSync(join(root, 'images'));
    const pngA = makePng(400, 300, 1);
    writeFileSync(join(root, 'images', 'b.png'), makePng(30, 60, 2));
    const file = join(root, 'train-00000-of-00001.parquet');
    const bad = new Uint8Array([0x70, 0x72, 0xff, 0xfe]); // "pr" then bytes that are not UTF-8
    writeParquet(
      file,
      [
        { schema: text('id'), data: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'] },
        {
          schema: imageStruct('img'),
          data: [
            { bytes: pngA, path: 'a.png' },
            { bytes: null, path: 'images/b.png' },
            { bytes: corruptPng(), path: 'corrupt.png' },
            { bytes: null, path: 'images/missing.png' },
            null,
            { bytes: pngA, path: 'again.png' },
            { bytes: pngA, path: 'a.png' },
            { bytes: makePng(20_000, 2, 4), path: 'wide.png' },
          ],
        },
        {
          schema: text('gt_code'),
          data: ['print(1)', 'print(2)', 'print(3)', 'print(4)', bad, 'print(6)', 'print(7)', 'print(8)'],
        },
        { schema: textList('desc'), data: [null, null, null, null, null, ['not', 'text'], null, null] },
        { schema: text('cat'), data: ['plots', 'plots', null, null, null, null, 'geometry', null] },
        { schema: int64('score'), data: [5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n] },
      ],
      3, // three row groups: batches and row numbers must run across them
    );
    const report = await runImport({
      path: file,
      format: 'parquet',
      name: 'hf',
      map: { uid: 'id', image: 'img', code: 'gt_code', caption: 'desc', category: 'cat' },
    });
    const name = 'train-00000-of-00001.parquet';
    expect(report).toMatchObject({ imported: 3, skipped: 0 });
    expect(report.errors).toEqual([
      {
        file: name,
        line: 3,
        field: 'img',
        reason: 'corrupt.png: corrupt PNG: the pixel data cannot be decoded',
      },
      { file: name, line: 4, field: 'img', reason: 'image file not found: images/missing.png' },
      { file: name, line: 5, field: 'gt_code', reason: 'not valid UTF-8' },
      { file: name, line: 6, field: 'desc', reason: 'expected a string, got array' },
      { file: name, line: 8, field: 'img', reason: 'wide.png: 20000×2 px, over the 16384-px limit per side' },
    ]);
    const ds = (await client.call('datasets.list', {})).find((d) => d.name === 'hf')!;
    expect(ds).toMatchObject({ kind: 'icc', itemCount: 3 });
    const { items } = await client.call('items.page', { datasetId: ds.id });
    expect(items.map((i) => [i.uid, i.code, i.category, i.metadata])).toEqual([
      ['x1', 'print(1)', 'plots', { score: 5 }],
      ['x2', 'print(2)', 'plots', { score: 6 }],
      ['x7', 'print(7)', 'geometry', { score: 11 }],
    ]);
    expect(items[0]!.imageSha256).toBe(items[2]!.imageSha256);

    // Each distinct valid image was decoded once: dimensions on the blob, one thumbnail each.
    const check = db();
    const blobs = check
      .prepare(
        'SELECT b.width, b.height, t.width AS tw, t.height AS th, t.mime FROM blobs b JOIN thumbnails t USING (sha256) ORDER BY b.width',
      )
      .all();
    expect(blobs).toEqual([
      { width: 30, height: 60, tw: 30, th: 60, mime: 'image/webp' },
      { width: 400, height: 300, tw: 256, th: 192, mime: 'image/webp' },
    ]);
    expect(check.prepare('SELECT COUNT(*) FROM thumbnails').pluck().get()).toBe(2);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    // The media API: the stored thumbnail, and the full image as a data URL.
    const thumb = await client.call('media.thumbnail', { sha256: items[0]!.imageSha256! });
    expect(thumb).toMatchObject({ width: 256, height: 192 });
    expect(thumb.dataUrl).toMatch(/^data:image\/webp;base64,/);
    const decoded = await sharp(Buffer.from(thumb.dataUrl.split(',')[1]!, 'base64')).metadata();
    expect([decoded.format, decoded.width, decoded.height]).toEqual(['webp', 256, 192]);
    const full = await client.call('media.image', { sha256: items[0]!.imageSha256! });
    expect(full).toMatchObject({ width: 400, height: 300 });
    expect(Buffer.from(full.dataUrl.slice('data:image/png;base64,'.length), 'base64').equals(pngA)).toBe(
      true,
    );
    await expect(client.call('media.thumbnail', { sha256: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(client.call('media.image', { sha256: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('makes a thumbnail on first request for an image that was never imported (a render)', async () => {
    open();
    const blob = engine.store.blobs.put(makePng(600, 100, 5), 'png', { width: 600, height: 100 });
    const check = db();
    const count = () =>
      check.prepare('SELECT COUNT(*) FROM thumbnails WHERE sha256 = ?').pluck().get(blob.sha256);
    expect(count()).toBe(0);
    const thumb = await client.call('media.thumbnail', { sha256: blob.sha256 });
    expect(thumb).toMatchObject({ sha256: blob.sha256, width: 256, height: 43 });
    expect(count()).toBe(1);
    check.close();
    expect(await client.call('media.thumbnail', { sha256: blob.sha256 })).toEqual(thumb);
  });

  it('imports a VQA benchmark shipped as Parquet', async () => {
    const root = open();
    const file = join(root, 'testmini.parquet');
    writeParquet(
      file,
      [
        { schema: int64('index'), data: [0n, 1n, 2n, 3n] },
        { schema: text('question'), data: ['What is the slope?', 'Area?', 'Angle?', 'How many bars?'] },
        { schema: text('answer'), data: ['B', null, '30', '3'] },
        {
          schema: imageStruct('image'),
          data: [
            { bytes: makePng(8, 8, 1), path: null },
            { bytes: makePng(8, 8, 2) },
            null,
            { bytes: makePng(9, 8, 3) },
          ],
        },
        { schema: textList('choices'), data: [['1', '2'], null, null, null] },
        { schema: text('category'), data: ['algebra', 'geometry', 'geometry', 'charts'] },
      ],
      1000,
    );
    const report = await runImport({ path: file, format: 'vqa', name: 'mini' });
    expect(report).toMatchObject({ imported: 2, skipped: 0 });
    expect(report.errors).toEqual([
      { file: 'testmini.parquet', line: 2, field: 'answer', reason: 'missing' },
      { file: 'testmini.parquet', line: 3, field: 'image', reason: 'missing' },
    ]);
    const ds = (await client.call('datasets.list', {})).find((d) => d.name === 'mini')!;
    expect(ds.kind).toBe('vqa');
    const { items } = await client.call('items.page', { datasetId: ds.id });
    expect(items.map((i) => [i.uid, i.question, i.answer, i.choices, i.category])).toEqual([
      ['0', 'What is the slope?', 'B', ['1', '2'], 'algebra'],
      ['3', 'How many bars?', '3', null, 'charts'],
    ]);
  });

  it('imports a folder of .py files, rendering the ones without an image, with each failure reported', async () => {
    const root = open();
    const folder = join(root, 'figures');
    mkdirSync(folder);
    const plot = (n: number) => `import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [${n}, 4, 9])\n`;
    writeFileSync(join(folder, 'a.py'), plot(1));
    writeFileSync(join(folder, 'a.png'), makePng(64, 48, 1));
    writeFileSync(join(folder, 'a.md'), 'A rising line.\n');
    writeFileSync(join(folder, 'b.py'), plot(2));
    writeFileSync(join(folder, 'b.md'), 'Rendered, not shipped.');
    writeFileSync(join(folder, 'c.py'), 'import matplotlib.pyplot as plt\nx = 1\ny = x / 0\n');
    writeFileSync(join(folder, 'd.py'), plot(4));
    writeFileSync(join(folder, 'd.png'), corruptPng());
    writeFileSync(join(folder, 'e.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xff, 0x0a]));
    writeFileSync(join(folder, 'notes.txt'), 'not code');
    const report = await runImport({ path: folder, format: 'folder', name: 'figs' });
    expect(report).toMatchObject({ imported: 2, skipped: 0 });
    expect(report.errors).toEqual([
      {
        file: 'c.py',
        line: 3,
        field: 'code',
        reason: 'render runtime_error: ZeroDivisionError: division by zero (line 3)',
      },
      {
        file: 'd.py',
        line: 1,
        field: 'image',
        reason: 'd.png: corrupt PNG: the pixel data cannot be decoded',
      },
      { file: 'e.py', line: 1, field: 'code', reason: 'not valid UTF-8' },
    ]);
    const ds = (await client.call('datasets.list', {})).find((d) => d.name === 'figs')!;
    const { items } = await client.call('items.page', { datasetId: ds.id });
    expect(items.map((i) => [i.uid, i.caption, i.code])).toEqual([
      ['a', 'A rising line.', plot(1)],
      ['b', 'Rendered, not shipped.', plot(2)],
    ]);
    // a kept its own image; b got the canonical render (800×600), validated and thumbnailed like any import.
    const a = await client.call('media.image', { sha256: items[0]!.imageSha256! });
    expect([a.width, a.height]).toEqual([64, 48]);
    const check = db();
    const rendered = check
      .prepare(
        'SELECT b.width, b.height, t.width AS tw, t.height AS th FROM blobs b JOIN thumbnails t USING (sha256) WHERE sha256 = ?',
      )
      .get(items[1]!.imageSha256);
    check.close();
    expect(rendered).toEqual({ width: 800, height: 600, tw: 256, th: 192 });

    // A file given as a folder fails the job with a message that says what --format folder expects.
    const job = await client.call('jobs.start', {
      type: 'datasets.import',
      params: { path: join(folder, 'a.py'), format: 'folder', name: 'oops' },
    });
    expect(await engine.jobs.waitFor(job.id)).toMatchObject({
      state: 'failed',
      error: `${join(folder, 'a.py')} is a file; --format folder imports a folder of .py files (with optional images and .md captions).`,
    });
  }, 120_000);

  it('imports CSV in batches that seek to their byte offset, with multi-line quoted fields intact', async () => {
    const root = open();
    mkdirSync(join(root, 'images'));
    writeFileSync(join(root, 'images', 'a.png'), makePng(4, 3, 1));
    const rows = 4500;
    const lines = ['\uFEFFname,picture,text'];
    for (let i = 0; i < rows; i++)
      lines.push(
        `r${i},images/${i === 4321 ? 'gone' : 'a'}.png,"caption ${i}, with ""quotes""\nsecond line ${i}"`,
      );
    const file = join(root, 'many.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = await runImport({
      path: file,
      format: 'csv',
      name: 'many',
      map: { uid: 'name', image: 'picture', caption: 'text' },
    });
    // Record i spans lines 2i+2 and 2i+3 (after the header); its report line is where it ends.
    expect(report).toMatchObject({ imported: rows - 1, skipped: 0 });
    expect(report.errors).toEqual([
      {
        file: 'many.csv',
        line: 2 * 4321 + 3,
        field: 'picture',
        reason: 'image file not found: images/gone.png',
      },
    ]);
    const check = db();
    const keys = check.prepare('SELECT key FROM job_items ORDER BY idx').pluck().all() as string[];
    const captions = check
      .prepare(
        "SELECT uid, caption FROM items WHERE uid IN ('r0', 'r1999', 'r2000', 'r4000', 'r4499') ORDER BY id",
      )
      .all();
    check.close();
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('csv:0:0:0:2000');
    expect(keys[1]).toMatch(/^csv:\d+:4001:2000:2000$/);
    expect(captions).toEqual(
      [0, 1999, 2000, 4000, 4499].map((i) => ({
        uid: `r${i}`,
        caption: `caption ${i}, with "quotes"\nsecond line ${i}`,
      })),
    );
  });
});
