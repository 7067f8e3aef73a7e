import { useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../main/api/jobs';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useJobs } from './JobsProvider';
import { isActive } from './jobModel';

const LIVE_REFRESH_MS = 1000;

/**
 * A record that a job fills in (an eval run, a scaling study): read when `id` changes, every second while
 * its job is active and whenever the job's progress moves. Its job is the shell's jobs.progress stream, else
 * `fallback.job` of the record; with no job at all, `fallback.active` says whether to keep re-reading.
 * `read` must be stable (useCallback). `replace` installs a record a mutation returned.
 */
export function useJobRecord<T extends { id: string; jobId: string | null }>(
  id: string | null,
  read: (id: string) => Promise<T>,
  fallback: { job?: (record: T) => JobSnapshot | null; active?: (record: T) => boolean } = {},
): {
  record: T | null;
  job: JobSnapshot | null;
  error: ErrorDescription | null;
  replace: (record: T) => void;
} {
  const { jobs } = useJobs();
  const [record, setRecord] = useState<T | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const current = record?.id === id ? record : null;
  const job = current ? (jobs.find((j) => j.id === current.jobId) ?? fallback.job?.(current) ?? null) : null;
  const active = job ? isActive(job.state) : current ? (fallback.active?.(current) ?? false) : false;
  const progress = job ? `${job.state}:${job.done}:${job.failed}` : '';
  useEffect(() => {
    if (id === null) return;
    let live = true;
    const reread = () =>
      read(id).then(
        (r) => live && (setRecord(r), setError(null)),
        (e: unknown) => live && setError(describeError(e)),
      );
    void reread();
    const timer = active ? setInterval(() => void reread(), LIVE_REFRESH_MS) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [read, id, active, progress]);
  return { record: current, job, error, replace: setRecord };
}
