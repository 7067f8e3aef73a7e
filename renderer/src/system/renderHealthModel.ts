import type { RenderHealth } from '../../../main/api/render';

export type RenderHealthTone = 'pending' | 'idle' | 'ok' | 'warn' | 'error';

export interface RenderHealthSummary {
  /** The few words the status bar has room for. */
  text: string;
  tone: RenderHealthTone;
  /** Everything else, for the tooltip. */
  title: string;
}

/** 'bwrap+seccomp', 'bwrap', 'guards'; null before the pool has chosen. */
export function sandboxLabel(health: Pick<RenderHealth, 'sandbox' | 'seccomp'>): string | null {
  if (!health.sandbox) return null;
  return health.sandbox === 'bwrap' && health.seccomp ? 'bwrap+seccomp' : health.sandbox;
}

function details(health: RenderHealth): string {
  const parts: string[] = [];
  if (health.python) {
    const { version, matplotlib, numpy, executable } = health.python;
    parts.push(`Python ${version} (${executable}) · matplotlib ${matplotlib} · numpy ${numpy}`);
  }
  if (health.rendererVersion) parts.push(`Renderer ${health.rendererVersion}`);
  if (health.workers.length > 0) {
    const busy = health.workers.filter((w) => w.state === 'busy').length;
    const restarts = health.workers.reduce((n, w) => n + w.restarts, 0);
    parts.push(
      `${health.workers.length} worker(s), ${busy} busy, ${health.queued} queued, ${restarts} restart(s)`,
    );
  }
  return parts.join('\n');
}

/**
 * What the status bar says about the Python renderer. Before the first render it is idle (the UI never
 * starts Python just by opening); a sandbox warning outranks everything else once the pool is up.
 */
export function summarizeRenderHealth(health: RenderHealth | null): RenderHealthSummary {
  if (!health) return { text: 'Renderer …', tone: 'pending', title: 'Asking the engine about the renderer…' };
  const more = details(health);
  const withDetails = (first: string) => (more ? `${first}\n${more}` : first);
  if (health.state === 'error') {
    return {
      text: 'Renderer error',
      tone: 'error',
      title: withDetails(`The renderer could not start: ${health.error ?? 'unknown error'}`),
    };
  }
  if (health.state === 'not-started') {
    return {
      text: 'Renderer idle',
      tone: 'idle',
      title: 'The Python renderer starts with the first render; its sandbox shows here then.',
    };
  }
  if (health.state === 'starting') {
    return { text: 'Renderer starting…', tone: 'pending', title: 'Starting the Python render workers…' };
  }
  const sandbox = sandboxLabel(health) ?? 'unknown';
  if (health.sandboxWarning) {
    return { text: `Sandbox ${sandbox} — weak`, tone: 'warn', title: withDetails(health.sandboxWarning) };
  }
  return {
    text: `Sandbox ${sandbox}`,
    tone: 'ok',
    title: withDetails(`Model-written code runs sandboxed with ${sandbox}.`),
  };
}
