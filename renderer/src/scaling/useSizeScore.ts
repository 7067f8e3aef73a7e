import { useEffect, useState } from 'react';
import type { EvalRunDetail } from '../../../main/api/eval';
import type { ModelFile } from '../../../main/api/models';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';

/** Recent finished-or-partial eval runs with items, read in full (their summaries), plus the model files. */
const RUN_LIMIT = 60;

export function useSizeScoreData(): {
  runs: EvalRunDetail[];
  files: ModelFile[];
  loaded: boolean;
  error: ErrorDescription | null;
} {
  const { client } = useEngine();
  const [state, setState] = useState<{ runs: EvalRunDetail[]; files: ModelFile[]; loaded: boolean }>({
    runs: [],
    files: [],
    loaded: false,
  });
  const [error, setError] = useState<ErrorDescription | null>(null);
  useEffect(() => {
    let live = true;
    const read = async () => {
      const [infos, files] = await Promise.all([
        client.call('eval.runs', { limit: RUN_LIMIT }),
        client.call('models.list', {}).catch(() => [] as ModelFile[]),
      ]);
      // A run without a finished item has no score to place.
      const details = await Promise.all(
        infos
          .filter((r) => r.complete > 0)
          .map((r) => client.call('eval.run', { id: r.id }).catch(() => null)),
      );
      return { runs: details.filter((d): d is EvalRunDetail => d !== null), files };
    };
    read().then(
      (data) => live && setState({ ...data, loaded: true }),
      (e: unknown) => {
        if (!live) return;
        setError(describeError(e));
        setState((s) => ({ ...s, loaded: true }));
      },
    );
    return () => {
      live = false;
    };
  }, [client]);
  return { ...state, error };
}
