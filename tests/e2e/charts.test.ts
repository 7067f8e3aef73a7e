import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromiumPage } from '../support/chromiumPage';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { GRID } from './chartsFixture';

/**
 * The charts in real Chromium: tests/e2e/chartHarness.tsx (the chart components on the known fixture of
 * chartsFixture.ts) is bundled with esbuild and served by a real HTTP server. Counts of series, points,
 * bands and ticks follow from the fixture by hand; screenshots in both themes go to tests/e2e/artifacts/.
 */

const TIMEOUT_MS = 30_000;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

describe('charts in Chromium', { timeout: 120_000 }, () => {
  let dir: { path: string; cleanup: () => void };
  let server: Server;
  let url: string;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[];
  let screenshot: (name: string) => Promise<Buffer>;

  const curves = () => page.getByTestId('scaling-curves');
  const count = (scope: Locator, testId: string) => scope.getByTestId(testId).count();
  const tooltipText = (scope: Locator) => scope.getByTestId('chart-tooltip').innerText();
  const xDomain = () => curves().locator('svg').first().getAttribute('data-x-domain');
  const selection = () => page.getByTestId('selection').textContent();
  const download = async (scope: Locator, testId: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), scope.getByTestId(testId).click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
  };

  beforeAll(async () => {
    dir = makeTempDir('codepercept-e2e-charts-');
    await build({
      entryPoints: [join(repoRoot, 'tests/e2e/chartHarness.tsx')],
      outdir: dir.path,
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      logLevel: 'warning',
    });
    writeFileSync(
      join(dir.path, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="chartHarness.css"></head>' +
        '<body><div id="root"></div><script type="module" src="chartHarness.js"></script></body></html>',
    );
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const file = path === '/' ? 'index.html' : path.slice(1);
      if (!/^[\w.-]+$/.test(file)) return void response.writeHead(404).end();
      try {
        const body = readFileSync(join(dir.path, file));
        response
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
    await page.setViewportSize({ width: 900, height: 1500 });
    await page.goto(url);
    await curves().getByTestId('chart-point').first().waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    dir?.cleanup();
  });

  it('draws one line per solver, the direct baseline and the external curve, with CI bands', async () => {
    const scope = curves();
    const ids = await scope
      .getByTestId('chart-series')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('data-series-id')));
    // Smallest solver first; the external set's reasoning-scaled curve varies the solver, so not in this mode.
    expect(ids).toEqual([
      'solver:sol-0.5b',
      'solver:sol-7b',
      'solver:sol-32b',
      'direct',
      'external:ext-paper:perception scaled',
    ]);
    // 3 × 3 pipeline cells + 3 direct + 3 published points.
    expect(await count(scope, 'chart-point')).toBe(15);
    // A band for every series with CIs: the study's four; the external numbers have none.
    const bands = await scope
      .getByTestId('chart-band')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('data-series-id')));
    expect(bands).toEqual(['solver:sol-0.5b', 'solver:sol-7b', 'solver:sol-32b', 'direct']);
    // The external curve is dashed, ours are not.
    const dashes = await scope
      .getByTestId('chart-series')
      .evaluateAll((paths) => paths.map((p) => getComputedStyle(p).strokeDasharray));
    expect(dashes.slice(0, 4)).toEqual(['none', 'none', 'none', 'none']);
    expect(dashes[4]).not.toBe('none');
  });

  it('labels the log x axis with readable parameter counts', async () => {
    // The captioners' own sizes, as the paper labels this axis.
    expect(await curves().getByTestId('chart-x-tick').allTextContents()).toEqual(['1B', '4B', '8B']);
    // Equal ratios take equal distances on a log axis: 4B→8B is half of 1B→4B.
    const xs = await curves()
      .getByTestId('chart-x-tick')
      .evaluateAll((ticks) => ticks.map((t) => Number(t.getAttribute('x'))));
    const [one, four, eight] = xs as [number, number, number];
    expect((eight - four) / (four - one)).toBeCloseTo(0.5, 3);
  });

  it('shows the exact value, CI and n of a point on hover', async () => {
    const scope = curves();
    await scope.locator('[data-point-id="solver:sol-7b@cap-4b"]').hover();
    const text = await tooltipText(scope);
    expect(GRID['cap-4b']!['sol-7b']).toBe(0.61);
    expect(text).toContain('cap-4b → sol-7b');
    expect(text).toContain('Accuracy: 61% [56%, 66%]');
    expect(text).toContain('n = 100');
    expect(text).toContain('x = 4B parameters');
    await screenshot('light-charts-curves-tooltip');
    await page.mouse.move(5, 5);
    await expect.poll(() => scope.getByTestId('chart-tooltip').isVisible()).toBe(false);
  });

  it('hides and shows a series from its legend entry', async () => {
    const scope = curves();
    const legend = scope.locator('[data-testid="chart-legend-item"][data-series-id="solver:sol-7b"]');
    await legend.click();
    expect(await legend.getAttribute('data-hidden')).toBe('true');
    expect(await count(scope, 'chart-series')).toBe(4);
    expect(await count(scope, 'chart-point')).toBe(12);
    expect(await count(scope, 'chart-band')).toBe(3);
    await legend.click();
    expect(await count(scope, 'chart-series')).toBe(5);
    expect(await count(scope, 'chart-point')).toBe(15);
  });

  it('selects the cell behind a clicked point', async () => {
    await curves().locator('[data-point-id="solver:sol-32b@cap-8b"]').click();
    expect(JSON.parse((await selection())!)).toEqual({ cell: { captioner: 'cap-8b', solver: 'sol-32b' } });
    await curves().locator('[data-point-id="direct@cap-1b"]').click();
    expect(JSON.parse((await selection())!)).toEqual({ cell: { captioner: 'cap-1b', solver: null } });
  });

  it('zooms the x domain (buttons and wheel) and resets it', async () => {
    const scope = curves();
    const full = (await xDomain())!.split(',').map(Number) as [number, number];
    await scope.getByTestId('chart-zoom-in').click();
    const zoomed = (await xDomain())!.split(',').map(Number) as [number, number];
    expect(zoomed[0]).toBeGreaterThan(full[0]);
    expect(zoomed[1]).toBeLessThan(full[1]);
    // Twice the scale on a log axis: half the decades.
    expect(Math.log10(zoomed[1] / zoomed[0])).toBeCloseTo(Math.log10(full[1] / full[0]) / 2, 3);
    await scope.getByTestId('chart-zoom-reset').click();
    expect(await xDomain()).toBe(full.map((v) => v.toPrecision(6)).join(','));

    const plot = await scope.locator('svg').first().boundingBox();
    await page.mouse.move(plot!.x + plot!.width * 0.3, plot!.y + plot!.height * 0.4);
    await page.mouse.wheel(0, -400);
    await expect.poll(xDomain).not.toBe(full.map((v) => v.toPrecision(6)).join(','));
    await screenshot('light-charts-curves-zoomed');
    await scope.getByTestId('chart-zoom-reset').click();
    expect(await xDomain()).toBe(full.map((v) => v.toPrecision(6)).join(','));
  });

  it('exports a standalone SVG with concrete colours, a 2× PNG and the plotted CSV', async () => {
    const scope = curves();
    const svg = await download(scope, 'chart-export-svg');
    expect(svg.name).toBe('perception-scaling-fixture-study.svg');
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).not.toContain('var(');
    expect(text.match(/data-testid="chart-series"/g)).toHaveLength(5);
    // Parseable on its own: librsvg (through sharp) reads it at its declared size.
    const meta = await sharp(svg.bytes).metadata();
    const box = await scope
      .locator('svg')
      .first()
      .evaluate((s) => [
        (s as SVGSVGElement).viewBox.baseVal.width,
        (s as SVGSVGElement).viewBox.baseVal.height,
      ]);
    expect([meta.width, meta.height]).toEqual(box);
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
      };
    }, text);
    expect(parsed).toEqual({ error: null, root: 'svg' });

    const png = await download(scope, 'chart-export-png');
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height at bytes 16..24, twice the SVG's size.
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual(box.map((v) => v * 2));
    const stats = await sharp(png.bytes).stats();
    // Not a blank canvas: the channels vary (lines, text and bands on the white background).
    expect(stats.channels[0]!.stdev).toBeGreaterThan(10);

    const csv = (await download(scope, 'chart-export-csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('series,kind,point,captioner,solver,run,parameters,accuracy,low,high,n');
    expect(csv).toHaveLength(1 + 15);
    expect(csv).toContain(
      'solver sol-7b (7B),pipeline,cap-4b → sol-7b,cap-4b,sol-7b,,4000000000,0.61,0.56,0.66,100',
    );
  });

  it('draws the paper comparison: perception scaled vs reasoning scaled', async () => {
    await curves().getByTestId('chart-mode').selectOption('compare');
    const ids = await curves()
      .getByTestId('chart-series')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('data-series-id')));
    expect(ids).toEqual([
      'perception-scaled',
      'reasoning-scaled',
      'direct',
      'external:ext-paper:perception scaled',
      'external:ext-paper:reasoning scaled',
    ]);
    // x now spans the solvers too (0.5B..32B); 7B and 8B would crowd, so round log ticks instead.
    expect(await curves().getByTestId('chart-x-tick').allTextContents()).toEqual([
      '0.5B',
      '1B',
      '2B',
      '5B',
      '10B',
      '20B',
    ]);
    await screenshot('light-charts-compare');
    await curves().getByTestId('chart-mode').selectOption('perception');
  });

  it('switches the metric: a benchmark drops the aggregate external rows', async () => {
    await curves().getByTestId('chart-metric').first().selectOption('benchmark:MathVista');
    expect(await count(curves(), 'chart-series')).toBe(4);
    await curves().locator('[data-point-id="solver:sol-7b@cap-4b"]').hover();
    expect(await tooltipText(curves())).toContain('Accuracy on MathVista: 57% [52%, 62%]');
    expect(await tooltipText(curves())).toContain('n = 50');
    await curves().getByTestId('chart-metric').first().selectOption('overall');
  });

  it('draws the grid as a heatmap: rows × columns, value and CI on hover, click selects', async () => {
    const heat = page.getByTestId('grid-heatmap');
    expect(await heat.getByTestId('heatmap-row').allTextContents()).toEqual([
      'cap-1b (1B)',
      'cap-4b (4B)',
      'cap-8b (8B)',
    ]);
    expect(await heat.getByTestId('heatmap-column').allTextContents()).toEqual([
      'sol-0.5b (0.5B)',
      'sol-7b (7B)',
      'sol-32b (32B)',
      'Direct (no solver)',
    ]);
    expect(await count(heat, 'heatmap-cell')).toBe(3 * 4);
    const cell = heat.locator(
      '[data-testid="heatmap-cell"][data-captioner="cap-8b"][data-solver="sol-0.5b"]',
    );
    expect(await cell.textContent()).toBe('55%');
    await cell.hover();
    expect(await tooltipText(heat)).toContain('Accuracy: 55% [50%, 60%]');
    expect(await tooltipText(heat)).toContain('n = 100');
    await heat.screenshot({ path: join(repoRoot, 'tests/e2e/artifacts/light-charts-heatmap.png') });
    await cell.click();
    expect(JSON.parse((await selection())!)).toEqual({ cell: { captioner: 'cap-8b', solver: 'sol-0.5b' } });
  });

  it('plots eval runs against model size and names the run without a size', async () => {
    const chart = page.getByTestId('size-score-chart');
    expect(await count(chart, 'chart-point')).toBe(2);
    expect(await chart.getByTestId('chart-note').allTextContents()).toEqual([
      'Not plotted, no parameter count: api model.',
    ]);
    await chart.locator('[data-point-id="run:run-b"]').hover();
    expect(await tooltipText(chart)).toContain('Final (conditional): 52.3 [48.2, 56.4]');
    await chart.locator('[data-point-id="run:run-b"]').click();
    expect(JSON.parse((await selection())!)).toEqual({ run: 'run-b' });
    await chart.getByTestId('chart-metric').selectOption('execRate');
    expect(await chart.locator('svg').first().getAttribute('aria-label')).toBe(
      'STEM2Code Exec rate (%) vs model size',
    );
    await chart.screenshot({ path: join(repoRoot, 'tests/e2e/artifacts/light-charts-size-score.png') });
  });

  it('takes full-page screenshots in both themes and with published numbers alone', async () => {
    await page.mouse.move(5, 5);
    await screenshot('light-charts-page');
    await page.goto(`${url}?theme=dark`);
    await curves().getByTestId('chart-point').first().waitFor();
    await curves().locator('[data-point-id="solver:sol-0.5b@cap-8b"]').hover();
    await screenshot('dark-charts-page');
    await page.goto(`${url}?study=none&mode=compare`);
    await curves().getByTestId('chart-point').first().waitFor();
    expect(await count(curves(), 'chart-series')).toBe(2);
    await curves().screenshot({
      path: join(repoRoot, 'tests/e2e/artifacts/light-charts-published-only.png'),
    });
    expect(pageErrors).toEqual([]);
  });
});
