import type { FailureClass } from '../../api/eval';
import type { RenderFailure, RenderStatus } from '../../api/render';

/** SIGXCPU: the CPU-seconds rlimit, which backs up the wall-clock timeout for code spinning in C. */
const SIGXCPU = 24;

/**
 * The protocol's failure class of an official-mode render (null when it executed: exit 0 and an image).
 * A worker killed by a signal is a timeout when the CPU limit did it, otherwise a runtime failure whose
 * "exception" is the signal.
 */
export function failureFromRender(status: RenderStatus, failure: RenderFailure | null): FailureClass | null {
  switch (status) {
    case 'ok':
      return null;
    case 'no_code':
      return 'no_code';
    case 'syntax_error':
      return 'syntax';
    case 'import_error':
      return 'missing_import';
    case 'runtime_error':
      return 'runtime';
    case 'timeout':
      return 'timeout';
    case 'memory':
      return 'memory';
    case 'killed':
      return failure?.signal === SIGXCPU ? 'timeout' : 'runtime';
    case 'blank_image':
      return 'blank_figure';
    case 'no_image':
      return 'no_image';
  }
}

/** The exception class to count a runtime failure under (a signal when the process was killed). */
export function exceptionTypeOf(status: RenderStatus, failure: RenderFailure | null): string | null {
  if (status === 'killed') return failure?.signal != null ? `signal ${failure.signal}` : 'killed';
  if (status !== 'runtime_error') return null;
  return failure?.type ?? 'Exception';
}

/** One line a person reads: "ZeroDivisionError: division by zero (line 4)". */
export function failureMessageOf(failure: RenderFailure | null): string | null {
  if (!failure) return null;
  const type = failure.type ? `${failure.type}: ` : '';
  const line = failure.line !== null ? ` (line ${failure.line})` : '';
  return `${type}${failure.message}${line}`;
}
