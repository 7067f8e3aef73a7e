import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../main/api/datasets';
import { codepercept } from '../support/cli';
import { cliPath, repoRoot } from '../support/serveProcess';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

function stemLine(i: number): string {
  const code = `import matplotlib.pyplot as plt\n# item ${i}\n${'plt.plot([1, 2, 3])  # padding\n'.repeat(25)}`;
  return JSON.stringify({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'image', image: `images/${i % 3}.png` }] },
      { role: 'user', content: [{ type: 'text', text: 'write code' }] },
      { role: 'assistant', content: [{ type: 'text', text: code }] },
    ],
  });
}

const ROWS = 20_000;

describe('codepercept import / datasets / items / search / export (built CLI)', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const file = join(dir.path, 'stem.jsonl');
  afterAll(() => dir.cleanup());

  mkdirSync(join(dir.path, 'images'));
  for (let i = 0; i < 3; i++) writeFileSync(join(dir.path, 'images', `${i}.png`), makePng(6, 4, i));
  writeFileSync(file, `${Array.from({ length: ROWS }, (_, i) => stemLine(i)).join('\n')}\n`);

  it('survives kill -9 mid-import: running it again finishes with no duplicate and no lost row', async () => {
    const child = spawn(
      process.execPath,
      [cliPath, 'import', file, '--format', 'stem2code', '--data-dir', dataDir],
      {
        cwd: repoRoot,
        stdio: 'ignore',
      },
    );
    const dbPath = join(dataDir, 'workbench.db');
    await waitFor('some batches stored', () => {
      if (!existsSync(dbPath)) return false;
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT COUNT(*) AS n FROM job_items WHERE state = 'done'").get() as {
          n: number;
        };
        return row.n >= 5;
      } catch {
        return false; // schema not there yet
      } finally {
        db.close();
      }
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const mid = new Database(dbPath, { readonly: true });
    expect(mid.pragma('integrity_check', { simple: true })).toBe('ok');
    const atKill = (mid.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;
    mid.close();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(ROWS);

    const again = await codepercept([
      'import',
      file,
      '--format',
      'stem2code',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(again.code).toBe(0);
    const { job, report } = JSON.parse(again.stdout) as { job: { state: string }; report: ImportReport };
    expect(job.state).toBe('done');
    expect(report).toMatchObject({ imported: ROWS, skipped: 0, errors: [] });

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const uids = db.prepare('SELECT uid FROM items ORDER BY id').pluck().all() as string[];
    expect(db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(1);
    expect(db.prepare('SELECT item_count FROM datasets').pluck().get()).toBe(ROWS);
    expect(
      db.prepare('SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH \'"padding"\'').pluck().get(),
    ).toBe(ROWS);
    db.close();
    expect(new Set(uids).size).toBe(ROWS);
    expect([...uids].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: ROWS }, (_, i) => String(i)),
    );
  }, 120_000);

  it('lists, pages and searches from the command line', async () => {
    const list = await codepercept(['datasets', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'stem', kind: 'stem2code', itemCount: ROWS }]);
    const items = await codepercept(['items', 'stem', '--limit', '2', '--data-dir', dataDir]);
    expect(items.stdout).toMatch(/More: codepercept items stem --after \d+/);
    const search = await codepercept(['search', 'stem', 'item 12345', '--data-dir', dataDir, '--json']);
    const hits = JSON.parse(search.stdout) as { item: { uid: string }; snippet: string }[];
    expect(hits.map((h) => h.item.uid)).toEqual(['12345']);
    expect(hits[0]!.snippet).toContain('«item» «12345»');
  }, 60_000);

  it('exports the official layout and imports it back with the same uids and code', async () => {
    const out = join(dir.path, 'export', 'stem-out.jsonl');
    const exported = await codepercept([
      'export',
      'stem',
      '--format',
      'stem2code',
      '-o',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Exported ${ROWS} item(s)`);
    const back = await codepercept([
      'import',
      out,
      '--format',
      'stem2code',
      '--name',
      'roundtrip',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(JSON.parse(back.stdout).report).toMatchObject({ imported: ROWS, skipped: 0, errors: [] });
    const db = new Database(join(dataDir, 'workbench.db'), { readonly: true });
    const pairs = (name: string) =>
      db
        .prepare(
          `SELECT uid, code, image_sha256 FROM items WHERE dataset_id = (SELECT id FROM datasets WHERE name = ?)
           ORDER BY CAST(uid AS INTEGER)`,
        )
        .all(name);
    expect(pairs('roundtrip')).toEqual(pairs('stem'));
    db.close();
  }, 120_000);

  it('reports bad rows with file, line and field, and fails only when nothing was imported', async () => {
    const bad = join(dir.path, 'bad.jsonl');
    writeFileSync(bad, 'not json\n{"messages": []}\n');
    const result = await codepercept(['import', bad, '--format', 'stem2code', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Imported 0, skipped 0 (duplicates), 2 error(s) into "bad".');
    expect(result.stdout).toContain('bad.jsonl:2 [messages[1].content[0].image] missing');
    expect(result.stdout).toMatch(/bad\.jsonl:1 bad JSON: /);
  }, 60_000);
});
