import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../main/api/jobs';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { connectWebSocket } from '../support/wsClient';

interface ItemRow {
  idx: number;
  state: string;
  attempts: number;
  result: string | null;
}

describe('kill -9 of the engine in the middle of a job', () => {
  const dir = makeTempDir();
  const running: ServeProcess[] = [];
  afterAll(async () => {
    for (const s of running) await s.stop();
    dir.cleanup();
  });

  it('resumes from where it was after a restart, without redoing finished items, and the database is intact', async () => {
    const first = await startServe(dir.path);
    running.push(first);
    const client = await connectWebSocket(first.port, first.token);
    let latest: JobSnapshot | undefined;
    client.on('jobs.progress', (s) => (latest = s));
    const job = await client.call('jobs.start', { type: 'demo.count', params: { items: 40, delayMs: 60 } });
    await waitFor('a dozen items done', () => (latest?.done ?? 0) >= 12);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    client.close();

    const db = new Database(join(dir.path, 'workbench.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const atKill = db.prepare('SELECT state, done FROM jobs WHERE id = ?').get(job.id) as {
      state: string;
      done: number;
    };
    const doneAtKill = db
      .prepare("SELECT idx, result FROM job_items WHERE job_id = ? AND state = 'done'")
      .all(job.id) as ItemRow[];
    db.close();
    expect(atKill.state).toBe('running');
    expect(atKill.done).toBe(doneAtKill.length);
    expect(atKill.done).toBeGreaterThanOrEqual(12);
    expect(atKill.done).toBeLessThan(40);

    // A new engine takes the data dir at once: the kernel released the dead engine's lock.
    const second = await startServe(dir.path);
    running.push(second);
    const client2 = await connectWebSocket(second.port, second.token);
    const final = await waitFor('job done after restart', async () => {
      const s = await client2.call('jobs.get', { id: job.id });
      return s.state === 'done' ? s : null;
    });
    client2.close();
    expect(final).toMatchObject({ done: 40, failed: 0, total: 40 });
    await second.stop();

    const after = new Database(join(dir.path, 'workbench.db'), { readonly: true });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    const items = after
      .prepare('SELECT idx, state, attempts, result FROM job_items WHERE job_id = ? ORDER BY idx')
      .all(job.id) as ItemRow[];
    after.close();
    expect(items).toHaveLength(40);
    expect(items.every((i) => i.state === 'done')).toBe(true);
    // Items finished before the kill kept their result from the first engine and were not run again.
    const before = new Map(doneAtKill.map((i) => [i.idx, i.result]));
    for (const item of items) {
      if (before.has(item.idx)) {
        expect(item.result).toBe(before.get(item.idx));
        expect(item.attempts).toBe(1);
      }
    }
    const firstPid = first.child.pid!;
    const secondPid = second.child.pid!;
    const pids = items.map((i) => (JSON.parse(i.result!) as { pid: number }).pid);
    expect(pids.filter((p) => p === firstPid)).toHaveLength(doneAtKill.length);
    expect(pids.filter((p) => p === secondPid)).toHaveLength(40 - doneAtKill.length);
    // At most the one item in flight at the kill ran twice.
    expect(items.reduce((sum, i) => sum + i.attempts, 0)).toBeLessThanOrEqual(41);
  }, 60_000);
});
