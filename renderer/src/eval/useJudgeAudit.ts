import { useCallback, useEffect, useRef, useState } from 'react';
import type { JudgeAuditParams, JudgeAuditReportResult } from '../../../main/api/judgeAudit';
import { useEngine } from '../api/EngineContext';
import { describeError } from '../api/describeError';
import type { ErrorDescription } from '../api/describeError';

export type JudgeAuditRun =
  | { phase: 'idle' }
  /** `progress` is the last chunk (null until the judge is loaded and the first call finished). */
  | { phase: 'running'; progress: { done: number; total: number } | null }
  | { phase: 'done'; report: JudgeAuditReportResult }
  | { phase: 'cancelled'; progress: { done: number; total: number } | null }
  | { phase: 'failed'; error: ErrorDescription };

export interface JudgeAuditRunner {
  run: JudgeAuditRun;
  start(params: JudgeAuditParams): void;
  cancel(): void;
}

/**
 * Calls eval.auditJudge with onChunk for progress and an AbortSignal: Cancel (or leaving the page) aborts the
 * call, which stops the judge calls in the engine.
 */
export function useJudgeAudit(): JudgeAuditRunner {
  const { client } = useEngine();
  const [run, setRun] = useState<JudgeAuditRun>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    (params: JudgeAuditParams) => {
      if (controller.current) return;
      const abort = new AbortController();
      controller.current = abort;
      let progress: { done: number; total: number } | null = null;
      setRun({ phase: 'running', progress });
      client
        .call('eval.auditJudge', params, {
          signal: abort.signal,
          onChunk: (chunk) => {
            if (abort.signal.aborted) return;
            progress = chunk;
            setRun({ phase: 'running', progress });
          },
        })
        .then(
          (report) => {
            if (!abort.signal.aborted) setRun({ phase: 'done', report });
          },
          (error: unknown) =>
            setRun(
              abort.signal.aborted
                ? { phase: 'cancelled', progress }
                : { phase: 'failed', error: describeError(error) },
            ),
        )
        .finally(() => {
          if (controller.current === abort) controller.current = null;
        });
    },
    [client],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);

  return { run, start, cancel };
}
