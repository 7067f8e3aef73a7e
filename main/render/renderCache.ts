import { createHash } from 'node:crypto';
import type { RenderFailure, RenderOptions, RenderOutcome, RenderStatus } from '../api/render';
import type { BlobStore } from '../store/blobStore';
import type { SqliteDatabase } from '../store/sqlite';
import type { WorkerReady, WorkerResult } from './workerProtocol';
import { traceSchema } from '../api/trace';
import type { Trace } from '../api/trace';

/** What, besides code and options, decides a render's bytes: the worker and the libraries it runs. */
export function renderEnvironment(ready: WorkerReady): Record<string, string> {
  return {
    rendererVersion: ready.rendererVersion,
    python: ready.python,
    matplotlib: ready.matplotlib,
    numpy: ready.numpy,
    fonts: [...ready.fonts].sort().join(','),
  };
}

export function renderKey(code: string, options: RenderOptions, environment: Record<string, string>): string {
  const canonical = JSON.stringify({
    code,
    options: Object.fromEntries(Object.entries(options).sort()),
    environment: Object.fromEntries(Object.entries(environment).sort()),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Outcomes that depend on the machine's load, not on the code: never served from the cache. */
const TRANSIENT: readonly RenderStatus[] = ['timeout', 'killed'];

interface RenderRow {
  key: string;
  status: RenderStatus;
  failure: string | null;
  partial: number;
  image_sha256: string | null;
  trace_sha256: string | null;
  width: number | null;
  height: number | null;
  stdout: string;
  stderr: string;
  stdout_truncated: number;
  stderr_truncated: number;
  duration_ms: number;
}

/** Stored renders: the PNG and the trace JSON as blobs, the rest in the `renders` table. */
export class RenderCache {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly blobs: BlobStore,
  ) {}

  get(key: string): RenderOutcome | null {
    const row = this.db.prepare('SELECT * FROM renders WHERE key = ?').get(key) as RenderRow | undefined;
    if (!row) return null;
    return {
      status: row.status,
      failure: row.failure ? (JSON.parse(row.failure) as RenderFailure) : null,
      partial: row.partial === 1,
      image: row.image_sha256
        ? { sha256: row.image_sha256, width: row.width ?? 0, height: row.height ?? 0 }
        : null,
      // Validated before it was stored.
      trace: row.trace_sha256
        ? (JSON.parse(this.blobs.read(row.trace_sha256).toString('utf8')) as Trace)
        : null,
      stdout: row.stdout,
      stderr: row.stderr,
      stdoutTruncated: row.stdout_truncated === 1,
      stderrTruncated: row.stderr_truncated === 1,
      durationMs: row.duration_ms,
      cached: true,
      key,
    };
  }

  /** Stores the worker's result (blobs first, then the row) and returns it as an outcome. */
  put(key: string, result: WorkerResult, environment: Record<string, string>): RenderOutcome {
    const image =
      result.png !== null
        ? {
            ...this.blobs.put(Buffer.from(result.png, 'base64'), 'png', {
              width: result.width ?? undefined,
              height: result.height ?? undefined,
            }),
            width: result.width ?? 0,
            height: result.height ?? 0,
          }
        : null;
    // A trace that does not match the schema means tracer and engine drifted apart: say so, keep the render.
    const checked = result.trace === null ? null : traceSchema.safeParse(result.trace);
    let stderr = result.stderr;
    if (checked && !checked.success) {
      const issue = checked.error.issues[0];
      stderr += `\n[engine] trace dropped: it does not match schema v1 (${issue?.path.join('.')}: ${issue?.message})`;
    }
    const traceData = checked?.success ? checked.data : null;
    const trace = traceData ? this.blobs.put(Buffer.from(JSON.stringify(traceData)), 'json') : null;
    const outcome: RenderOutcome = {
      status: result.status,
      failure: result.failure,
      partial: result.partial,
      image: image ? { sha256: image.sha256, width: image.width, height: image.height } : null,
      trace: traceData,
      stdout: result.stdout,
      stderr,
      stdoutTruncated: result.stdoutTruncated,
      stderrTruncated: result.stderrTruncated,
      durationMs: result.durationMs,
      cached: false,
      key,
    };
    if (!TRANSIENT.includes(result.status)) {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO renders (key, status, failure, partial, image_sha256, trace_sha256, width, height, stdout,
             stderr, stdout_truncated, stderr_truncated, duration_ms, environment, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          key,
          result.status,
          result.failure ? JSON.stringify(result.failure) : null,
          result.partial ? 1 : 0,
          image?.sha256 ?? null,
          trace?.sha256 ?? null,
          result.width,
          result.height,
          result.stdout,
          stderr,
          result.stdoutTruncated ? 1 : 0,
          result.stderrTruncated ? 1 : 0,
          result.durationMs,
          JSON.stringify(environment),
          Date.now(),
        );
    }
    return outcome;
  }
}
