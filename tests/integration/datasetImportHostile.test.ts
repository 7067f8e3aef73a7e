import Database from 'better-sqlite3';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { ImportReport } from '../../main/api/datasets';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { codepercept } from '../support/cli';
import { imageStruct, text, writeParquet } from '../support/parquetFixture';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

const OUTSIDE = /^(.+) is (.+), outside (.+); allow images from anywhere with --allow-outside-root$/;
const STRAY_QUOTE =
  'a quote inside an unquoted field: quote the whole field and write each quote in it as ""';

describe('hostile dataset files: bad CSV rows, images outside the dataset, oversized fields (built CLI)', () => {
  const root = makeTempDir('codepercept-hostile-');
  const elsewhere = makeTempDir('codepercept-elsewhere-');
  afterAll(() => {
    root.cleanup();
    elsewhere.cleanup();
  });
  const ds = join(root.path, 'ds');
  const dataDir = join(root.path, 'data');
  mkdirSync(join(ds, 'images'), { recursive: true });
  for (const [i, name] of ['a', 'b', 'c', 'd', 'e'].entries())
    writeFileSync(join(ds, 'images', `${name}.png`), makePng(8 + i, 6, i));
  const secret = join(elsewhere.path, 'secret.png');
  writeFileSync(secret, makePng(31, 17, 9));
  writeFileSync(join(root.path, 'x.png'), makePng(23, 11, 8)); // ../x.png, seen from ds
  symlinkSync(secret, join(ds, 'images', 'link.png'));
  const caption = 'x'.repeat(1024 * 1024 + 1);
  const file = join(ds, 'hostile.csv');
  writeFileSync(
    file,
    [
      'uid,image,caption',
      'a,images/a.png,fine',
      'b,images/a.png,he said "hi" there',
      'c,images/b.png,fine too',
      `d,${secret},absolute path elsewhere`,
      'e,../x.png,up and out',
      'f,images/link.png,a symlink that leaves',
      `g,images/c.png,${caption}`,
      'h,images/d.png,"never closed',
      'i,images/e.png,after the unclosed quote',
      'j,images/a.png,one,too many',
      '',
    ].join('\n'),
  );

  async function importCsv(...extra: string[]): Promise<ImportReport> {
    const run = await codepercept([
      'import',
      file,
      '--format',
      'csv',
      '--data-dir',
      dataDir,
      '--json',
      ...extra,
    ]);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { report: ImportReport }).report;
  }

  it('imports the good rows around a stray quote, an unclosed quote and ragged rows; the rest are row errors', async () => {
    const report = await importCsv();
    expect(report).toMatchObject({ imported: 3, skipped: 0 });
    const errors = report.errors.map((e) => [e.line, e.field, e.reason]);
    expect(errors.filter(([line]) => ![5, 6, 7].includes(line as number))).toEqual([
      [3, 'caption', STRAY_QUOTE],
      [8, 'caption', '1048577 bytes, over the 1 MiB limit for caption fields'],
      [
        9,
        'caption',
        "the field's opening quote never closes before the end of the file; reading went on at the next line",
      ],
      [11, null, '4 field(s) where the header has 3'],
    ]);
    // Absolute, ../ and symlinked paths: each a row error naming the path and where it really is.
    const outside = report.errors
      .filter((e) => [5, 6, 7].includes(e.line))
      .map((e) => [e.line, e.field, OUTSIDE.exec(e.reason)?.slice(1, 3)]);
    expect(outside).toEqual([
      [5, 'image', [secret, realpathSync(secret)]],
      [6, 'image', ['../x.png', realpathSync(join(root.path, 'x.png'))]],
      [7, 'image', ['images/link.png', realpathSync(secret)]],
    ]);
    expect(report.errors.find((e) => e.line === 5)!.reason).toContain(`outside ${ds};`);
  }, 60_000);

  it('imports the outside images too with --allow-outside-root', async () => {
    const report = await importCsv('--allow-outside-root', '--name', 'anywhere');
    expect(report).toMatchObject({ imported: 6, skipped: 0 });
    expect(report.errors.map((e) => e.line)).toEqual([3, 8, 9, 11]);
    const db = new Database(join(dataDir, 'workbench.db'), { readonly: true });
    const sizes = db
      .prepare(
        `SELECT i.uid, b.width, b.height FROM items i JOIN blobs b ON b.sha256 = i.image_sha256
         WHERE i.dataset_id = (SELECT id FROM datasets WHERE name = 'anywhere') ORDER BY i.uid`,
      )
      .all();
    db.close();
    expect(sizes).toEqual([
      { uid: 'a', width: 8, height: 6 },
      { uid: 'c', width: 9, height: 6 },
      { uid: 'd', width: 31, height: 17 },
      { uid: 'e', width: 23, height: 11 },
      { uid: 'f', width: 31, height: 17 },
      { uid: 'i', width: 12, height: 6 },
    ]);
  }, 60_000);
});

