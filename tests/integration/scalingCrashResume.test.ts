import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyCell } from '../../main/api/scaling';
import { createEngine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { CAPTION_PROMPT } from '../../main/scaling/prompts';
import { codepercept } from '../support/cli';
import { requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import type { JudgeRequestBody } from '../support/fakeJudgeServer';
import { cliPath, repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { VQA_ITEMS, writeVqaFixture } from '../support/vqaFixture';
import { waitFor } from '../support/waitFor';

/**
 * `codepercept scale` killed with SIGKILL in the middle of a study, then the same command again: the study
 * continues, no caption or answer finished before the kill is computed again (attempts log), and the final
 * table equals that of an uninterrupted run. The models are endpoints on a real local HTTP server whose
 * replies are slowed down, so the kill lands mid-study, and scripted, so right and wrong answers both occur.
 */

const MODELS = ['cap-small', 'cap-large', 'solver-small', 'solver-large'];

function reply(body: JudgeRequestBody): string {
  const text = requestText(body);
  if (body.model.startsWith('cap-')) {
    if (text.includes(CAPTION_PROMPT)) return `Caption by ${body.model}: a labelled figure.`;
    return 'Answer: 7';
  }
  const index = VQA_ITEMS.findIndex((item) => text.includes(item.question));
  const right = index % 2 === 0 || (body.model === 'solver-large' && text.includes('cap-large'));
  return right ? `Answer: ${VQA_ITEMS[index]!.answer}` : 'Answer: 99';
}

interface AttemptRow {
  kind: string;
  captioner: string;
  solver: string | null;
  item_id: number;
  finished_at: number | null;
}

const unit = (r: AttemptRow) => `${r.kind}/${r.captioner}/${r.solver ?? ''}/${r.item_id}`;

describe('kill -9 in the middle of a scaling study, then the same command again', () => {
  const dir = makeTempDir('codepercept-scaling-crash-');
  let server: Awaited<ReturnType<typeof startFakeJudgeServer>>;

  beforeAll(async () => {
    server = await startFakeJudgeServer(reply, { delayMs: 60 });
  });
  afterAll(async () => {
    await server.close();
    dir.cleanup();
  });

  /** A data dir with the tiny VQA benchmark and the four endpoints. */
  async function prepare(dataDir: string): Promise<void> {
    const imported = await codepercept([
      'import',
      writeVqaFixture(join(dir.path, 'fixture')),
      '--format',
      'vqa',
      '--name',
      'tiny-vqa',
      '--data-dir',
      dataDir,
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    // No CLI command configures endpoints; the engine's API does, as the Models page does.
    const engine = createEngine({ dataDir, command: 'test setup', log: () => {}, runJobs: false });
    const client = connectInProcess(engine);
    for (const name of MODELS)
      await client.call('endpoints.save', { name, baseUrl: server.baseUrl, model: name, apiKey: null });
    client.close();
    await engine.dispose();
  }

  const scaleArgs = (dataDir: string) => [
    'scale',
    '--benchmark',
    'tiny-vqa',
    '--captioners',
    'endpoint:cap-small,endpoint:cap-large',
    '--solvers',
    'endpoint:solver-small,endpoint:solver-large',
    '--direct',
    '--name',
    'crash',
    '--params',
    'cap-small=2B',
    '--params',
    'cap-large=8B',
    '--max-tokens',
    '64',
    '--json',
    '--data-dir',
    dataDir,
  ];

  it('continues the study, recomputes nothing finished, and ends with the table of an uninterrupted run', async () => {
    const dataDir = join(dir.path, 'data');
    await prepare(dataDir);
    const child = spawn(process.execPath, [cliPath, ...scaleArgs(dataDir)], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const dbPath = join(dataDir, 'workbench.db');
    const answers = () => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT COUNT(*) FROM scaling_answers').pluck().get() as number;
      } catch {
        return 0; // not migrated yet
      } finally {
        db.close();
      }
    };
    // Past the captions of both captioners and into the solvers' answers.
    const total = VQA_ITEMS.length * 6;
    await waitFor('some solver answers stored', () => answers() >= VQA_ITEMS.length * 2 + 3, 120_000, 20);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const atKill = db.prepare('SELECT * FROM scaling_attempts').all() as AttemptRow[];
    const answersAtKill = db.prepare('SELECT COUNT(*) FROM scaling_answers').pluck().get() as number;
    db.close();
    expect(answersAtKill).toBeLessThan(total);
    const finishedAtKill = atKill.filter((r) => r.finished_at !== null);
    expect(finishedAtKill.length).toBeGreaterThan(0);

    const resumed = await codepercept(scaleArgs(dataDir), 300_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = JSON.parse(resumed.stdout) as { studyId: string; state: string; cells: StudyCell[] };
    expect(after.state).toBe('done');

    const check = new Database(dbPath, { readonly: true });
    // One study: the second command continued the first one's.
    expect(check.prepare('SELECT COUNT(*) FROM scaling_studies').pluck().get()).toBe(1);
    expect(check.prepare('SELECT COUNT(*) FROM scaling_answers').pluck().get()).toBe(total);
    const attempts = check.prepare('SELECT * FROM scaling_attempts').all() as AttemptRow[];
    check.close();
    const perUnit = new Map<string, AttemptRow[]>();
    for (const r of attempts) perUnit.set(unit(r), [...(perUnit.get(unit(r)) ?? []), r]);
    // Finished before the kill: never called again.
    for (const r of finishedAtKill) expect(perUnit.get(unit(r)), unit(r)).toHaveLength(1);
    // Every call ended exactly once in the end: interrupted calls were made again, nothing twice.
    for (const [key, rows] of perUnit)
      expect(
        rows.filter((r) => r.finished_at !== null),
        key,
      ).toHaveLength(1);
    const captionUnits = [...perUnit.keys()].filter((k) => k.startsWith('caption/'));
    expect(captionUnits).toHaveLength(VQA_ITEMS.length * 2);

    // The same study without interruption in a fresh data dir gives the same table, CIs included.
    const freshDir = join(dir.path, 'fresh');
    await prepare(freshDir);
    const fresh = await codepercept(scaleArgs(freshDir), 300_000);
    expect(fresh.code, fresh.stderr).toBe(0);
    const uninterrupted = JSON.parse(fresh.stdout) as { state: string; cells: StudyCell[] };
    expect(uninterrupted.state).toBe('done');
    expect(after.cells).toEqual(uninterrupted.cells);
    // And the numbers are not trivial: some cells right, some wrong.
    const means = after.cells.map((c) => c.overall.mean);
    expect(Math.max(...(means as number[]))).toBe(1);
    expect(Math.min(...(means as number[]))).toBeLessThan(1);

    // The table form (another study: every caption now comes from the cache) and the studies list.
    const tableArgs = scaleArgs(freshDir)
      .filter((a) => a !== '--json')
      .map((a) => (a === 'crash' ? 'crash-table' : a));
    const table = await codepercept(tableArgs);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`captions computed 0, from the cache ${VQA_ITEMS.length * 2}`);
    expect(table.stdout).toMatch(/CAPTIONER\s+PARAMS\s+SOLVER\s+PARAMS\s+ACCURACY/);
    expect(table.stdout).toMatch(/cap-large\s+8\.0B\s+solver-large\s+-\s+100\.0 \[100\.0, 100\.0\]/);
    const studies = await codepercept(['studies', '--json', '--data-dir', freshDir]);
    expect(JSON.parse(studies.stdout)).toMatchObject([
      { name: 'crash-table', status: 'completed', done: total, total },
      { name: 'crash', status: 'completed', done: total, total },
    ]);
  }, 600_000);
});
