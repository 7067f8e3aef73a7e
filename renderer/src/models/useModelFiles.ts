import { useCallback, useEffect, useRef, useState } from 'react';
import type { FitEstimate, ModelFile } from '../../../main/api/models';
import { describeError } from '../api/describeError';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';
import { isLoadable } from './modelFormat';

export type FitState =
  { status: 'pending' } | { status: 'done'; fit: FitEstimate } | { status: 'error'; message: string };

export interface ModelFiles {
  files: ModelFile[];
  folders: string[];
  loaded: boolean;
  /** Fit estimates by model path; a file without an entry is waiting its turn. */
  fits: ReadonlyMap<string, FitState>;
  refresh(): Promise<void>;
}

/**
 * models.list and models.folders, plus a "will it fit" estimate for each loadable file. Each estimate starts a
 * short-lived host (it probes the GPU), so they run one at a time, and a finished one is kept.
 */
export function useModelFiles(): ModelFiles {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [files, setFiles] = useState<ModelFile[]>([]);
  const [folders, setFolders] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [fits, setFits] = useState<ReadonlyMap<string, FitState>>(() => new Map());

  const refresh = useCallback(
    () =>
      Promise.all([client.call('models.list', {}), client.call('models.folders', {})]).then(
        ([listed, listedFolders]) => {
          setFiles(listed);
          setFolders(listedFolders);
          setLoaded(true);
        },
        (error: unknown) => {
          setLoaded(true);
          reportError('Could not list the models', error);
        },
      ),
    [client, reportError],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Keyed by the loadable files, not the list object: a refresh that changes nothing restarts nothing.
  const loadable = files
    .filter(isLoadable)
    .map((f) => `${f.path}\n${f.name}`)
    .join('\n\n');
  const fitsRef = useRef(fits);
  useEffect(() => {
    fitsRef.current = fits;
  }, [fits]);

  useEffect(() => {
    if (loadable === '') return;
    const abort = new AbortController();
    const set = (path: string, state: FitState | null) =>
      setFits((all) => {
        const next = new Map(all);
        if (state) next.set(path, state);
        else next.delete(path);
        return next;
      });
    void (async () => {
      for (const entry of loadable.split('\n\n')) {
        const [path = '', name = ''] = entry.split('\n');
        if (abort.signal.aborted) return;
        if (fitsRef.current.get(path)?.status === 'done') continue;
        set(path, { status: 'pending' });
        try {
          const fit = await client.call('models.fit', { model: name }, { signal: abort.signal });
          set(path, { status: 'done', fit });
        } catch (error) {
          set(path, abort.signal.aborted ? null : { status: 'error', message: describeError(error).message });
        }
      }
    })();
    return () => abort.abort();
  }, [client, loadable]);

  return { files, folders, loaded, fits, refresh };
}
