import { useCallback } from 'react';
import type { EvalItemResult, EvalRunDetail, EvalRunInfo } from '../../../main/api/eval';
import type { JobSnapshot } from '../../../main/api/jobs';
import { useEngine } from '../api/EngineContext';
import type { ErrorDescription } from '../api/describeError';
import { useEngineList, useEnginePage } from '../api/useEngineReads';
import { useJobs } from '../jobs/JobsProvider';
import { jobsProgressKey } from '../jobs/jobModel';
import { useJobRecord } from '../jobs/useJobRecord';
import { itemsParams } from './resultsQuery';
import type { ResultsQuery } from './resultsQuery';

/** The runs list; refreshed when any eval job reports progress (a run's state and counts follow its job). */
export function useEvalRuns(): { runs: EvalRunInfo[]; refresh: () => void; error: ErrorDescription | null } {
  const { client } = useEngine();
  const { jobs } = useJobs();
  const read = useCallback(() => client.call('eval.runs', { limit: 200 }), [client]);
  const { list, refresh, error } = useEngineList(read, (runs) =>
    jobsProgressKey(
      jobs,
      runs.map((r) => r.jobId),
    ),
  );
  return { runs: list, refresh, error };
}

/**
 * A run's detail, re-read every second while its job (the shell's jobs.progress stream, else the detail's
 * snapshot) is active: stage counts and summary move with it.
 */
export function useRunDetail(runId: string | null): {
  detail: EvalRunDetail | null;
  error: ErrorDescription | null;
  job: JobSnapshot | null;
} {
  const { client } = useEngine();
  const read = useCallback((id: string) => client.call('eval.run', { id }), [client]);
  const { record, job, error } = useJobRecord(runId, read, { job: (run) => run.job });
  return { detail: record, error, job };
}

/** One page of a run's items for the table's query; re-read when the run's progress moves. */
export function useRunItems(
  runId: string,
  query: ResultsQuery,
  version: string,
): { items: EvalItemResult[]; total: number; loading: boolean; error: ErrorDescription | null } {
  const { client } = useEngine();
  const read = useCallback(
    (params: ReturnType<typeof itemsParams>) => client.call('eval.items', params),
    [client],
  );
  return useEnginePage(itemsParams(runId, query), read, version);
}
