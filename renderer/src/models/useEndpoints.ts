import { useCallback, useEffect, useState } from 'react';
import type { ConnectionTest, EndpointInput, EndpointView } from '../../../main/api/endpoints';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';

export interface Endpoints {
  endpoints: EndpointView[];
  loaded: boolean;
  save(input: EndpointInput): Promise<EndpointView | null>;
  remove(name: string): Promise<void>;
  /** Tests a stored endpoint by name, or the unsaved form. Failures come back as `ok: false`, not thrown. */
  test(target: { name: string } | EndpointInput): Promise<ConnectionTest>;
}

/** The OpenAI-compatible endpoints in the settings; the API keys never reach the UI. */
export function useEndpoints(): Endpoints {
  const { client } = useEngine();
  const { reportError, confirm } = useToasts();
  const [endpoints, setEndpoints] = useState<EndpointView[]>([]);
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(
    () =>
      client.call('endpoints.list', {}).then(
        (listed) => {
          setEndpoints(listed);
          setLoaded(true);
        },
        (error: unknown) => {
          setLoaded(true);
          reportError('Could not list the endpoints', error);
        },
      ),
    [client, reportError],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const save = useCallback(
    async (input: EndpointInput) => {
      try {
        const saved = await client.call('endpoints.save', input);
        await refresh();
        confirm('Endpoint saved', `${saved.name} → ${saved.baseUrl}`);
        return saved;
      } catch (error) {
        reportError(`Could not save the endpoint ${input.name}`, error);
        return null;
      }
    },
    [client, confirm, refresh, reportError],
  );

  const remove = useCallback(
    async (name: string) => {
      try {
        await client.call('endpoints.remove', { name });
        await refresh();
      } catch (error) {
        reportError(`Could not remove the endpoint ${name}`, error);
      }
    },
    [client, refresh, reportError],
  );

  const test = useCallback(
    async (target: { name: string } | EndpointInput): Promise<ConnectionTest> => {
      try {
        return await client.call('endpoints.test', target);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, latencyMs: 0, models: [], message };
      }
    },
    [client],
  );

  return { endpoints, loaded, save, remove, test };
}
