import type { JobSnapshot } from '../../main/api/jobs';
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { ImportFormat } from '../../main/api/datasets';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return `bad JSON: ${(error as Error).message}`;
  }
  throw new Error('expected invalid JSON');
}

/** An official-layout line: image at messages[1].content[0].image, code at messages[3].content[0].text. */
function stemLine(image: unknown, code: unknown): string {
  return JSON.stringify({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'image', image }] },
      { role: 'user', content: [{ type: 'text', text: 'write code' }] },
      { role: 'assistant', content: [{ type: 'text', text: code }] },
    ],
  });
}

describe('dataset import (in-process engine)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let engine: Engine;
  let client: ApiClient;

  function open() {
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
  }

  function fixtureDir(): string {
    dir = makeTempDir();
    const images = join(dir.path, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'a.png'), makePng(4, 3, 1));
    writeFileSync(join(images, 'b.png'), makePng(5, 5, 2));
    // The right signature, then garbage: passes a magic-byte sniff but not the header reader.
    writeFileSync(
      join(images, 'corrupt.png'),
      Buffer.concat([makePng(4, 4).subarray(0, 8), Buffer.from('junk')]),
    );
    open();
    return dir.path;
  }

  afterEach(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  let lastUnits: JobSnapshot['units'] = null;

  async function runImport(path: string, format: ImportFormat, extra: Record<string, unknown> = {}) {
    const job = await client.call('datasets.import', { path, format, ...extra });
    const final = await engine.jobs.waitFor(job.id);
    expect(final).toMatchObject({ state: 'done', error: null });
    // Progress counts rows, not batches: every row of the file is accounted for at the end.
    expect(final.units).toMatchObject({ label: 'rows' });
    expect(final.units!.done).toBe(final.units!.total);
    lastUnits = final.units;
    return client.call('datasets.errors', { jobId: job.id });
  }

  it('imports the official STEM2Code layout, reporting every bad row exactly', async () => {
    const root = fixtureDir();
    const badJson = '{"messages": [';
    const lines = [
      stemLine('images/a.png', 'plt.plot([1, 2])'),
      badJson,
      stemLine('images/nope.png', 'x = 1'),
      stemLine('images/corrupt.png', 'x = 2'),
      null, // a line that is not UTF-8
      stemLine('images/b.png', 42),
      stemLine(join(root, 'images', 'b.png'), 'plt.bar([1], [2])'),
      stemLine('images/a.png', 'plt.plot([1, 2])'), // same content as line 1: a duplicate
      '',
    ];
    const file = join(root, 'stem.jsonl');
    writeFileSync(
      file,
      Buffer.concat(
        lines.map((l) => (l === null ? Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]) : Buffer.from(`${l}\n`))),
      ),
    );
    const report = await runImport(file, 'stem2code');
    expect(report.imported).toBe(2);
    expect(report.skipped).toBe(1);
    expect(report.errors).toEqual([
      { file: 'stem.jsonl', line: 2, field: null, reason: jsonError(badJson) },
      {
        file: 'stem.jsonl',
        line: 3,
        field: 'messages[1].content[0].image',
        reason: 'image file not found: images/nope.png',
      },
      {
        file: 'stem.jsonl',
        line: 4,
        field: 'messages[1].content[0].image',
        reason: 'images/corrupt.png: corrupt PNG: no IHDR chunk after the signature',
      },
      { file: 'stem.jsonl', line: 5, field: null, reason: 'not valid UTF-8' },
      {
        file: 'stem.jsonl',
        line: 6,
        field: 'messages[3].content[0].text',
        reason: 'expected a string, got number',
      },
    ]);
    const [ds] = await client.call('datasets.list', {});
    expect(ds).toMatchObject({ name: 'stem', kind: 'stem2code', itemCount: 2 });
    const page = await client.call('items.page', { datasetId: ds!.id });
    // uid is the 0-based line index, as the published evaluation script names items.
    expect(page.items.map((i) => [i.uid, i.code])).toEqual([
      ['0', 'plt.plot([1, 2])'],
      ['6', 'plt.bar([1], [2])'],
    ]);
    expect(page.items[0]!.imagePath).toMatch(/\.png$/);

    // Importing the same file again stores nothing new: every good row is a duplicate.
    const again = await runImport(file, 'stem2code');
    expect(again).toMatchObject({ imported: 0, skipped: 3 });
    expect((await client.call('datasets.list', {}))[0]!.itemCount).toBe(2);
    const db = new Database(engine.store.dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('imports generic JSONL with a field map, base64 and data-URL images, and wrong types as row errors', async () => {
    const root = fixtureDir();
    const png = makePng(3, 3, 9).toString('base64');
    const file = join(root, 'generic.jsonl');
    writeFileSync(
      file,
      [
        { id: 'x1', img_path: 'images/a.png', gt_code: 'print(1)', desc: 'a line', extra: 5 },
        { id: 'x2', img_path: `data:image/png;base64,${png}`, gt_code: 'print(2)', desc: 'a dot' },
        { id: 'x3', img_path: png, gt_code: 'print(3)' },
        { id: 'x4', img_path: 'images/a.png', gt_code: ['not', 'text'] },
        { id: 'x5', img_path: 'images/a.png' },
        [1, 2],
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await runImport(file, 'jsonl', {
      name: 'gen',
      map: { uid: 'id', image: 'img_path', code: 'gt_code', caption: 'desc' },
    });
    expect(report).toMatchObject({ imported: 3, skipped: 0 });
    expect(report.errors).toEqual([
      { file: 'generic.jsonl', line: 4, field: 'gt_code', reason: 'expected a string, got array' },
      {
        file: 'generic.jsonl',
        line: 5,
        field: null,
        reason: 'no desc, gt_code or question field: nothing to import',
      },
      { file: 'generic.jsonl', line: 6, field: null, reason: 'expected a JSON object' },
    ]);
    const ds = (await client.call('datasets.list', {})).find((d) => d.name === 'gen')!;
    const { items } = await client.call('items.page', { datasetId: ds.id });
    expect(items.map((i) => i.uid)).toEqual(['x1', 'x2', 'x3']);
    expect(items[0]).toMatchObject({ caption: 'a line', code: 'print(1)', metadata: { extra: 5 } });
    // The data URL and the bare base64 carry the same bytes: one blob.
    expect(items[1]!.imageSha256).toBe(items[2]!.imageSha256);
  });

  it('imports CSV with a field map', async () => {
    const root = fixtureDir();
    const file = join(root, 'rows.csv');
    writeFileSync(
      file,
      'name,picture,text,cat\nr1,images/a.png,"multi\nline caption",plots\nr2,images/missing.png,second,plots\nr3,images/b.png,third,"geometry"\n',
    );
    const report = await runImport(file, 'csv', {
      map: { uid: 'name', image: 'picture', caption: 'text', category: 'cat' },
    });
    expect(report.imported).toBe(2);
    expect(report.errors).toEqual([
      { file: 'rows.csv', line: 4, field: 'picture', reason: 'image file not found: images/missing.png' },
    ]);
    expect(lastUnits).toMatchObject({ label: 'rows', done: 3, total: 3 });
    const ds = (await client.call('datasets.list', {}))[0]!;
    expect(ds.kind).toBe('icc');
    const { items } = await client.call('items.page', { datasetId: ds.id, category: 'geometry' });
    expect(items.map((i) => [i.uid, i.caption])).toEqual([['r3', 'third']]);
  });

  it('imports VQA as JSONL and TSV, with choices and categories', async () => {
    const root = fixtureDir();
    const jsonl = join(root, 'vqa.jsonl');
    writeFileSync(
      jsonl,
      [
        {
          id: 'q1',
          question: 'What is the slope?',
          answer: '2',
          image: 'images/a.png',
          choices: ['1', '2'],
          category: 'algebra',
        },
        { id: 'q2', question: 'Area?', image: 'images/b.png' },
        { id: 'q3', question: 'Angle?', answer: 30, image: 'images/b.png', choices: 'A' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await runImport(jsonl, 'vqa');
    expect(report.imported).toBe(1);
    expect(report.errors).toEqual([
      { file: 'vqa.jsonl', line: 2, field: 'answer', reason: 'missing' },
      {
        file: 'vqa.jsonl',
        line: 3,
        field: 'choices',
        reason: 'expected a list of strings (JSON array), got text that is not JSON',
      },
    ]);
    const tsv = join(root, 'vqa.tsv');
    writeFileSync(
      tsv,
      'index\tquestion\tanswer\timage\tchoices\tcategory\n7\tHow many bars?\t3\timages/a.png\t["2","3"]\tcharts\n8\tColour?\tred\timages/none.png\t\tcharts\n',
    );
    const tsvReport = await runImport(tsv, 'vqa');
    expect(tsvReport.imported).toBe(1);
    expect(tsvReport.errors).toEqual([
      { file: 'vqa.tsv', line: 3, field: 'image', reason: 'image file not found: images/none.png' },
    ]);
    const ds = (await client.call('datasets.list', {})).find((d) => d.name === 'vqa')!;
    // Both files share a dataset name ("vqa"), so the TSV row joined the JSONL one.
    const { items } = await client.call('items.page', { datasetId: ds.id });
    expect(items.map((i) => [i.uid, i.question, i.answer, i.choices, i.category])).toEqual([
      ['q1', 'What is the slope?', '2', ['1', '2'], 'algebra'],
      ['7', 'How many bars?', '3', ['2', '3'], 'charts'],
    ]);
  });
});
