import type { Statement } from 'better-sqlite3';
import { ApiError } from '../../api/errors';
import type { EvalEnvironment, EvalItemResult, EvalRunConfig, EvalStage } from '../../api/eval';
import type { SqliteDatabase } from '../../store/sqlite';

export interface EvalRunRow {
  id: string;
  name: string;
  datasetId: number;
  config: EvalRunConfig;
  environment: EvalEnvironment;
  jobId: string | null;
  createdAt: number;
}

export interface StoredStage<T = unknown> {
  value: T;
  cached: boolean;
  durationMs: number;
  createdAt: number;
}

interface RunRecord {
  id: string;
  name: string;
  dataset_id: number;
  config: string;
  environment: string;
  job_id: string | null;
  created_at: number;
}

/** Where an item result row can be sorted from: a JSON path into the stored record. */
export type ResultSortPath = string;

/** A stored record with its sample from the row (records of runs before samples per item lack the field). */
function withSample(json: string, sample: number): EvalItemResult {
  return { ...(JSON.parse(json) as EvalItemResult), sample };
}

/**
 * The eval tables (migrations v6, v7): runs, one row per finished stage of an item's sample, an attempt log, a
 * content-hash cache shared across runs, and the assembled per-answer record that pages and sorts read. Every
 * row names its sample (0 … settings.samples − 1); runs with one answer per item have only sample 0.
 */
export class EvalRunStore {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  createRun(run: Omit<EvalRunRow, 'createdAt' | 'jobId'>): EvalRunRow {
    const createdAt = this.clock();
    this.statement(
      `INSERT INTO eval_runs (id, name, dataset_id, config, environment, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, NULL, ?)`,
    ).run(
      run.id,
      run.name,
      run.datasetId,
      JSON.stringify(run.config),
      JSON.stringify(run.environment),
      createdAt,
    );
    return { ...run, jobId: null, createdAt };
  }

  setJob(runId: string, jobId: string): void {
    this.statement('UPDATE eval_runs SET job_id = ? WHERE id = ?').run(jobId, runId);
  }

