import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromiumPage } from '../support/chromiumPage';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

/**
 * The render playground in Chromium against the real `codepercept serve` and the real sandboxed Python
 * renderer: the default example renders with a trace, a failing line is named and reachable from the error
 * panel, Stop cancels, and the status bar names the sandbox. Screenshots in both themes go to
 * tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;
/** The first render starts the Python workers (and checks bwrap): slower than any later step. */
const FIRST_RENDER_MS = 120_000;

const failingCode = ['import matplotlib.pyplot as plt', 'plt.plot([1, 2, 3])', '1/0', ''].join('\n');
const slowCode = ['import time', 'time.sleep(60)', ''].join('\n');

describe('render playground in Chromium against codepercept serve', { timeout: 2 * FIRST_RENDER_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;

  const status = () => page.getByTestId('render-status').getAttribute('data-status');
  const activeLine = () => page.locator('.cm-lineNumbers .cm-activeLineGutter').textContent();
  /** The 1-based number of the line the editor marks (error or trace source), or 0 when none is marked. */
  const markedLine = () =>
    page
      .locator('.cm-content .cm-line')
      .evaluateAll((lines) => lines.findIndex((l) => l.classList.contains('cm-markedLine')) + 1);
  const replaceCode = async (code: string) => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(code);
  };
  const renderAndWait = async (expected: string, timeout = TIMEOUT_MS) => {
    await page.getByTestId('render-run').click();
    await expect.poll(status, { timeout }).toBe(expected);
  };

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-render-');
    serve = await startServe(dataDir.path);
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dataDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  it('shows an idle renderer until something renders', async () => {
    await page.goto(serve!.url);
    await expect
      .poll(() => page.getByTestId('page-heading').textContent(), { timeout: TIMEOUT_MS })
      .toBe('Datasets');
    const renderer = page.getByTestId('status-renderer');
    await expect.poll(() => renderer.getAttribute('data-state'), { timeout: TIMEOUT_MS }).toBe('not-started');
    expect(await renderer.textContent()).toBe('Renderer idle');
  });

  it('opens the playground from the Datasets page, with Datasets still highlighted', async () => {
    // A new data dir starts with the bundled sample: the mini benchmark and the ICC sample (48 figures
    // each) and the VQA mini benchmark (95 questions on the same figures).
    await expect
      .poll(() => page.getByTestId('dataset-items').allTextContents(), { timeout: TIMEOUT_MS })
      .toEqual(['48', '48', '95']);
    await screenshot('light-datasets-sample');
    await page.getByTestId('open-playground').click();
    await expect
      .poll(() => page.getByTestId('page-heading').textContent(), { timeout: TIMEOUT_MS })
      .toBe('Render playground');
    expect(page.url()).toMatch(/#\/datasets\/playground$/);
    expect(await page.getByTestId('nav-datasets').getAttribute('aria-current')).toBe('page');
    await page.locator('.cm-content').waitFor();
    expect(await page.locator('.cm-content').textContent()).toContain('ax.legend');
  });

  it('renders the example: an 800×600 image, status ok and a trace with its lines', async () => {
    await renderAndWait('ok', FIRST_RENDER_MS);
    const image = page.getByTestId('render-image');
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(800);
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(600);
    expect(
      Number.parseFloat((await page.getByTestId('render-duration').textContent()) ?? ''),
    ).toBeGreaterThan(0);
    const lines = page.locator('[data-testid="trace-node"][data-kind="line"]');
    await expect.poll(() => lines.count(), { timeout: TIMEOUT_MS }).toBeGreaterThanOrEqual(1);
    await screenshot('light-playground-render');
  });

  it('marks the source line of a trace node picked in the tree', async () => {
    const node = page.locator('[data-testid="trace-node"][data-kind="line"][data-line]').first();
    const line = Number(await node.getAttribute('data-line'));
    expect(line).toBeGreaterThan(0);
    await node.click();
    expect(await node.getAttribute('aria-selected')).toBe('true');
    await expect.poll(markedLine, { timeout: TIMEOUT_MS }).toBe(line);
    // The tree is one tab stop driven by the arrow keys.
    await page.keyboard.press('Home');
    expect(
      await page
        .locator('[data-testid="trace-node"]')
        .first()
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
  });

  it('names the sandbox in the status bar, loudly when it is weakened', async () => {
    const renderer = page.getByTestId('status-renderer');
    await expect.poll(() => renderer.getAttribute('data-state'), { timeout: TIMEOUT_MS }).toBe('ready');
    const text = (await renderer.textContent()) ?? '';
    expect(text).toMatch(/^Sandbox (bwrap\+seccomp|bwrap|guards)/);
    if ((await renderer.getAttribute('data-tone')) === 'warn') {
      expect(text).toContain('weak');
      expect(await renderer.getAttribute('title')).toMatch(/sandbox/i);
      expect(await page.getByTestId('playground-sandbox-warning').isVisible()).toBe(true);
    } else {
      expect(await page.getByTestId('playground-sandbox-warning').count()).toBe(0);
    }
  });

  it('reports a runtime error at its line, and "line 3" puts the cursor there (Ctrl+Enter renders)', async () => {
    await replaceCode(failingCode);
    await page.keyboard.press('Control+Enter');
    await expect.poll(status, { timeout: TIMEOUT_MS }).toBe('runtime_error');
    const failure = page.getByTestId('render-failure');
    expect(await failure.getByTestId('render-failure-type').textContent()).toBe('ZeroDivisionError');
    expect(await failure.getByTestId('render-failure-line').textContent()).toBe('line 3');
    expect(await failure.getByTestId('render-failure-excerpt').textContent()).toContain('1/0');
    expect(await markedLine()).toBe(3);
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+Home');
    expect(await activeLine()).toBe('1');
    await failure.getByTestId('render-failure-line').click();
    await expect.poll(activeLine, { timeout: TIMEOUT_MS }).toBe('3');
    expect(await page.locator('.cm-editor').evaluate((el) => el.classList.contains('cm-focused'))).toBe(true);
    await screenshot('light-playground-error');
  });

  it('stops a running render', async () => {
    await replaceCode(slowCode);
    await page.getByTestId('render-run').click();
    await page.getByTestId('render-stop').click();
    await expect.poll(status, { timeout: TIMEOUT_MS }).toBe('stopped');
    expect(await page.getByTestId('render-run').isEnabled()).toBe(true);
  });

  it('looks right in the dark theme too', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('render-reset').click();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(status, { timeout: TIMEOUT_MS }).toBe('ok');
    await page.getByTestId('render-image').waitFor();
    await screenshot('dark-playground-render');
    await replaceCode(failingCode);
    await page.keyboard.press('Control+Enter');
    await expect.poll(status, { timeout: TIMEOUT_MS }).toBe('runtime_error');
    await screenshot('dark-playground-error');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('logged no page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
