import type { JobSnapshot, JobState } from '../../../main/api/jobs';

export type JobAction = 'pause' | 'resume' | 'cancel';

/**
 * Which controls a job offers, mirroring the queue's rules: a queued or running job can be paused or
 * cancelled, a paused one resumed or cancelled, and a cancelled or failed one resumed.
 */
export function availableActions(state: JobState): JobAction[] {
  switch (state) {
    case 'queued':
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'cancelled':
    case 'failed':
      return ['resume'];
    case 'done':
      return [];
  }
}

export function isActive(state: JobState): boolean {
  return state === 'queued' || state === 'running';
}

/** Items finished either way; `done` counts successes only. */
/** A string that changes whenever one of these jobs changes state or moves on: a re-read trigger. */
export function jobsProgressKey(jobs: JobSnapshot[], jobIds: (string | null)[]): string {
  return jobs
    .filter((j) => jobIds.includes(j.id))
    .map((j) => `${j.id}:${j.state}:${j.done}`)
    .join(',');
}

export function processedItems(job: Pick<JobSnapshot, 'done' | 'failed'>): number {
  return job.done + job.failed;
}

/** Newest first, as the engine lists them. */
export function sortJobs(jobs: Iterable<JobSnapshot>): JobSnapshot[] {
  return [...jobs].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
}

/**
 * Merges the initial jobs.list into snapshots already received as events. Events may have raced the list,
 * so a listed snapshot only replaces a known one when it has processed more items.
 */
export function mergeListed(
  known: ReadonlyMap<string, JobSnapshot>,
  listed: readonly JobSnapshot[],
): Map<string, JobSnapshot> {
  const merged = new Map(known);
  for (const job of listed) {
    const seen = merged.get(job.id);
    if (!seen || processedItems(job) > processedItems(seen)) merged.set(job.id, job);
  }
  return merged;
}
