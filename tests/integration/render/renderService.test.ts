import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRenderHarness, sha256, SIMPLE_PLOT } from './renderHarness';
import type { RenderHarness } from './renderHarness';

describe('the render service (real workers, default sandbox)', () => {
  let harness: RenderHarness;
  beforeAll(async () => {
    harness = openRenderHarness('auto', 2);
    await harness.service.start();
  }, 60_000);
  afterAll(() => harness.close());

  const png = (sha: string) => harness.store.blobs.read(sha);

  it('starts the strong sandbox here (bwrap + seccomp) with every worker warm', () => {
    const health = harness.service.health();
    expect(health).toMatchObject({
      state: 'ready',
      sandbox: 'bwrap',
      seccomp: true,
      sandboxWarning: null,
      queued: 0,
    });
    expect(health.workers.map((w) => w.state)).toEqual(['idle', 'idle']);
    expect(health.python?.matplotlib).toMatch(/^\d+\.\d+/);
  });

  it('renders canonical PNGs at exactly the requested pixel size', async () => {
    const outcome = await harness.service.render(
      SIMPLE_PLOT,
      { width: 640, height: 360, dpi: 80 },
      { useCache: false },
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.image).toMatchObject({ width: 640, height: 360 });
    const bytes = png(outcome.image!.sha256);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(640);
    expect(bytes.readUInt32BE(20)).toBe(360);
  });

  it('is deterministic: the same code twice gives byte-identical canonical PNGs', async () => {
    const code = `import numpy as np\nimport matplotlib.pyplot as plt\nx = np.random.rand(50)\nplt.scatter(x, x ** 2)\nplt.title('seeded: $\\\\alpha^2$')\n`;
    const a = await harness.service.render(code, {}, { useCache: false });
    const b = await harness.service.render(code, {}, { useCache: false });
    expect(a.status).toBe('ok');
    expect(sha256(png(a.image!.sha256))).toBe(sha256(png(b.image!.sha256)));
    expect(a.trace).toEqual(b.trace);
  });

  it('applies the official save rule: dpi 300 at the figure size the code chose', async () => {
    const code =
      'import matplotlib.pyplot as plt\nfig = plt.figure(figsize=(4, 3))\nplt.plot([0, 1])\nplt.savefig("mine.png", dpi=72)\n';
    const outcome = await harness.service.render(code, { mode: 'official' });
    expect(outcome.status).toBe('ok');
    expect(outcome.image).toMatchObject({ width: 1200, height: 900 });
  });

  it('returns an execution trace with exact content and the source line of each artist', async () => {
    const code = [
      'import matplotlib.pyplot as plt',
      'from matplotlib.patches import Circle',
      'fig, ax = plt.subplots(figsize=(4, 3))',
      "ax.plot([0, 1, 2], [0, 1, 4], 'r--', lw=2, label='sq')",
      "ax.bar([1, 2], [3, 1], color='#00ff00')",
      "ax.add_patch(Circle((0.5, 0.5), 0.2, color='blue'))",
      "ax.set_title('Known')",
      "ax.set_xlabel('x')",
      'ax.legend()',
    ].join('\n');
    const { status, trace } = await harness.service.render(code, { width: 800, height: 600, dpi: 100 });
    expect(status).toBe('ok');
    expect(trace).not.toBeNull();
    const t = trace!;
    expect(t.schemaVersion).toBe(1);
    expect([t.figure.widthPx, t.figure.heightPx]).toEqual([800, 600]);
    expect(t.summary.counts).toMatchObject({
      axes: 1,
      lines: 1,
      rectangles: 2,
      circles: 1,
      texts: 3,
      legends: 1,
    });
    expect(t.summary.colors).toEqual(['#ff0000', '#00ff00', '#0000ff']);
    const ax = t.axes[0]!;
    expect(ax.gridSpec).toEqual({ nrows: 1, ncols: 1, rowStart: 0, rowStop: 1, colStart: 0, colStop: 1 });
    expect(ax.lines[0]).toMatchObject({
      x: [0, 1, 2],
      y: [0, 1, 4],
      linestyle: '--',
      linewidth: 2,
      label: 'sq',
      sourceLine: 4,
    });
    expect(ax.lines[0]?.color).toEqual({ hex: '#ff0000', alpha: 1 });
    const [bar1, bar2, circle] = ax.patches;
    expect(bar1).toMatchObject({
      kind: 'rectangle',
      sourceLine: 5,
      data: { x: 0.6, y: 0, width: 0.8, height: 3 },
    });
    expect(bar2).toMatchObject({
      kind: 'rectangle',
      sourceLine: 5,
      data: { x: 1.6, y: 0, width: 0.8, height: 1 },
    });
    expect(circle).toMatchObject({
      kind: 'circle',
      sourceLine: 6,
      data: { center: [0.5, 0.5], radius: 0.2 },
    });
    const roles = ax.texts
      .filter((x) => x.role === 'title' || x.role === 'xlabel')
      .map((x) => [x.role, x.text, x.sourceLine]);
    expect(roles).toEqual(
      expect.arrayContaining([
        ['title', 'Known', 7],
        ['xlabel', 'x', 8],
      ]),
    );
    expect(ax.legend?.entries).toEqual([
      { label: 'sq', handle: 'line', color: { hex: '#ff0000', alpha: 1 }, marker: null, linestyle: '--' },
    ]);
  });

  it('serves identical work from the cache, keyed by code and options', async () => {
    const first = await harness.service.render(`${SIMPLE_PLOT}# cache probe\n`);
    const second = await harness.service.render(`${SIMPLE_PLOT}# cache probe\n`);
    const otherSize = await harness.service.render(`${SIMPLE_PLOT}# cache probe\n`, { width: 400 });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, key: first.key, image: first.image, status: 'ok' });
    expect(second.trace).toEqual(first.trace);
    expect(otherSize.cached).toBe(false);
    expect(otherSize.key).not.toBe(first.key);
  });

  it('classifies syntax and import errors with the line and module', async () => {
    const syntax = await harness.service.render('import matplotlib.pyplot as plt\nplt.plot([1, 2]\nx = 1\n');
    expect(syntax.status).toBe('syntax_error');
    expect(syntax.failure?.line).toBeGreaterThanOrEqual(2);
    const missing = await harness.service.render('import seaborn_not_installed_here as sns\n');
    expect(missing).toMatchObject({
      status: 'import_error',
      failure: { module: 'seaborn_not_installed_here', line: 1 },
    });
    expect((await harness.service.render('   \n')).status).toBe('no_code');
  });

  it('keeps a partial render when the code crashes after drawing', async () => {
    const outcome = await harness.service.render(`${SIMPLE_PLOT}1 / 0\n`);
    expect(outcome).toMatchObject({
      status: 'runtime_error',
      partial: true,
      failure: { type: 'ZeroDivisionError', line: 3 },
    });
    expect(outcome.image).not.toBeNull();
  });

  it('cancels a running render when the signal aborts, and the worker carries on', async () => {
    const controller = new AbortController();
    const pending = harness.service.render(
      'import time\ntime.sleep(30)\n',
      { timeoutMs: 60_000 },
      { signal: controller.signal, useCache: false },
    );
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await harness.service.render(SIMPLE_PLOT, {}, { useCache: false })).status).toBe('ok');
  });

  it('replaces a worker process that dies, and reports the job it was running as killed', async () => {
    const before = harness.service.health().workers;
    const running = harness.service.render(
      'import time\ntime.sleep(20)\n',
      { timeoutMs: 60_000 },
      { useCache: false },
    );
    await new Promise((r) => setTimeout(r, 300));
    const busy = harness.service.health().workers.find((w) => w.state === 'busy');
    expect(busy?.pid).toBeTruthy();
    process.kill(busy!.pid!, 'SIGKILL');
    const outcome = await running;
    expect(outcome.status).toBe('killed');
    expect(outcome.failure?.message).toMatch(/render worker exited/);
    const next = await harness.service.render(SIMPLE_PLOT, {}, { useCache: false });
    expect(next.status).toBe('ok');
    const restarts = harness.service.health().workers.reduce((n, w) => n + w.restarts, 0);
    expect(restarts).toBe(before.reduce((n, w) => n + w.restarts, 0) + 1);
  });

  it('renders many jobs concurrently across the pool', async () => {
    const codes = Array.from({ length: 12 }, (_, i) => `${SIMPLE_PLOT}plt.title('job ${i}')\n`);
    const outcomes = await Promise.all(codes.map((c) => harness.service.render(c, {}, { useCache: false })));
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    expect(new Set(outcomes.map((o) => o.image!.sha256)).size).toBe(12);
    expect(harness.service.health().workers.every((w) => w.jobs > 0)).toBe(true);
  });
});
