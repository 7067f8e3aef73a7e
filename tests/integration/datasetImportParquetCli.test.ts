import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../main/api/datasets';
import { codepercept } from '../support/cli';
import { imageStruct, text, writeParquet } from '../support/parquetFixture';
import { makePng } from '../support/pngFixture';
import { cliPath, repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

const ROWS = 20_000;
const CATEGORIES = ['plots', 'geometry', 'charts', 'physics'];

describe('codepercept import --format parquet: kill -9 and resume; export --format parquet round trip (built CLI)', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const dbPath = join(dataDir, 'workbench.db');
  const file = join(dir.path, 'train.parquet');
  afterAll(() => dir.cleanup());

  const images = [0, 1, 2].map((i) => makePng(32 + i, 24, i));
  writeParquet(
    file,
    [
      { schema: text('uid'), data: Array.from({ length: ROWS }, (_, i) => `u${i}`) },
      {
        schema: imageStruct('image'),
        data: Array.from({ length: ROWS }, (_, i) => ({ bytes: images[i % 3], path: `${i % 3}.png` })),
      },
      {
        schema: text('code'),
        data: Array.from(
          { length: ROWS },
          (_, i) => `# item ${i}\n${'plt.plot([1, 2, 3])  # padding\n'.repeat(20)}`,
        ),
      },
      { schema: text('category'), data: Array.from({ length: ROWS }, (_, i) => CATEGORIES[i % 4]) },
    ],
    1000,
  );

  it('survives kill -9 mid-import: running it again finishes with no duplicate and no lost row', async () => {
    const child = spawn(
      process.execPath,
      [cliPath, 'import', file, '--format', 'parquet', '--data-dir', dataDir],
      {
        cwd: repoRoot,
        stdio: 'ignore',
      },
    );
    await waitFor(
      'some batches stored',
      () => {
        if (!existsSync(dbPath)) return false;
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return (
            (db.prepare("SELECT COUNT(*) FROM job_items WHERE state = 'done'").pluck().get() as number) >= 4
          );
        } catch {
          return false; // schema not there yet
        } finally {
          db.close();
        }
      },
      60_000,
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const mid = new Database(dbPath, { readonly: true });
    expect(mid.pragma('integrity_check', { simple: true })).toBe('ok');
    const atKill = mid.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
    const keys = mid.prepare('SELECT key FROM job_items ORDER BY idx').pluck().all() as string[];
    mid.close();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(ROWS);
    // One batch per 1000-row group, named by row range.
    expect(keys).toHaveLength(20);
    expect(keys.slice(0, 2)).toEqual(['rows:0:1000', 'rows:1000:1000']);

    const again = await codepercept(['import', file, '--format', 'parquet', '--data-dir', dataDir, '--json']);
    expect(again.code).toBe(0);
    const { job, report } = JSON.parse(again.stdout) as { job: { state: string }; report: ImportReport };
    expect(job.state).toBe('done');
    expect(report).toMatchObject({ imported: ROWS, skipped: 0, errors: [] });

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(1);
    expect(db.prepare('SELECT item_count FROM datasets').pluck().get()).toBe(ROWS);
    const uids = db.prepare('SELECT uid FROM items ORDER BY id').pluck().all() as string[];
    // Three distinct images, however many rows share them: three blobs, three thumbnails.
    expect(db.prepare('SELECT COUNT(*) FROM thumbnails').pluck().get()).toBe(3);
    expect(db.prepare('SELECT COUNT(DISTINCT image_sha256) FROM items').pluck().get()).toBe(3);
    expect(
      db.prepare('SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH \'"padding"\'').pluck().get(),
    ).toBe(ROWS);
    db.close();
    expect(new Set(uids).size).toBe(ROWS);
    expect([...uids].sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `u${i}`).sort());
  }, 180_000);

  it('exports a filtered subset as Parquet with embedded images and imports it back unchanged', async () => {
    const out = join(dir.path, 'export', 'geometry.parquet');
    const exported = await codepercept([
      'export',
      'train',
      '--format',
      'parquet',
      '--category',
      'geometry',
      '-o',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Exported ${ROWS / 4} item(s) of "train"`);
    const back = await codepercept([
      'import',
      out,
      '--format',
      'parquet',
      '--name',
      'roundtrip',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(back.code).toBe(0);
    expect((JSON.parse(back.stdout) as { report: ImportReport }).report).toMatchObject({
      imported: ROWS / 4,
      skipped: 0,
      errors: [],
    });
    const db = new Database(dbPath, { readonly: true });
    const rows = (name: string, where = '') =>
      db
        .prepare(
          `SELECT uid, category, code, image_sha256 FROM items
           WHERE dataset_id = (SELECT id FROM datasets WHERE name = ?) ${where} ORDER BY uid`,
        )
        .all(name);
    const original = rows('train', "AND category = 'geometry'");
    expect(original).toHaveLength(ROWS / 4);
    expect(rows('roundtrip')).toEqual(original);
    db.close();
  }, 180_000);
});
