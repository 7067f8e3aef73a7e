import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderOptionsInput, RenderOutcome } from '../../../main/api/render';
import type { SandboxMode } from '../../../main/render/sandboxCommand';
import { makeTempDir } from '../../support/tempDir';
import { openRenderHarness, SIMPLE_PLOT } from './renderHarness';
import type { RenderHarness } from './renderHarness';

/**
 * Model-written code is hostile. Each case checks how it is classified, that it did no harm outside the job,
 * and that the very same worker (pool of one) renders a normal figure right after.
 */
describe.each<SandboxMode>(['bwrap', 'guards'])('hostile code in %s mode', (mode) => {
  let harness: RenderHarness;
  const outside = makeTempDir('codepercept-outside-');
  const secret = join(outside.path, 'id_rsa');
  let listener: Server;
  let listenerPort = 0;
  let connections = 0;

  beforeAll(async () => {
    writeFileSync(secret, 'PRIVATE KEY MATERIAL');
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    listenerPort = (listener.address() as { port: number }).port;
    harness = openRenderHarness(mode);
    await harness.service.start();
  }, 60_000);

  afterAll(async () => {
    await harness.close();
    listener.close();
    outside.cleanup();
  });

  const render = (code: string, options: RenderOptionsInput = {}) =>
    harness.service.render(code, { timeoutMs: 10_000, ...options }, { useCache: false });

  /** The worker that ran the hostile job is still healthy. */
  async function nextJobWorks(): Promise<void> {
    const next = await render(SIMPLE_PLOT);
    expect(next.status, JSON.stringify(next.failure)).toBe('ok');
    expect(harness.service.health().workers[0]?.restarts ?? 0).toBe(restartsBefore);
  }
  let restartsBefore = 0;
  const expectFailure = (outcome: RenderOutcome, status: RenderOutcome['status'], type?: RegExp) => {
    expect(
      outcome.status,
      JSON.stringify({ failure: outcome.failure, stderr: outcome.stderr.slice(-400) }),
    ).toBe(status);
    if (type) expect(outcome.failure?.type ?? '').toMatch(type);
  };

  it('uses the sandbox it was asked for', () => {
    const health = harness.service.health();
    expect(health.sandbox).toBe(mode);
    expect(health.seccomp).toBe(true);
    restartsBefore = health.workers[0]?.restarts ?? 0;
  });

  it('times out an infinite loop and kills it', async () => {
    const outcome = await render('while True:\n    pass\n', { timeoutMs: 1500 });
    expectFailure(outcome, 'timeout');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1400);
    expect(outcome.durationMs).toBeLessThan(8000);
    await nextJobWorks();
  });

  it('stops a fork bomb at the first fork', async () => {
    const outcome = await render('import os\nwhile True:\n    os.fork()\n');
    expectFailure(outcome, 'runtime_error', /PermissionError|OSError|BlockingIOError/);
    expect(outcome.failure?.line).toBe(3);
    await nextJobWorks();
  });

  it('classifies a memory bomb as memory', async () => {
    expectFailure(await render('x = bytearray(10**11)\n', { memoryMb: 1024 }), 'memory');
    expectFailure(
      await render("a = []\nwhile True:\n    a.append(' ' * 10**7)\n", { memoryMb: 1024 }),
      'memory',
    );
    await nextJobWorks();
  });

  it('cannot connect to a loopback listener', async () => {
    const code = `import socket\ns = socket.create_connection(('127.0.0.1', ${listenerPort}), timeout=2)\ns.sendall(b'hello')\n`;
    const outcome = await render(code);
    expectFailure(outcome, 'runtime_error', /ConnectionRefusedError|PermissionError|OSError|timeout/);
    await new Promise((r) => setTimeout(r, 100));
    expect(connections).toBe(0);
    await nextJobWorks();
  });

  it('finds no ~/.ssh: HOME is the job dir', async () => {
    const outcome = await render("import os\nprint(open(os.path.expanduser('~/.ssh/id_rsa')).read())\n");
    expectFailure(outcome, 'runtime_error', /FileNotFoundError/);
    await nextJobWorks();
  });

  // Guards mode does not confine reads (see guards.py); only the bubblewrap sandbox hides the host's files.
  if (mode === 'bwrap') {
    it('cannot read files outside the sandbox', async () => {
      const outcome = await render(`print(open(${JSON.stringify(secret)}).read())\n`);
      expectFailure(outcome, 'runtime_error', /FileNotFoundError|PermissionError/);
      expect(outcome.stdout).not.toContain('PRIVATE KEY');
      await nextJobWorks();
    });
  }

  it('cannot write outside its job dir', async () => {
    const target = join(outside.path, 'pwned.txt');
    const outcome = await render(`open(${JSON.stringify(target)}, 'w').write('x')\n`);
    expectFailure(outcome, 'runtime_error', /PermissionError|FileNotFoundError|OSError/);
    expect(existsSync(target)).toBe(false);
    await nextJobWorks();
  });

  it('cannot run a shell through os.system', async () => {
    const target = join(outside.path, 'system.txt');
    const outcome = await render(
      `import os\nrc = os.system('touch ${target}')\nassert rc == 0, f'os.system returned {rc}'\n`,
    );
    expectFailure(outcome, 'runtime_error', /AssertionError|PermissionError/);
    expect(existsSync(target)).toBe(false);
    await nextJobWorks();
  });

  it('cannot start a subprocess', async () => {
    const target = join(outside.path, 'subprocess.txt');
    const outcome = await render(`import subprocess\nsubprocess.run(['touch', ${JSON.stringify(target)}])\n`);
    expectFailure(outcome, 'runtime_error', /PermissionError|OSError/);
    expect(outcome.failure?.line).toBe(2);
    expect(existsSync(target)).toBe(false);
    await nextJobWorks();
  });

  it('reports a ctypes segfault as killed by SIGSEGV', async () => {
    const outcome = await render('import ctypes\nctypes.string_at(0)\n');
    expectFailure(outcome, 'killed');
    expect(outcome.failure?.signal).toBe(11);
    await nextJobWorks();
  });

  it('keeps a bounded prefix of 100 MB of stdout and still renders', async () => {
    const outcome = await render(
      `import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 10**6)\n${SIMPLE_PLOT}`,
    );
    expectFailure(outcome, 'ok');
    expect(outcome.stdoutTruncated).toBe(true);
    expect(outcome.stdout.length).toBeLessThanOrEqual(70 * 1024);
    expect(outcome.stdout.startsWith('xxxx')).toBe(true);
    await nextJobWorks();
  });

  it('treats plt.show() as harmless', async () => {
    const outcome = await render(`${SIMPLE_PLOT}plt.show()\n`);
    expectFailure(outcome, 'ok');
    expect(outcome.image).not.toBeNull();
  });

  it('gives input() an end of file', async () => {
    expectFailure(await render("name = input('name? ')\n"), 'runtime_error', /EOFError/);
    await nextJobWorks();
  });

  it('reports sys.exit(3) as a runtime error', async () => {
    const outcome = await render(`${SIMPLE_PLOT}import sys\nsys.exit(3)\n`);
    expectFailure(outcome, 'runtime_error', /SystemExit/);
    expect(outcome.failure?.line).toBe(4);
    // Drawn before the exit: kept, and marked partial.
    expect(outcome.partial).toBe(true);
    await nextJobWorks();
  });

  it('reports code that never draws as no_image (canonical) and blank_image (official save rule)', async () => {
    expectFailure(await render('x = sum(range(10))\n'), 'no_image');
    expectFailure(await render('x = sum(range(10))\n', { mode: 'official' }), 'blank_image');
    await nextJobWorks();
  });

  it('never restarted the worker: every case was contained inside its job', () => {
    const worker = harness.service.health().workers[0];
    expect(worker?.restarts).toBe(restartsBefore);
    expect(worker?.jobs).toBeGreaterThanOrEqual(25);
  });
});
