import { useCallback, useEffect, useState } from 'react';
import { describeError } from './describeError';
import type { ErrorDescription } from './describeError';

/**
 * A list the engine holds, read on mount, on `refresh()` and whenever `versionOf` the list read so far
 * changes (its items' jobs moved on). `read` must be stable (useCallback): a new one re-reads.
 */
export function useEngineList<T>(
  read: () => Promise<T[]>,
  versionOf: (list: T[]) => string = () => '',
): { list: T[]; loaded: boolean; error: ErrorDescription | null; refresh: () => void } {
  const [list, setList] = useState<T[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const refresh = useCallback(() => {
    read().then(
      (listed) => {
        setList(listed);
        setError(null);
        setLoaded(true);
      },
      (e: unknown) => {
        setError(describeError(e));
        setLoaded(true);
      },
    );
  }, [read]);
  const version = versionOf(list);
  useEffect(() => {
    refresh();
  }, [refresh, version]);
  return { list, loaded, error, refresh };
}

/**
 * One page of items for `params`, re-read when the params or `version` change; `loading` until the page of
 * these params is in (the previous page stays shown meanwhile). `read` must be stable (useCallback).
 */
export function useEnginePage<P, I>(
  params: P,
  read: (params: P) => Promise<{ items: I[]; total: number }>,
  version: string,
): { items: I[]; total: number; loading: boolean; error: ErrorDescription | null } {
  const [state, setState] = useState<{ key: string; items: I[]; total: number } | null>(null);
  const [error, setError] = useState<ErrorDescription | null>(null);
  const key = JSON.stringify(params);
  useEffect(() => {
    let live = true;
    read(JSON.parse(key) as P).then(
      (page) => live && (setState({ key, ...page }), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [read, key, version]);
  return { items: state?.items ?? [], total: state?.total ?? 0, loading: state?.key !== key, error };
}