  run(id: string): EvalRunRow {
    const row = this.statement('SELECT * FROM eval_runs WHERE id = ?').get(id) as RunRecord | undefined;
    if (!row)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No evaluation run with id ${id}.`,
        hint: 'List runs with eval.runs (codepercept runs).',
      });
    return toRun(row);
  }

  /** Runs by a full id or a unique prefix (as the CLI prints them). */
  findRun(idOrPrefix: string): EvalRunRow {
    const rows = this.statement("SELECT * FROM eval_runs WHERE id = ? OR id LIKE ? || '%' LIMIT 3").all(
      idOrPrefix,
      idOrPrefix,
    ) as RunRecord[];
    const exact = rows.find((r) => r.id === idOrPrefix);
    if (exact) return toRun(exact);
    if (rows.length === 1) return toRun(rows[0]!);
    if (rows.length > 1)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `"${idOrPrefix}" matches several runs; give more of the id.`,
      });
    return this.run(idOrPrefix);
  }

  runs(limit: number): EvalRunRow[] {
    const rows = this.statement('SELECT * FROM eval_runs ORDER BY created_at DESC, id LIMIT ?').all(
      limit,
    ) as RunRecord[];
    return rows.map(toRun);
  }

  stage<T>(runId: string, itemId: number, sample: number, stage: EvalStage): StoredStage<T> | null {
    const row = this.statement(
      'SELECT value, cached, duration_ms, created_at FROM eval_stages WHERE run_id = ? AND item_id = ? AND sample = ? AND stage = ?',
    ).get(runId, itemId, sample, stage) as
      { value: string; cached: number; duration_ms: number; created_at: number } | undefined;
    if (!row) return null;
    return {
      value: JSON.parse(row.value) as T,
      cached: row.cached === 1,
      durationMs: row.duration_ms,
      createdAt: row.created_at,
    };
  }

  /**
   * Every finished stage of an item's sample (value omitted), with how often its work was started. The
   * reference render is the item's, stored once under sample 0, and listed with every sample.
   */
  stagesOf(
    runId: string,
    itemId: number,
    sample: number,
  ): { stage: EvalStage; cached: boolean; durationMs: number; createdAt: number; attempts: number }[] {
    const rows = this.statement(
      `SELECT s.stage, s.cached, s.duration_ms, s.created_at,
              (SELECT COUNT(*) FROM eval_stage_attempts a
                WHERE a.run_id = s.run_id AND a.item_id = s.item_id AND a.sample = s.sample
                  AND a.stage = s.stage) AS attempts
       FROM eval_stages s
       WHERE s.run_id = ? AND s.item_id = ? AND (s.sample = ? OR (s.sample = 0 AND s.stage = 'reference'))
       ORDER BY s.created_at`,
    ).all(runId, itemId, sample) as {
      stage: EvalStage;
      cached: number;
      duration_ms: number;
      created_at: number;
      attempts: number;
    }[];
    return rows.map((r) => ({
      stage: r.stage,
      cached: r.cached === 1,
      durationMs: r.duration_ms,
      createdAt: r.created_at,
      attempts: r.attempts,
    }));
  }

  /** Finished stages per stage for a run, and how many came from a cache. */
  stageCounts(runId: string): Record<string, { done: number; cached: number }> {
    const rows = this.statement(
      'SELECT stage, COUNT(*) AS done, SUM(cached) AS cached FROM eval_stages WHERE run_id = ? GROUP BY stage',
    ).all(runId) as { stage: string; done: number; cached: number }[];
    return Object.fromEntries(rows.map((r) => [r.stage, { done: r.done, cached: r.cached }]));
  }

  /** Logged before a stage's work starts, so a crash mid-stage still shows the attempt. */
  recordAttempt(runId: string, itemId: number, sample: number, stage: EvalStage): void {
    this.statement(
      'INSERT INTO eval_stage_attempts (run_id, item_id, sample, stage, pid, started_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(runId, itemId, sample, stage, process.pid, this.clock());
  }

  saveStage(
    runId: string,
    itemId: number,
    sample: number,
    stage: EvalStage,
    value: unknown,
    meta: { cached: boolean; durationMs: number },
  ): StoredStage {
    const createdAt = this.clock();
    // OR IGNORE: a stage is written once; a second writer (never expected) keeps the first value.
    this.statement(
      `INSERT OR IGNORE INTO eval_stages (run_id, item_id, sample, stage, value, cached, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      itemId,
      sample,
      stage,
      JSON.stringify(value),
      meta.cached ? 1 : 0,
      meta.durationMs,
      createdAt,
    );
    return { value, cached: meta.cached, durationMs: meta.durationMs, createdAt };
  }