describe('every importer loads images through the dataset-root check and enforces the field limits', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let engine: Engine;
  let client: ApiClient;

  afterEach(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  async function runImport(params: Record<string, unknown>): Promise<ImportReport> {
    const job = await client.call('datasets.import', params as { path: string; format: 'jsonl' });
    expect(await engine.jobs.waitFor(job.id)).toMatchObject({ state: 'done', error: null });
    return client.call('datasets.errors', { jobId: job.id });
  }

  it('jsonl, stem2code, vqa (TSV), parquet paths and folders', async () => {
    dir = makeTempDir();
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'test',
      log: () => {},
      environmentChecks: async () => [],
      renderPoolSize: 1,
    });
    client = connectInProcess(engine);
    const ds = join(dir.path, 'ds');
    mkdirSync(ds);
    writeFileSync(join(dir.path, 'x.png'), makePng(5, 5, 1));
    writeFileSync(join(ds, 'in.png'), makePng(6, 5, 2));
    const outside = (reason: string) => OUTSIDE.exec(reason)?.[1];
    const bigCode = 'y'.repeat(256 * 1024 + 1);

    writeFileSync(
      join(ds, 'rows.jsonl'),
      [
        { uid: 'out', image: '../x.png', code: 'a = 1' },
        { uid: 'big', image: 'in.png', code: bigCode },
        { uid: 'ok', image: 'in.png', code: 'b = 2' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    let report = await runImport({ path: join(ds, 'rows.jsonl'), format: 'jsonl', name: 'jsonl' });
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.line, e.field, outside(e.reason) ?? e.reason])).toEqual([
      [1, 'image', '../x.png'],
      [2, 'code', '262145 bytes, over the 256 KiB limit for code fields'],
    ]);

    const stem = (image: string) =>
      JSON.stringify({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'sys' }] },
          { role: 'user', content: [{ type: 'image', image }] },
          { role: 'user', content: [{ type: 'text', text: 'write code' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'c = 3' }] },
        ],
      });
    writeFileSync(join(ds, 'stem.jsonl'), `${stem('../x.png')}\n${stem('in.png')}\n`);
    report = await runImport({ path: join(ds, 'stem.jsonl'), format: 'stem2code', name: 'stem' });
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.line, e.field, outside(e.reason)])).toEqual([
      [1, 'messages[1].content[0].image', '../x.png'],
    ]);

    writeFileSync(
      join(ds, 'bench.tsv'),
      `question\tanswer\timage\nWhere?\tA\t../x.png\n${'q'.repeat(64 * 1024 + 1)}\tB\tin.png\nOk?\tC\tin.png\n`,
    );
    report = await runImport({ path: join(ds, 'bench.tsv'), format: 'vqa', name: 'vqa' });
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.line, e.field, outside(e.reason) ?? e.reason])).toEqual([
      [2, 'image', '../x.png'],
      [3, 'question', '65537 bytes, over the 64 KiB limit for text fields'],
    ]);

    writeParquet(
      join(ds, 'paths.parquet'),
      [
        { schema: text('code'), data: ['d = 4', 'e = 5'] },
        {
          schema: imageStruct('image'),
          data: [
            { bytes: null, path: '../x.png' },
            { bytes: null, path: 'in.png' },
          ],
        },
      ],
      10,
    );
    report = await runImport({ path: join(ds, 'paths.parquet'), format: 'parquet', name: 'parquet' });
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.line, e.field, outside(e.reason)])).toEqual([
      [1, 'image', '../x.png'],
    ]);

    const folder = join(ds, 'figures');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.py'), 'f = 6\n');
    symlinkSync(join(dir.path, 'x.png'), join(folder, 'a.png'));
    writeFileSync(join(folder, 'b.py'), 'g = 7\n');
    writeFileSync(join(folder, 'b.png'), makePng(7, 5, 3));
    writeFileSync(join(folder, 'b.md'), 'z'.repeat(1024 * 1024 + 1));
    writeFileSync(join(folder, 'c.py'), 'h = 8\n');
    writeFileSync(join(folder, 'c.png'), makePng(7, 6, 4));
    report = await runImport({ path: folder, format: 'folder', name: 'folder' });
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.file, e.field, outside(e.reason) ?? e.reason])).toEqual([
      ['a.py', 'image', 'a.png'],
      ['b.py', 'caption', '1048577 bytes, over the 1 MiB limit for caption fields'],
    ]);

    // --images-root is a root too: the same ../x.png lies inside it.
    report = await runImport({
      path: join(ds, 'stem.jsonl'),
      format: 'stem2code',
      name: 'stem-rooted',
      imagesRoot: dir.path,
    });
    expect(report).toMatchObject({ imported: 2, errors: [] });
  }, 60_000);
});
