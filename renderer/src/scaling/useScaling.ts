import { useCallback } from 'react';
import type { JobSnapshot } from '../../../main/api/jobs';
import type {
  CellKey,
  ExternalResultSet,
  StudyDetail,
  StudyInfo,
  StudyItem,
} from '../../../main/api/scaling';
import { useEngine } from '../api/EngineContext';
import type { ErrorDescription } from '../api/describeError';
import { useEngineList, useEnginePage } from '../api/useEngineReads';
import { useJobs } from '../jobs/JobsProvider';
import { jobsProgressKey } from '../jobs/jobModel';
import { useJobRecord } from '../jobs/useJobRecord';
import { cellItemsParams } from './cellItemsQuery';
import type { CellItemsQuery } from './cellItemsQuery';

/** The studies list; re-read when any study's job reports progress (a study's counts follow its job). */
export function useStudies(): {
  studies: StudyInfo[];
  loaded: boolean;
  refresh: () => void;
  error: ErrorDescription | null;
} {
  const { client } = useEngine();
  const { jobs } = useJobs();
  const read = useCallback(() => client.call('scaling.studies', { limit: 200 }), [client]);
  const { list, loaded, refresh, error } = useEngineList(read, (studies) =>
    jobsProgressKey(
      jobs,
      studies.map((s) => s.jobId),
    ),
  );
  return { studies: list, loaded, refresh, error };
}

/**
 * A study's detail (cells, counts), re-read every second while its job is active (or, before the job is
 * known, while the study is queued or running) and whenever the job's progress moves; `replace` installs a
 * detail a mutation returned (scaling.setParameters).
 */
export function useStudyDetail(id: string | null): {
  detail: StudyDetail | null;
  job: JobSnapshot | null;
  error: ErrorDescription | null;
  replace: (detail: StudyDetail) => void;
} {
  const { client } = useEngine();
  const read = useCallback((studyId: string) => client.call('scaling.study', { id: studyId }), [client]);
  const { record, job, error, replace } = useJobRecord(id, read, {
    active: (study) => study.status === 'running' || study.status === 'queued',
  });
  return { detail: record, job, error, replace };
}

/** The stored external result sets (published numbers), with the calls that change them. */
export function useExternalSets(): {
  sets: ExternalResultSet[];
  loaded: boolean;
  error: ErrorDescription | null;
  refresh: () => void;
} {
  const { client } = useEngine();
  const read = useCallback(() => client.call('scaling.external.list', {}), [client]);
  const { list, loaded, error, refresh } = useEngineList(read);
  return { sets: list, loaded, error, refresh };
}

/** One page of the items behind a cell; re-read when the study's progress moves (`version`). */
export function useCellItems(
  studyId: string,
  cell: CellKey,
  query: CellItemsQuery,
  version: string,
): { items: StudyItem[]; total: number; loading: boolean; error: ErrorDescription | null } {
  const { client } = useEngine();
  const read = useCallback(
    (params: ReturnType<typeof cellItemsParams>) => client.call('scaling.items', params),
    [client],
  );
  return useEnginePage(cellItemsParams(studyId, cell, query), read, version);
}
