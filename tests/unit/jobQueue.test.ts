import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobSnapshot } from '../../main/api/jobs';
import { demoJob } from '../../main/jobs/demoJob';
import { JobQueue } from '../../main/jobs/jobQueue';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

describe('JobQueue', () => {
  const open: { store: WorkbenchStore; queue: JobQueue; cleanup: () => void }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.queue.dispose();
      o.store.close();
      o.cleanup();
    }
  });
  const setup = () => {
    const dir = makeTempDir();
    const store = openWorkbenchStore(dir.path, 'job queue test');
    const events: JobSnapshot[] = [];
    const queue = new JobQueue({ db: store.db, onProgress: (s) => events.push(s), progressIntervalMs: 0 });
    queue.register(demoJob);
    open.push({ store, queue, cleanup: dir.cleanup });
    return { store, queue, events };
  };

  it('runs a job to done and records every item', async () => {
    const { queue, store } = setup();
    const job = queue.start('demo.count', { items: 5, delayMs: 0 });
    const final = await queue.waitFor(job.id);
    expect(final).toMatchObject({ state: 'done', done: 5, total: 5, failed: 0, etaSec: 0 });
    const items = store.db
      .prepare('SELECT idx, state, result FROM job_items WHERE job_id = ? ORDER BY idx')
      .all(job.id);
    expect(items).toHaveLength(5);
    expect(items[3]).toMatchObject({
      idx: 3,
      state: 'done',
      result: JSON.stringify({ square: 9, pid: process.pid }),
    });
  });

  it('counts a failing item without aborting the job', async () => {
    const { queue, store } = setup();
    const job = queue.start('demo.count', { items: 4, delayMs: 0, failAt: [1] });
    const final = await queue.waitFor(job.id);
    expect(final).toMatchObject({ state: 'done', done: 3, failed: 1 });
    const failed = store.db
      .prepare("SELECT idx, error FROM job_items WHERE job_id = ? AND state = 'failed'")
      .all(job.id);
    expect(failed).toEqual([{ idx: 1, error: 'Item 1 fails on purpose (failAt).' }]);
  });

  it('rejects bad params with the field named, and unknown job types', () => {
    const { queue } = setup();
    expect(() => queue.start('demo.count', { items: 0, delayMs: 1 })).toThrow(/items/);
    expect(() => queue.start('no.such', {})).toThrow(/Unknown job type "no.such"/);
  });

  it('pauses and resumes without redoing finished items', async () => {
    const { queue, store } = setup();
    const job = queue.start('demo.count', { items: 30, delayMs: 10 });
    await waitFor('some progress', () => queue.get(job.id).done >= 5);
    const paused = await queue.pause(job.id);
    expect(paused.state).toBe('paused');
    expect(paused.done).toBeLessThan(30);
    await expect(queue.pause(job.id)).rejects.toThrow(/paused; it cannot be paused/);
    queue.resume(job.id);
    const final = await queue.waitFor(job.id);
    expect(final).toMatchObject({ state: 'done', done: 30 });
    const attempts = store.db
      .prepare('SELECT SUM(attempts) AS n FROM job_items WHERE job_id = ?')
      .get(job.id) as { n: number };
    // Only the item interrupted by the pause may run twice.
    expect(attempts.n).toBeLessThanOrEqual(31);
  });

  it('cancels a queued or running job and keeps what it finished', async () => {
    const { queue } = setup();
    const job = queue.start('demo.count', { items: 1000, delayMs: 5 });
    await waitFor('some progress', () => queue.get(job.id).done >= 3);
    const cancelled = await queue.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.done).toBeGreaterThanOrEqual(3);
    await expect(queue.cancel(job.id)).rejects.toThrow(/cancelled; it cannot be cancelled/);
  });

  it('cancels a paused job, and resumes a cancelled one', async () => {
    const { queue } = setup();
    const job = queue.start('demo.count', { items: 100, delayMs: 5 });
    await waitFor('some progress', () => queue.get(job.id).done >= 2);
    await queue.pause(job.id);
    expect((await queue.cancel(job.id)).state).toBe('cancelled');
    queue.resume(job.id);
    expect((await queue.waitFor(job.id)).state).toBe('done');
  });

  it('runs no more than maxConcurrentJobs at once; the rest wait queued', async () => {
    const dir = makeTempDir();
    const store = openWorkbenchStore(dir.path, 'concurrency test');
    const queue = new JobQueue({ db: store.db, onProgress: () => {}, maxConcurrentJobs: 1 });
    open.push({ store, queue, cleanup: dir.cleanup });
    let running = 0;
    let maxRunning = 0;
    queue.register({
      type: 'probe',
      paramsSchema: z.object({}),
      title: () => 'probe',
      plan: () => ['a', 'b'],
      async runItem() {
        maxRunning = Math.max(maxRunning, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      },
    });
    const a = queue.start('probe', {});
    const b = queue.start('probe', {});
    expect(queue.get(b.id).state).toBe('queued');
    await queue.waitFor(a.id);
    await queue.waitFor(b.id);
    expect(maxRunning).toBe(1);
  });

  it('emits progress that ends with the final state', async () => {
    const { queue, events } = setup();
    const job = queue.start('demo.count', { items: 3, delayMs: 0 });
    await queue.waitFor(job.id);
    const states = events.filter((e) => e.id === job.id).map((e) => e.state);
    expect(states[0]).toBe('queued');
    expect(states.at(-1)).toBe('done');
    expect(states).toContain('running');
  });
});
