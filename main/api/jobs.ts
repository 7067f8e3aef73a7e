import { z } from 'zod';

export const jobStateSchema = z.enum(['queued', 'running', 'paused', 'cancelled', 'done', 'failed']);
export type JobState = z.infer<typeof jobStateSchema>;

/** A job as every client sees it: persisted state plus live rate and ETA. */
export const jobSnapshotSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  state: jobStateSchema,
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** Items per second over the recent window; null until two items finished in this session. */
  ratePerSec: z.number().nullable(),
  etaSec: z.number().nullable(),
  error: z.string().nullable(),
  /**
   * Progress in the job's own units when its items are batches (an import's rows, a verification's items):
   * what a person counts, next to the item counts the queue keeps. null for jobs whose items are the units.
   */
  units: z
    .object({
      label: z.string(),
      done: z.number().int(),
      total: z.number().int(),
      ratePerSec: z.number().nullable(),
    })
    .nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  params: z.unknown(),
});
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

export const jobIdSchema = z.object({ id: z.string().min(1) }).strict();

export const demoJobParamsSchema = z
  .object({
    items: z.number().int().min(1).max(100_000),
    delayMs: z.number().int().min(0).max(60_000),
    /** Item indexes that fail on purpose, to show per-item failures without aborting the job. */
    failAt: z.array(z.number().int().min(0)).optional(),
  })
  .strict();
export type DemoJobParams = z.infer<typeof demoJobParamsSchema>;

export const jobsMethods = {
  'jobs.list': {
    params: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    result: z.array(jobSnapshotSchema),
  },
  'jobs.get': { params: jobIdSchema, result: jobSnapshotSchema },
  'jobs.start': {
    params: z.object({ type: z.string().min(1), params: z.unknown() }).strict(),
    result: jobSnapshotSchema,
  },
  'jobs.cancel': { params: jobIdSchema, result: jobSnapshotSchema },
  'jobs.pause': { params: jobIdSchema, result: jobSnapshotSchema },
  'jobs.resume': { params: jobIdSchema, result: jobSnapshotSchema },
};

export const jobsEvents = {
  'jobs.progress': jobSnapshotSchema,
};
