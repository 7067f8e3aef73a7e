import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { DemoJobParams, JobSnapshot } from '../../../main/api/jobs';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';
import { mergeListed, sortJobs } from './jobModel';
import type { JobAction } from './jobModel';

export interface JobsState {
  jobs: JobSnapshot[];
  loaded: boolean;
  startDemo(params: DemoJobParams): Promise<JobSnapshot | null>;
  control(id: string, action: JobAction): Promise<void>;
}

const JobsContext = createContext<JobsState | null>(null);
const LIST_LIMIT = 200;

/** Live job table for the whole shell (the navigation shows how many run): jobs.list, then jobs.progress. */
export function JobsProvider({ children }: { children: ReactNode }) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [byId, setById] = useState<Map<string, JobSnapshot>>(() => new Map());
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let live = true;
    const upsert = (job: JobSnapshot) => live && setById((all) => new Map(all).set(job.id, job));
    // Subscribe before listing so no change between the two is lost.
    const unsubscribe = client.on('jobs.progress', upsert);
    client.call('jobs.list', { limit: LIST_LIMIT }).then(
      (listed) => {
        if (!live) return;
        setById((all) => mergeListed(all, listed));
        setLoaded(true);
      },
      (error: unknown) => {
        if (live) setLoaded(true);
        reportError('Could not list jobs', error);
      },
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, reportError]);

  const startDemo = useCallback(
    async (params: DemoJobParams) => {
      try {
        const job = await client.call('jobs.start', { type: 'demo.count', params });
        // Progress events for the new job may already have arrived; the reply must not roll them back.
        setById((all) => mergeListed(all, [job]));
        return job;
      } catch (error) {
        reportError('Could not start the demo job', error);
        return null;
      }
    },
    [client, reportError],
  );

  const control = useCallback(
    async (id: string, action: JobAction) => {
      try {
        await client.call(`jobs.${action}`, { id });
      } catch (error) {
        reportError(`Could not ${action} the job`, error);
      }
    },
    [client, reportError],
  );

  const jobs = useMemo(() => sortJobs(byId.values()), [byId]);
  const state = useMemo(() => ({ jobs, loaded, startDemo, control }), [jobs, loaded, startDemo, control]);
  return <JobsContext.Provider value={state}>{children}</JobsContext.Provider>;
}

export function useJobs(): JobsState {
  const state = useContext(JobsContext);
  if (!state) throw new Error('useJobs() used outside JobsProvider.');
  return state;
}
