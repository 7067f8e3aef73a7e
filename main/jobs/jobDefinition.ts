import type { z } from 'zod';

export interface JobContext<P> {
  jobId: string;
  params: P;
  signal: AbortSignal;
}

export interface JobItemContext<P> extends JobContext<P> {
  index: number;
  key: string;
  /** 1 on the first try; higher when a crash interrupted this item before it was recorded as done. */
  attempt: number;
}

/**
 * A kind of long work. The queue persists the plan (one key per unit of work) and each item's outcome, so a
 * job resumed after a crash runs only the items not yet recorded as done.
 */
export interface JobDefinition<P> {
  type: string;
  paramsSchema: z.ZodType<P>;
  title(params: P): string;
  /** The units of work, computed once at the first start; must not change across resumes. */
  plan(ctx: JobContext<P>): Promise<string[]> | string[];
  /** Does one unit; the returned value is stored as the item's result (JSON). Throwing marks only this item failed. */
  runItem(ctx: JobItemContext<P>): Promise<unknown>;
  /** Items of one job run at once (default 1). */
  concurrency?: number;
  /**
   * When each item is a batch: the unit a person counts ("rows") and how many a key holds (null when the keys
   * do not say). Read from the key alone, so progress in units needs no storage and survives restarts.
   */
  units?(params: P): { label: string; of(key: string): number } | null;
  /**
   * Called once whenever a run of the job stops (done, paused, cancelled, failed, or engine shutdown): frees
   * what its items shared (loaded models, open files). The next run starts without it.
   */
  release?(ctx: JobContext<P>): Promise<void>;
}
