import type { RenderStatus } from '../../../main/api/render';

/**
 * How a status reads at a glance, by who has to act: the code (it does not parse, import or run), a limit
 * (time, memory, a signal), or an empty result (nothing to run, nothing drawn).
 */
export type StatusTone = 'ok' | 'code' | 'limit' | 'empty';

export interface StatusPresentation {
  label: string;
  tone: StatusTone;
  /** One sentence for the result panel. */
  meaning: string;
}

export const statusPresentation: Record<RenderStatus, StatusPresentation> = {
  ok: { label: 'OK', tone: 'ok', meaning: 'The code ran and drew a figure.' },
  no_code: { label: 'no code', tone: 'empty', meaning: 'There is no code to run.' },
  syntax_error: { label: 'syntax error', tone: 'code', meaning: 'The code does not parse.' },
  import_error: { label: 'import error', tone: 'code', meaning: 'A module could not be imported.' },
  runtime_error: { label: 'runtime error', tone: 'code', meaning: 'The code raised an exception.' },
  timeout: { label: 'timeout', tone: 'limit', meaning: 'The render ran past its time limit.' },
  memory: { label: 'memory', tone: 'limit', meaning: 'The render ran out of its memory limit.' },
  killed: { label: 'killed', tone: 'limit', meaning: 'The render process was killed by a signal.' },
  blank_image: {
    label: 'blank image',
    tone: 'empty',
    meaning: 'The figure is blank: every pixel has the background colour.',
  },
  no_image: { label: 'no image', tone: 'empty', meaning: 'The code ran but drew no figure.' },
};

const signalNames: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  31: 'SIGSYS',
};

/** 9 → 'signal 9 (SIGKILL)'; the name is the Linux one, where the sandbox runs. */
export function describeSignal(signal: number): string {
  const name = signalNames[signal];
  return name ? `signal ${signal} (${name})` : `signal ${signal}`;
}
