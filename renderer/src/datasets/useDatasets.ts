import { useCallback, useEffect, useRef, useState } from 'react';
import type { Dataset } from '../../../main/api/datasets';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';

const RELOAD_EVERY_MS = 1000;

/**
 * The datasets in this data dir, reloaded (at most once a second) while an import job reports progress,
 * so counts stay live. `reload` asks now.
 */
export function useDatasets(): { datasets: Dataset[] | null; reload: () => void } {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);
  const live = useRef(true);

  const reload = useCallback(() => {
    client.call('datasets.list', {}).then(
      (list) => live.current && setDatasets(list),
      (error: unknown) => reportError('Could not list the datasets', error),
    );
  }, [client, reportError]);

  useEffect(() => {
    live.current = true;
    reload();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const off = client.on('jobs.progress', (job) => {
      if (job.type !== 'datasets.import') return;
      const finished = job.state !== 'running' && job.state !== 'queued';
      const wait = finished ? 0 : Math.max(0, last + RELOAD_EVERY_MS - Date.now());
      clearTimeout(timer);
      timer = setTimeout(() => {
        last = Date.now();
        reload();
      }, wait);
    });
    return () => {
      live.current = false;
      clearTimeout(timer);
      off();
    };
  }, [client, reload]);

  return { datasets, reload };
}