  cached<T>(key: string): T | null {
    const row = this.statement('SELECT value FROM eval_stage_cache WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  putCache(key: string, stage: EvalStage, value: unknown): void {
    this.statement(
      'INSERT OR IGNORE INTO eval_stage_cache (key, stage, value, created_at) VALUES (?, ?, ?, ?)',
    ).run(key, stage, JSON.stringify(value), this.clock());
  }

  /** The planned answers' empty records, so a run's item list is whole from its start; existing rows stay. */
  seedResults(runId: string, results: EvalItemResult[]): void {
    const insert = this.statement(
      `INSERT OR IGNORE INTO eval_results (run_id, item_id, sample, uid, category, failure, complete, result)
       VALUES (?, ?, ?, ?, ?, NULL, 0, ?)`,
    );
    this.db.transaction(() => {
      for (const r of results)
        insert.run(runId, r.itemId, r.sample ?? 0, r.uid, r.category, JSON.stringify(r));
    })();
  }

  resultCount(runId: string): number {
    return this.statement('SELECT COUNT(*) FROM eval_results WHERE run_id = ?').pluck().get(runId) as number;
  }

  saveResult(runId: string, result: EvalItemResult, complete: boolean): void {
    this.statement(
      `INSERT INTO eval_results (run_id, item_id, sample, uid, category, failure, complete, result)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, item_id, sample) DO UPDATE SET
         failure = excluded.failure, complete = excluded.complete, result = excluded.result`,
    ).run(
      runId,
      result.itemId,
      result.sample ?? 0,
      result.uid,
      result.category,
      result.failure,
      complete ? 1 : 0,
      JSON.stringify(result),
    );
  }

  result(
    runId: string,
    itemId: number,
    sample: number,
  ): { result: EvalItemResult; complete: boolean } | null {
    const row = this.statement(
      'SELECT result, complete FROM eval_results WHERE run_id = ? AND item_id = ? AND sample = ?',
    ).get(runId, itemId, sample) as { result: string; complete: number } | undefined;
    return row ? { result: withSample(row.result, sample), complete: row.complete === 1 } : null;
  }

  /** The samples an item has records of, in order. */
  samplesOf(runId: string, itemId: number): number[] {
    return this.statement('SELECT sample FROM eval_results WHERE run_id = ? AND item_id = ? ORDER BY sample')
      .pluck()
      .all(runId, itemId) as number[];
  }

  /** Every stored record of a run in item order, an item's samples in order (for reports and exports). */
  results(runId: string): { result: EvalItemResult; complete: boolean }[] {
    const rows = this.statement(
      'SELECT result, complete, sample FROM eval_results WHERE run_id = ? ORDER BY item_id, sample',
    ).all(runId) as { result: string; complete: number; sample: number }[];
    return rows.map((r) => ({ result: withSample(r.result, r.sample), complete: r.complete === 1 }));
  }

  completeCount(runId: string): number {
    return this.statement('SELECT COUNT(*) FROM eval_results WHERE run_id = ? AND complete = 1')
      .pluck()
      .get(runId) as number;
  }

  /**
   * A page of item records. `where` filters by category and failure; `sortPath` is a JSON path into the record
   * (a fixed set chosen by the caller, never user text), nulls last whatever the order.
   */
  page(query: {
    runId: string;
    category?: string | null;
    failure?: string;
    sample?: number;
    sortPath: ResultSortPath | null;
    descending: boolean;
    offset: number;
    limit: number;
  }): { items: EvalItemResult[]; total: number } {
    const where = ['run_id = ?'];
    const args: unknown[] = [query.runId];
    if (query.category !== undefined) {
      if (query.category === null) where.push('category IS NULL');
      else {
        where.push('category = ?');
        args.push(query.category);
      }
    }
    if (query.failure === 'none') where.push('failure IS NULL AND complete = 1');
    else if (query.failure === 'any') where.push('failure IS NOT NULL');
    else if (query.failure !== undefined) {
      where.push('failure = ?');
      args.push(query.failure);
    }
    if (query.sample !== undefined) {
      where.push('sample = ?');
      args.push(query.sample);
    }
    const clause = where.join(' AND ');
    const total = this.db
      .prepare(`SELECT COUNT(*) FROM eval_results WHERE ${clause}`)
      .pluck()
      .get(...args) as number;
    const direction = query.descending ? 'DESC' : 'ASC';
    const order = query.sortPath
      ? `json_extract(result, '${query.sortPath}') IS NULL, json_extract(result, '${query.sortPath}') ${direction}, item_id, sample`
      : `item_id ${direction}, sample`;
    const rows = this.db
      .prepare(`SELECT result, sample FROM eval_results WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...args, query.limit, query.offset) as { result: string; sample: number }[];
    return { items: rows.map((r) => withSample(r.result, r.sample)), total };
  }
}

function toRun(row: RunRecord): EvalRunRow {
  return {
    id: row.id,
    name: row.name,
    datasetId: row.dataset_id,
    config: JSON.parse(row.config) as EvalRunConfig,
    environment: JSON.parse(row.environment) as EvalEnvironment,
    jobId: row.job_id,
    createdAt: row.created_at,
  };
}
