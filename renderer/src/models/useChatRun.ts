import { useCallback, useEffect, useRef, useState } from 'react';
import type { Params } from '../../../main/api/contract';
import type { ChatResult } from '../../../main/api/models';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';
import { useEngine } from '../api/EngineContext';
import { liveTokensPerSecond } from './chatForm';

/** One playground answer, from Run to its end. `text` grows as chunks stream in. */
export type ChatRun =
  | { phase: 'idle' }
  | { phase: 'running'; text: string; chunks: number; startedAt: number; firstChunkAt: number | null }
  | { phase: 'done'; text: string; result: ChatResult }
  /** `tokensPerSecond` is the streamed rate up to Stop (null with fewer than two chunks). */
  | { phase: 'stopped'; text: string; chunks: number; afterMs: number; tokensPerSecond: number | null }
  | { phase: 'failed'; text: string; error: ErrorDescription };

export interface ChatRunner {
  run: ChatRun;
  start(params: Params<'models.chat'>): void;
  stop(): void;
}

/** Calls models.chat with onChunk and an AbortSignal: Stop (or leaving the page) stops generation in the host. */
export function useChatRun(): ChatRunner {
  const { client } = useEngine();
  const [run, setRun] = useState<ChatRun>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    (params: Params<'models.chat'>) => {
      if (controller.current) return;
      const abort = new AbortController();
      controller.current = abort;
      const startedAt = performance.now();
      let text = '';
      let chunks = 0;
      let firstChunkAt: number | null = null;
      setRun({ phase: 'running', text, chunks, startedAt, firstChunkAt });
      const onChunk = (chunk: { text: string }) => {
        if (abort.signal.aborted) return;
        text += chunk.text;
        chunks++;
        firstChunkAt ??= performance.now();
        setRun({ phase: 'running', text, chunks, startedAt, firstChunkAt });
      };
      client
        .call('models.chat', params, { signal: abort.signal, onChunk })
        .then(
          (result) => {
            if (!abort.signal.aborted) setRun({ phase: 'done', text: result.text, result });
          },
          (error: unknown) => {
            if (abort.signal.aborted) {
              const now = performance.now();
              const tokensPerSecond = liveTokensPerSecond(chunks, firstChunkAt, now);
              setRun({ phase: 'stopped', text, chunks, afterMs: now - startedAt, tokensPerSecond });
            } else setRun({ phase: 'failed', text, error: describeError(error) });
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
