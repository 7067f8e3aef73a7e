import { useCallback, useEffect, useRef, useState } from 'react';
import type { RenderOptionsInput, RenderOutcome } from '../../../main/api/render';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useEngine } from '../api/EngineContext';

/** One render in the playground, from the click to its outcome. `code` is what was sent, for line excerpts. */
export type RenderRun =
  | { phase: 'idle' }
  | { phase: 'running'; code: string; startedAt: number }
  | { phase: 'done'; code: string; outcome: RenderOutcome }
  | { phase: 'stopped'; code: string; afterMs: number }
  /** The call itself failed (no Python, engine error): not a render outcome. */
  | { phase: 'failed'; code: string; error: ErrorDescription };

export interface RenderRunner {
  run: RenderRun;
  start(code: string, options: RenderOptionsInput, useCache: boolean): void;
  stop(): void;
}

/** Calls render.run with an AbortSignal: Stop (or leaving the page) cancels the job in the engine too. */
export function useRenderRun(): RenderRunner {
  const { client } = useEngine();
  const [run, setRun] = useState<RenderRun>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    (code: string, options: RenderOptionsInput, useCache: boolean) => {
      if (controller.current) return;
      const abort = new AbortController();
      controller.current = abort;
      const startedAt = performance.now();
      setRun({ phase: 'running', code, startedAt });
      client
        .call('render.run', { code, options, useCache, withDataUrl: true }, { signal: abort.signal })
        .then(
          (outcome) => {
            if (!abort.signal.aborted) setRun({ phase: 'done', code, outcome });
          },
          (error: unknown) => {
            if (abort.signal.aborted)
              setRun({ phase: 'stopped', code, afterMs: performance.now() - startedAt });
            else setRun({ phase: 'failed', code, error: describeError(error) });
          },
        )
        .finally(() => {
          if (controller.current === abort) controller.current = null;
        });
    },
    [client],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { run, start, stop };
}
