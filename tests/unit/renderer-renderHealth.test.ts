import { describe, expect, it } from 'vitest';
import type { RenderHealth } from '../../main/api/render';
import { sandboxLabel, summarizeRenderHealth } from '../../renderer/src/system/renderHealthModel';

const notStarted: RenderHealth = {
  state: 'not-started',
  sandbox: null,
  seccomp: null,
  sandboxWarning: null,
  python: null,
  rendererVersion: null,
  workers: [],
  queued: 0,
  error: null,
};

const ready: RenderHealth = {
  ...notStarted,
  state: 'ready',
  sandbox: 'bwrap',
  seccomp: true,
  python: { executable: '/usr/bin/python3.11', version: '3.11.2', matplotlib: '3.6.3', numpy: '1.24.2' },
  rendererVersion: '1',
  workers: [
    { state: 'idle', restarts: 0, jobs: 3, pid: 10 },
    { state: 'busy', restarts: 1, jobs: 2, pid: 11 },
  ],
};

describe('sandboxLabel', () => {
  it.each([
    [{ sandbox: 'bwrap', seccomp: true }, 'bwrap+seccomp'],
    [{ sandbox: 'bwrap', seccomp: false }, 'bwrap'],
    [{ sandbox: 'guards', seccomp: null }, 'guards'],
    [{ sandbox: null, seccomp: null }, null],
  ] as const)('%j → %j', (health, label) => {
    expect(sandboxLabel(health)).toBe(label);
  });
});

describe('summarizeRenderHealth', () => {
  it('is pending until the engine answered, and idle before the first render', () => {
    expect(summarizeRenderHealth(null)).toMatchObject({ text: 'Renderer …', tone: 'pending' });
    expect(summarizeRenderHealth(notStarted)).toMatchObject({ text: 'Renderer idle', tone: 'idle' });
    expect(summarizeRenderHealth({ ...notStarted, state: 'starting' })).toMatchObject({ tone: 'pending' });
  });

  it('names the sandbox once ready, with Python and the workers in the tooltip', () => {
    const summary = summarizeRenderHealth(ready);
    expect(summary).toMatchObject({ text: 'Sandbox bwrap+seccomp', tone: 'ok' });
    expect(summary.title).toContain('Python 3.11.2 (/usr/bin/python3.11) · matplotlib 3.6.3 · numpy 1.24.2');
    expect(summary.title).toContain('2 worker(s), 1 busy, 0 queued, 1 restart(s)');
  });

  it('says a weakened sandbox loudly, with the reason as the tooltip', () => {
    const warning = 'The strong sandbox is off: bwrap: setting up uid map: Permission denied.';
    const summary = summarizeRenderHealth({
      ...ready,
      sandbox: 'guards',
      seccomp: false,
      sandboxWarning: warning,
    });
    expect(summary).toMatchObject({ text: 'Sandbox guards — weak', tone: 'warn' });
    expect(summary.title.split('\n')[0]).toBe(warning);
  });

  it('reports a renderer that could not start', () => {
    const summary = summarizeRenderHealth({
      ...notStarted,
      state: 'error',
      error: 'No Python with matplotlib.',
    });
    expect(summary).toMatchObject({ text: 'Renderer error', tone: 'error' });
    expect(summary.title).toContain('No Python with matplotlib.');
  });
});
