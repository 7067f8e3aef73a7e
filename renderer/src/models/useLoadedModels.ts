import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Params } from '../../../main/api/contract';
import type { LoadedModel } from '../../../main/api/models';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';
import { loadedModelsReducer } from './loadedModels';
import type { LoadedModelsState } from './loadedModels';

export interface LoadedModels {
  models: LoadedModelsState;
  /** Names of models whose models.load call is still running (they can be cancelled). */
  loading: ReadonlySet<string>;
  load(params: Params<'models.load'>): Promise<LoadedModel | null>;
  cancelLoad(name: string): void;
  /** Unloads a model, or puts away a failed entry the engine no longer holds. */
  unload(model: LoadedModel): Promise<void>;
}

/**
 * The loaded models: models.loaded once, then every models.state event (progress, ready, a host that died,
 * unloaded). A load keeps running when the page is left; only Cancel stops it.
 */
export function useLoadedModels(): LoadedModels {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [models, dispatch] = useReducer(loadedModelsReducer, []);
  const [loading, setLoading] = useState<ReadonlySet<string>>(() => new Set());
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    let live = true;
    // Subscribe before listing so no change between the two is lost.
    const unsubscribe = client.on('models.state', (model) => dispatch({ type: 'state', model }));
    client.call('models.loaded', {}).then(
      (listed) => live && dispatch({ type: 'listed', models: listed }),
      (error: unknown) => reportError('Could not list the loaded models', error),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, reportError]);

  const load = useCallback(
    async (params: Params<'models.load'>) => {
      const abort = new AbortController();
      controllers.current.set(params.model, abort);
      setLoading((all) => new Set(all).add(params.model));
      try {
        const model = await client.call('models.load', params, { signal: abort.signal });
        dispatch({ type: 'state', model });
        return model;
      } catch (error) {
        // The failed state (with the host's reason) arrives as an event; a cancel needs no toast.
        if (!abort.signal.aborted) reportError(`Could not load ${params.model}`, error);
        return null;
      } finally {
        controllers.current.delete(params.model);
        setLoading((all) => new Set([...all].filter((n) => n !== params.model)));
      }
    },
    [client, reportError],
  );

  const cancelLoad = useCallback((name: string) => controllers.current.get(name)?.abort(), []);

  const unload = useCallback(
    async (model: LoadedModel) => {
      try {
        const { unloaded } = await client.call('models.unload', { id: model.id });
        if (!unloaded) dispatch({ type: 'dismiss', id: model.id });
      } catch (error) {
        reportError(`Could not unload ${model.name}`, error);
      }
    },
    [client, reportError],
  );

  return { models, loading, load, cancelLoad, unload };
}
