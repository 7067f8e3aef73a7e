import { useCallback, useEffect, useState } from 'react';
import type { EvalItemResult, EvalRunDetail, EvalRunInfo } from '../../../main/api/eval';
import type { JobSnapshot } from '../../../main/api/jobs';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useJobs } from '../jobs/JobsProvider';
import { isActive } from '../jobs/jobModel';
import { itemsParams } from './resultsQuery';
import type { ResultsQuery } from './resultsQuery';

const LIVE_REFRESH_MS = 1000;

/** The runs list; refreshed when any eval job reports progress (a run's state and counts follow its job). */
export function useEvalRuns(): { runs: EvalRunInfo[]; refresh: () => void; error: ErrorDescription | null } {
  const { client } = useEngine();
  const [runs, setRuns] = useState<EvalRunInfo[]>([]);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const refresh = useCallback(() => {
    client.call('eval.runs', { limit: 200 }).then(
      (listed) => {
        setRuns(listed);
        setError(null);
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [client]);
  const { jobs } = useJobs();
  const evalJobStates = jobs
    .filter((j) => runs.some((r) => r.jobId === j.id))
    .map((j) => `${j.id}:${j.state}:${j.done}`)
    .join(',');
  useEffect(() => {
    refresh();
  }, [refresh, evalJobStates]);
  return { runs, refresh, error };
}

/** The live job of a run: the shell's jobs.progress stream, else the run detail's snapshot. */
export function useRunJob(detail: EvalRunDetail | null): JobSnapshot | null {
  const { jobs } = useJobs();
  if (!detail) return null;
  return jobs.find((j) => j.id === detail.jobId) ?? detail.job;
}

/** A run's detail, re-read every second while its job is active (stage counts and summary move with it). */
export function useRunDetail(runId: string | null): {
  detail: EvalRunDetail | null;
  error: ErrorDescription | null;
  job: JobSnapshot | null;
} {
  const { client } = useEngine();
  const [detail, setDetail] = useState<EvalRunDetail | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const job = useRunJob(detail?.id === runId ? detail : null);
  const active = job ? isActive(job.state) : false;
  const progress = job ? `${job.state}:${job.done}:${job.failed}` : '';
  useEffect(() => {
    if (runId === null) return;
    let live = true;
    const read = () =>
      client.call('eval.run', { id: runId }).then(
        (d) => live && (setDetail(d), setError(null)),
        (e: unknown) => live && setError(describeError(e)),
      );
    void read();
    const timer = active ? setInterval(() => void read(), LIVE_REFRESH_MS) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [client, runId, active, progress]);
  return { detail: detail?.id === runId ? detail : null, error, job };
}

/** One page of a run's items for the table's query; re-read when the run's progress moves. */
export function useRunItems(
  runId: string,
  query: ResultsQuery,
  version: string,
): { items: EvalItemResult[]; total: number; loading: boolean; error: ErrorDescription | null } {
  const { client } = useEngine();
  const [state, setState] = useState<{ key: string; items: EvalItemResult[]; total: number } | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const key = JSON.stringify(itemsParams(runId, query));
  useEffect(() => {
    let live = true;
    client.call('eval.items', JSON.parse(key) as ReturnType<typeof itemsParams>).then(
      (page) => live && (setState({ key, ...page }), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, key, version]);
  return {
    items: state?.items ?? [],
    total: state?.total ?? 0,
    loading: state?.key !== key,
    error,
  };
}
