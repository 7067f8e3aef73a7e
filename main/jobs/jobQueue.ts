import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ApiError } from '../api/errors';
import type { JobSnapshot, JobState } from '../api/jobs';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../store/sqlite';
import type { JobDefinition } from './jobDefinition';
import { ProgressRate } from './progressRate';

/** Listeners a job's abort signal may hold before Node warns: many times the most items in flight. */
const MAX_SIGNAL_LISTENERS = 1_000;

interface JobRow {
  id: string;
  type: string;
  title: string;
  params: string;
  state: JobState;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface ItemRow {
  idx: number;
  key: string;
  attempts: number;
}

/** Why a running job stopped before finishing its items. */
type StopReason = 'cancelled' | 'paused' | 'shutdown';

interface RunningJob {
  controller: AbortController;
  stopReason: StopReason | null;
  finished: Promise<void>;
}

export interface JobQueueOptions {
  db: SqliteDatabase;
  onProgress: (snapshot: JobSnapshot) => void;
  clock?: () => number;
  maxConcurrentJobs?: number;
  /** Minimum gap between two progress events of one job; state changes are always sent at once. */
  progressIntervalMs?: number;
}

/** The persistent queue: every long operation is a row here, and every unit of its work a row in job_items. */
export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly running = new Map<string, RunningJob>();
  private readonly rates = new Map<string, ProgressRate>();
  private readonly lastEmit = new Map<string, number>();
  private readonly units = new Map<
    string,
    { label: string; total: number; done: number; of(idx: number): number }
  >();
  private readonly statements = new Map<string, Statement>();
  private readonly db: SqliteDatabase;
  private readonly clock: () => number;
  private readonly maxConcurrentJobs: number;
  private readonly progressIntervalMs: number;
  private disposed = false;

  constructor(private readonly options: JobQueueOptions) {
    this.db = options.db;
    this.clock = options.clock ?? Date.now;
    this.maxConcurrentJobs = options.maxConcurrentJobs ?? 2;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
  }

  register<P>(definition: JobDefinition<P>): void {
    this.definitions.set(definition.type, definition as JobDefinition<unknown>);
  }

  /**
   * After a crash: jobs that were running go back to the queue, and their interrupted items to pending.
   * `start: false` only repairs the state (for short CLI commands that must not start work).
   */
  recover(options: { start: boolean } = { start: true }): string[] {
    const interrupted = this.statement("SELECT id FROM jobs WHERE state = 'running'").all() as {
      id: string;
    }[];
    this.db.transaction(() => {
      this.statement("UPDATE job_items SET state = 'pending' WHERE state = 'running'").run();
      this.statement("UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'").run(
        this.clock(),
      );
    })();
    if (options.start) this.pump();
    return interrupted.map((r) => r.id);
  }

