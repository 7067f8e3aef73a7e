import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummaryReport } from '../../main/api/eval';
import { codepercept } from '../support/cli';
import { cliPath, repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini/benchmark.jsonl');
const ITEMS = 16;

interface StageRow {
  item_id: number;
  stage: string;
  created_at: number;
}

/** Answers for the first items: most reproduce the reference (a comment apart, so no render is cached), some fail. */
function predictions(file: string): void {
  const lines = readFileSync(MINI, 'utf8').trim().split('\n').slice(0, ITEMS);
  const answers = lines.map((line, i) => {
    const code = (JSON.parse(line) as { messages: { content: { text?: string }[] }[] }).messages[3]!
      .content[0]!.text!;
    const answer =
      i % 5 === 3 ? `${code}\nprint(1/0)\n` : i % 7 === 4 ? 'plt.plot(' : `${code}\n# answer ${i}\n`;
    return JSON.stringify({ uid: String(i), response: `\`\`\`python\n${answer}\n\`\`\`` });
  });
  writeFileSync(file, `${answers.join('\n')}\n`);
}

async function importMini(dataDir: string): Promise<void> {
  const imported = await codepercept([
    'import',
    MINI,
    '--format',
    'stem2code',
    '--name',
    'mini',
    '--data-dir',
    dataDir,
  ]);
  expect(imported.code, imported.stderr).toBe(0);
}

const evalArgs = (file: string, dataDir: string) => [
  'eval',
  '--benchmark',
  'mini',
  '--predictions',
  file,
  '--name',
  'crash',
  '--limit',
  String(ITEMS),
  '--json',
  '--data-dir',
  dataDir,
];

describe('kill -9 in the middle of an eval run, then the same command again', () => {
  const dir = makeTempDir('codepercept-eval-crash-');
  afterAll(() => dir.cleanup());

  it('continues the run, recomputes no finished stage, and ends with the numbers of an uninterrupted run', async () => {
    const dataDir = join(dir.path, 'data');
    const file = join(dir.path, 'predictions.jsonl');
    predictions(file);
    await importMini(dataDir);

    const child = spawn(process.execPath, [cliPath, ...evalArgs(file, dataDir)], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const dbPath = join(dataDir, 'workbench.db');
    const complete = () => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT COUNT(*) FROM eval_results WHERE complete = 1').pluck().get() as number;
      } catch {
        return 0; // not migrated yet
      } finally {
        db.close();
      }
    };
    await waitFor('four items finished', () => complete() >= 4, 120_000, 50);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const atKill = db.prepare('SELECT item_id, stage, created_at FROM eval_stages').all() as StageRow[];
    const completeAtKill = db
      .prepare('SELECT COUNT(*) FROM eval_results WHERE complete = 1')
      .pluck()
      .get() as number;
    db.close();
    expect(completeAtKill).toBeLessThan(ITEMS);

    const resumed = await codepercept(evalArgs(file, dataDir), 300_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/error/);
    const after = JSON.parse(resumed.stdout) as { runId: string; state: string; summary: RunSummaryReport };
    expect(after).toMatchObject({ state: 'done', summary: { run: { total: ITEMS, items: ITEMS } } });

    const check = new Database(dbPath, { readonly: true });
    // One run: the second command continued the first one's run instead of starting another.
    expect(check.prepare('SELECT COUNT(*) FROM eval_runs').pluck().get()).toBe(1);
    const key = (r: { item_id: number; stage: string }) => `${r.item_id}/${r.stage}`;
    const rows = new Map(
      (check.prepare('SELECT item_id, stage, created_at FROM eval_stages').all() as StageRow[]).map((r) => [
        key(r),
        r,
      ]),
    );
    const attempts = new Map(
      (
        check
          .prepare('SELECT item_id, stage, COUNT(*) AS n FROM eval_stage_attempts GROUP BY item_id, stage')
          .all() as { item_id: number; stage: string; n: number }[]
      ).map((r) => [key(r), r.n]),
    );
    check.close();
    expect(atKill.length).toBeGreaterThan(0);
    for (const stage of atKill) {
      // Finished before the kill: kept as it was and never started again.
      expect(rows.get(key(stage))!.created_at, key(stage)).toBe(stage.created_at);
      expect(attempts.get(key(stage)), key(stage)).toBe(1);
    }
    expect(rows.size).toBeGreaterThan(atKill.length);

    // The same answers scored without interruption in a fresh data dir.
    const freshDir = join(dir.path, 'fresh');
    await importMini(freshDir);
    const fresh = await codepercept(evalArgs(file, freshDir), 300_000);
    expect(fresh.code, fresh.stderr).toBe(0);
    const uninterrupted = JSON.parse(fresh.stdout) as { summary: RunSummaryReport };
    // The same numbers, CIs included (the run's id and time differ, so only the groups are compared).
    expect(after.summary.overall).toEqual(uninterrupted.summary.overall);
    expect(after.summary.categories).toEqual(uninterrupted.summary.categories);
    expect(after.summary.overall.failures).toMatchObject({ runtime: 3, syntax: 2, timeout: 0 });
    expect(after.summary.overall.exceptions).toEqual({ ZeroDivisionError: 3 });
  }, 600_000);
});
