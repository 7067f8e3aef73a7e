import { useEffect, useState } from 'react';
import type { Facets, ItemFilter } from '../../../main/api/datasets';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useEngine } from '../api/EngineContext';

export interface FacetsState {
  facets: Facets | null;
  error: ErrorDescription | null;
}

/** `items.facets` for the filter, asked again whenever `refresh` changes (an import grew it, a tag changed). */
export function useFacets(filter: ItemFilter | null, refresh: unknown): FacetsState {
  const { client } = useEngine();
  const [state, setState] = useState<FacetsState & { key: string | null }>({
    facets: null,
    error: null,
    key: null,
  });
  const key = filter ? JSON.stringify(filter) : null;

  useEffect(() => {
    if (!filter) return;
    let live = true;
    client.call('items.facets', filter).then(
      (facets) => live && setState({ facets, error: null, key }),
      (error: unknown) => live && setState({ facets: null, error: describeError(error), key }),
    );
    return () => {
      live = false;
    };
    // The filter object is new on every render; its key says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, refresh]);

  // Facets of another filter are not shown while the new ones load (the counts would lie).
  return state.key === key ? state : { facets: null, error: null };
}
