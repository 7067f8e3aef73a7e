import { useEffect, useState } from 'react';
import type { EvalOverlay } from '../../../main/api/eval';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';

export type OverlayState =
  | { phase: 'none' }
  | { phase: 'computing' }
  | { phase: 'done'; overlay: EvalOverlay }
  | { phase: 'failed'; message: string };

/**
 * The item's difference overlay from the engine (eval.overlay: the foreground IoU metric's own masks), asked
 * for only when both canonical renders exist (`ready`).
 */
export function useOverlay(runId: string, itemId: number, ready: boolean, sample = 0): OverlayState {
  const { client } = useEngine();
  const [state, setState] = useState<{ key: string; value: OverlayState } | null>(null);
  const key = `${runId}:${itemId}:${sample}`;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    client.call('eval.overlay', { runId, itemId, sample }).then(
      (overlay) => live && setState({ key, value: { phase: 'done', overlay } }),
      (e: unknown) =>
        live && setState({ key, value: { phase: 'failed', message: describeError(e).message } }),
    );
    return () => {
      live = false;
    };
  }, [client, runId, itemId, sample, ready, key]);
  if (!ready) return { phase: 'none' };
  return state?.key === key ? state.value : { phase: 'computing' };
}
