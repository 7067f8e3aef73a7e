import { useCallback, useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../main/api/jobs';
import type {
  CellKey,
  ExternalResultSet,
  StudyDetail,
  StudyInfo,
  StudyItem,
} from '../../../main/api/scaling';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useJobs } from '../jobs/JobsProvider';
import { isActive } from '../jobs/jobModel';
import { cellItemsParams } from './cellItemsQuery';
import type { CellItemsQuery } from './cellItemsQuery';

const LIVE_REFRESH_MS = 1000;

/** The studies list; re-read when any study's job reports progress (a study's counts follow its job). */
export function useStudies(): {
  studies: StudyInfo[];
  loaded: boolean;
  refresh: () => void;
  error: ErrorDescription | null;
} {
  const { client } = useEngine();
  const [studies, setStudies] = useState<StudyInfo[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const refresh = useCallback(() => {
    client.call('scaling.studies', { limit: 200 }).then(
      (listed) => {
        setStudies(listed);
        setError(null);
        setLoaded(true);
      },
      (e: unknown) => {
        setError(describeError(e));
        setLoaded(true);
      },
    );
  }, [client]);
  const { jobs } = useJobs();
  const studyJobs = jobs
    .filter((j) => studies.some((s) => s.jobId === j.id))
    .map((j) => `${j.id}:${j.state}:${j.done}`)
    .join(',');
  useEffect(() => {
    refresh();
  }, [refresh, studyJobs]);
  return { studies, loaded, refresh, error };
}

/** The live job of a study: the shell's jobs.progress stream. */
export function useStudyJob(jobId: string | null): JobSnapshot | null {
  const { jobs } = useJobs();
  return jobId === null ? null : (jobs.find((j) => j.id === jobId) ?? null);
}

/**
 * A study's detail (cells, counts), re-read every second while its job is active and whenever the job's
 * progress moves; `replace` installs a detail a mutation returned (scaling.setParameters).
 */
export function useStudyDetail(id: string | null): {
  detail: StudyDetail | null;
  job: JobSnapshot | null;
  error: ErrorDescription | null;
  replace: (detail: StudyDetail) => void;
} {
  const { client } = useEngine();
  const [detail, setDetail] = useState<StudyDetail | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const current = detail?.id === id ? detail : null;
  const job = useStudyJob(current?.jobId ?? null);
  const active = job
    ? isActive(job.state)
    : current
      ? current.status === 'running' || current.status === 'queued'
      : false;
  const progress = job ? `${job.state}:${job.done}:${job.failed}` : '';
  useEffect(() => {
    if (id === null) return;
    let live = true;
    const read = () =>
      client.call('scaling.study', { id }).then(
        (d) => live && (setDetail(d), setError(null)),
        (e: unknown) => live && setError(describeError(e)),
      );
    void read();
    const timer = active ? setInterval(() => void read(), LIVE_REFRESH_MS) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [client, id, active, progress]);
  return { detail: current, job, error, replace: setDetail };
}

/** The stored external result sets (published numbers), with the calls that change them. */
export function useExternalSets(): {
  sets: ExternalResultSet[];
  loaded: boolean;
  error: ErrorDescription | null;
  refresh: () => void;
} {
  const { client } = useEngine();
  const [sets, setSets] = useState<ExternalResultSet[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const refresh = useCallback(() => {
    client.call('scaling.external.list', {}).then(
      (listed) => {
        setSets(listed);
        setError(null);
        setLoaded(true);
      },
      (e: unknown) => {
        setError(describeError(e));
        setLoaded(true);
      },
    );
  }, [client]);
  useEffect(() => {
    refresh();
  }, [refresh]);
  return { sets, loaded, error, refresh };
}

/** One page of the items behind a cell; re-read when the study's progress moves (`version`). */
export function useCellItems(
  studyId: string,
  cell: CellKey,
  query: CellItemsQuery,
  version: string,
): { items: StudyItem[]; total: number; loading: boolean; error: ErrorDescription | null } {
  const { client } = useEngine();
  const [state, setState] = useState<{ key: string; items: StudyItem[]; total: number } | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const key = JSON.stringify(cellItemsParams(studyId, cell, query));
  useEffect(() => {
    let live = true;
    client.call('scaling.items', JSON.parse(key) as ReturnType<typeof cellItemsParams>).then(
      (page) => live && (setState({ key, ...page }), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, key, version]);
  return { items: state?.items ?? [], total: state?.total ?? 0, loading: state?.key !== key, error };
}