  start(type: string, rawParams: unknown): JobSnapshot {
    const definition = this.definitions.get(type);
    if (!definition) {
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `Unknown job type "${type}".`,
        hint: `Known job types: ${[...this.definitions.keys()].join(', ')}.`,
      });
    }
    const parsed = definition.paramsSchema.safeParse(rawParams);
    if (!parsed.success) {
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `Invalid parameters for job "${type}": ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        details: parsed.error.issues,
      });
    }
    const id = randomUUID();
    const now = this.clock();
    this.statement(
      `INSERT INTO jobs (id, type, title, params, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
    ).run(id, type, definition.title(parsed.data), JSON.stringify(parsed.data), now, now);
    this.emit(id, true);
    this.pump();
    return this.get(id);
  }

  get(id: string): JobSnapshot {
    const row = this.row(id);
    if (!row) throw new ApiError({ code: 'NOT_FOUND', message: `No job with id ${id}.` });
    return this.snapshot(row);
  }

  list(limit = 200): JobSnapshot[] {
    const rows = this.statement('SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT ?').all(
      limit,
    ) as JobRow[];
    return rows.map((r) => this.snapshot(r));
  }

  cancel(id: string): Promise<JobSnapshot> {
    return this.stop(id, 'cancelled');
  }

  pause(id: string): Promise<JobSnapshot> {
    return this.stop(id, 'paused');
  }

  resume(id: string): JobSnapshot {
    const job = this.get(id);
    if (!['paused', 'cancelled', 'failed'].includes(job.state)) {
      throw new ApiError({
        code: 'CONFLICT',
        message: `Job ${id} is ${job.state}; only paused, cancelled or failed jobs resume.`,
      });
    }
    this.setState(id, 'queued', { finished_at: null, error: null });
    this.pump();
    return this.get(id);
  }

  /** Waits until the job reaches a final or paused state. */
  async waitFor(id: string, signal?: AbortSignal): Promise<JobSnapshot> {
    for (;;) {
      signal?.throwIfAborted();
      const job = this.get(id);
      if (['done', 'failed', 'cancelled', 'paused'].includes(job.state)) return job;
      const running = this.running.get(id);
      if (running) await running.finished;
      else await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops running jobs without marking them cancelled: the next engine start resumes them. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const stopping = [...this.running.values()].map((r) => {
      r.stopReason = 'shutdown';
      r.controller.abort();
      return r.finished;
    });
    await Promise.allSettled(stopping);
  }

  private async stop(id: string, reason: 'cancelled' | 'paused'): Promise<JobSnapshot> {
    const job = this.get(id);
    const running = this.running.get(id);
    if (running) {
      running.stopReason = reason;
      running.controller.abort();
      await running.finished;
      return this.get(id);
    }
    // A queued job can be paused or cancelled; a paused one can still be cancelled.
    const stoppable = reason === 'cancelled' ? ['queued', 'paused'] : ['queued'];
    if (!stoppable.includes(job.state)) {
      throw new ApiError({ code: 'CONFLICT', message: `Job ${id} is ${job.state}; it cannot be ${reason}.` });
    }
    this.setState(id, reason, reason === 'cancelled' ? { finished_at: this.clock() } : {});
    return this.get(id);
  }

  private pump(): void {
    if (this.disposed) return;
    const free = this.maxConcurrentJobs - this.running.size;
    if (free <= 0) return;
    const queued = this.statement(
      "SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, id LIMIT ?",
    ).all(free + this.running.size) as JobRow[];
    for (const row of queued) {
      if (this.running.size >= this.maxConcurrentJobs) break;
      if (this.running.has(row.id)) continue;
      this.launch(row);
    }
  }

  private launch(row: JobRow): void {
    const controller = new AbortController();
    // Every item in flight (up to a job's concurrency, 32 for eval runs) waits on this one signal in the render
    // pool, the metrics pool and the concurrency limits; Node's default of 10 listeners would warn of a leak.
    setMaxListeners(MAX_SIGNAL_LISTENERS, controller.signal);
    const entry: RunningJob = { controller, stopReason: null, finished: Promise.resolve() };
    this.running.set(row.id, entry);
    entry.finished = this.run(row, entry)
      .catch((error: unknown) => {
        this.setState(row.id, 'failed', {
          error: error instanceof Error ? error.message : String(error),
          finished_at: this.clock(),
        });
      })
      .finally(() => {
        this.running.delete(row.id);
        this.rates.delete(row.id);
        this.pump();
      });
  }

  private async run(row: JobRow, entry: RunningJob): Promise<void> {
    const definition = this.definitions.get(row.type);
    if (!definition) throw new Error(`Job type "${row.type}" is not available in this build.`);
    const params = definition.paramsSchema.parse(JSON.parse(row.params));
    const { signal } = entry.controller;
    try {
      await this.runPlan(row, entry, definition, params);
    } finally {
      await definition.release?.({ jobId: row.id, params, signal });
    }
  }

  private async runPlan(
    row: JobRow,
    entry: RunningJob,
    definition: JobDefinition<unknown>,
    params: unknown,
  ): Promise<void> {
    const { signal } = entry.controller;
    this.setState(row.id, 'running', row.started_at === null ? { started_at: this.clock() } : {});
    this.rates.set(row.id, new ProgressRate());

    const planned = this.statement('SELECT COUNT(*) AS n FROM job_items WHERE job_id = ?').get(row.id) as {
      n: number;
    };
    if (planned.n === 0) {
      const keys = await definition.plan({ jobId: row.id, params, signal });
      this.insertPlan(row.id, keys);
    }

    const pending = this.statement(
      "SELECT idx, key, attempts FROM job_items WHERE job_id = ? AND state IN ('pending','running') ORDER BY idx",
    ).all(row.id) as ItemRow[];
    let next = 0;
    const worker = async () => {
      while (!signal.aborted && next < pending.length) {
        const item = pending[next++]!;
        await this.runItem(row.id, definition, params, item, signal);
      }
    };
    const concurrency = Math.max(1, definition.concurrency ?? 1);
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));

    if (entry.stopReason === 'shutdown') return;
    if (entry.stopReason) {
      this.setState(
        row.id,
        entry.stopReason,
        entry.stopReason === 'cancelled' ? { finished_at: this.clock() } : {},
      );
      return;
    }
    this.setState(row.id, 'done', { finished_at: this.clock() });
  }

  private async runItem(
    jobId: string,
    definition: JobDefinition<unknown>,
    params: unknown,
    item: ItemRow,
    signal: AbortSignal,
  ): Promise<void> {
    const attempt = item.attempts + 1;
    this.statement("UPDATE job_items SET state = 'running', attempts = ? WHERE job_id = ? AND idx = ?").run(
      attempt,
      jobId,
      item.idx,
    );
    let result: unknown;
    try {
      result = await definition.runItem({ jobId, params, signal, index: item.idx, key: item.key, attempt });
    } catch (error) {
      if (signal.aborted) {
        // Interrupted, not failed: it runs again on resume.
        this.statement("UPDATE job_items SET state = 'pending' WHERE job_id = ? AND idx = ?").run(
          jobId,
          item.idx,
        );
        return;
      }
      this.finishItem(
        jobId,
        item.idx,
        'failed',
        null,
        error instanceof Error ? error.message : String(error),
      );
      return;
    }
    this.finishItem(jobId, item.idx, 'done', JSON.stringify(result ?? null), null);
  }

  /** The item's outcome and the job's counters change in one transaction, so a crash never double-counts. */
  private finishItem(
    jobId: string,
    idx: number,
    state: 'done' | 'failed',
    result: string | null,
    error: string | null,
  ): void {
    const now = this.clock();
    this.db.transaction(() => {
      this.statement(
        'UPDATE job_items SET state = ?, result = ?, error = ?, finished_at = ? WHERE job_id = ? AND idx = ?',
      ).run(state, result, error, now, jobId, idx);
      const column = state === 'done' ? 'done' : 'failed';
      this.statement(`UPDATE jobs SET ${column} = ${column} + 1, updated_at = ? WHERE id = ?`).run(
        now,
        jobId,
      );
    })();
    this.rates.get(jobId)?.record(now);
    const units = this.units.get(jobId);
    if (units) units.done += units.of(idx);
    this.emit(jobId, false);
  }

  /**
   * Units per item, loaded once per job from the plan's keys and then counted up as items finish, so a
   * snapshot never re-reads the plan.
   */
  private unitsOf(row: JobRow): JobSnapshot['units'] {
    const definition = this.definitions.get(row.type);
    if (!definition?.units || row.total === 0) return null;
    let units = this.units.get(row.id);
    if (!units) {
      const counter = definition.units(definition.paramsSchema.parse(JSON.parse(row.params)));
      if (!counter) return null;
      const items = this.statement('SELECT idx, key, state FROM job_items WHERE job_id = ?').all(row.id) as {
        idx: number;
        key: string;
        state: string;
      }[];
      const perItem = new Map(items.map((i) => [i.idx, counter.of(i.key)]));
      units = {
        label: counter.label,
        total: [...perItem.values()].reduce((a, b) => a + b, 0),
        done: items
          .filter((i) => i.state === 'done' || i.state === 'failed')
          .reduce((a, i) => a + perItem.get(i.idx)!, 0),
        of: (idx) => perItem.get(idx) ?? 0,
      };
      this.units.set(row.id, units);
    }
    const rate = row.state === 'running' ? (this.rates.get(row.id)?.perSecond() ?? null) : null;
    return {
      label: units.label,
      done: units.done,
      total: units.total,
      // Items per second times the mean units per item: batches are near equal, so this is the unit rate.
      ratePerSec: rate === null ? null : (rate * units.total) / row.total,
    };
  }

  private insertPlan(jobId: string, keys: string[]): void {
    const insert = this.statement(
      "INSERT INTO job_items (job_id, idx, key, state) VALUES (?, ?, ?, 'pending')",
    );
    this.db.transaction(() => {
      keys.forEach((key, idx) => insert.run(jobId, idx, key));
      this.statement('UPDATE jobs SET total = ?, updated_at = ? WHERE id = ?').run(
        keys.length,
        this.clock(),
        jobId,
      );
    })();
    this.emit(jobId, true);
  }

  private setState(
    id: string,
    state: JobState,
    extra: Partial<Pick<JobRow, 'started_at' | 'finished_at' | 'error'>> = {},
  ): void {
    const sets = ['state = ?', 'updated_at = ?'];
    const values: unknown[] = [state, this.clock()];
    for (const [column, value] of Object.entries(extra)) {
      sets.push(`${column} = ?`);
      values.push(value);
    }
    this.statement(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    this.emit(id, true);
  }

  private emit(id: string, force: boolean): void {
    const now = this.clock();
    const row = this.row(id);
    if (!row) return;
    // Throttled, except that the last item always gets an event.
    const throttled = now - (this.lastEmit.get(id) ?? 0) < this.progressIntervalMs;
    if (!force && throttled && row.done + row.failed < row.total) return;
    this.lastEmit.set(id, now);
    this.options.onProgress(this.snapshot(row));
  }

  /** Statements are compiled once: several run for every item, and compiling costs more than running them. */
  private statement(sql: string): Statement {
    let compiled = this.statements.get(sql);
    if (!compiled) this.statements.set(sql, (compiled = this.db.prepare(sql)));
    return compiled;
  }

  private row(id: string): JobRow | undefined {
    return this.statement('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  private snapshot(row: JobRow): JobSnapshot {
    const rate = this.rates.get(row.id);
    const remaining = row.total - row.done - row.failed;
    return {
      id: row.id,
      type: row.type,
      title: row.title,
      state: row.state,
      total: row.total,
      done: row.done,
      failed: row.failed,
      ratePerSec: row.state === 'running' ? (rate?.perSecond() ?? null) : null,
      etaSec:
        row.state === 'running' ? (rate?.etaSeconds(remaining) ?? null) : row.state === 'done' ? 0 : null,
      error: row.error,
      units: this.unitsOf(row),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      params: JSON.parse(row.params) as unknown,
    };
  }
}
