import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openChromiumPage } from '../support/chromiumPage';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

/**
 * The real UI against the real engine: `codepercept serve` on a fresh data dir, Debian's Chromium driven by
 * playwright-core. Screenshots of every page in both themes land in tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;

const pages = [
  { id: 'datasets', heading: 'Datasets', key: 'd' },
  { id: 'evaluate', heading: 'Evaluate', key: 'e' },
  { id: 'scaling', heading: 'Scaling', key: 's' },
  { id: 'models', heading: 'Models', key: 'm' },
  { id: 'jobs', heading: 'Jobs', key: 'j' },
  { id: 'settings', heading: 'Settings', key: ',' },
] as const;

// Each step may wait up to TIMEOUT_MS on a busy 2-core machine; the suite default (30 s) would cut it short.
describe('workbench UI in Chromium against codepercept serve', { timeout: 2 * TIMEOUT_MS }, () => {
  const dataDir = makeTempDir('codepercept-e2e-');
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;

  const heading = () => page.getByTestId('page-heading');
  const goTo = async (id: string, expected: string) => {
    await page.getByTestId(`nav-${id}`).click();
    await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe(expected);
  };
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);

  beforeAll(async () => {
    serve = await startServe(dataDir.path);
    ({ browser, context, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dataDir.cleanup();
  }, 2 * TIMEOUT_MS);

  it('connects with the token and removes it from the address bar', async () => {
    await page.goto(serve!.url);
    await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe('Datasets');
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/datasets$/);
  });

  it('shows every page with its heading (light theme)', async () => {
    expect(await theme()).toBe('light');
    for (const { id, heading: expected } of pages) {
      await goTo(id, expected);
      expect(page.url()).toMatch(new RegExp(`#/${id}$`));
      await screenshot(`light-${id}`);
    }
  });

  it('shows the data dir, a healthy engine, Python, GPU and the transport in the status bar', async () => {
    await expect
      .poll(() => page.getByTestId('status-health').getAttribute('data-state'), { timeout: TIMEOUT_MS })
      .toBe('ok');
    expect(await page.getByTestId('status-health').textContent()).toContain('Engine ok');
    await expect
      .poll(() => page.getByTestId('status-data-dir').textContent(), { timeout: TIMEOUT_MS })
      .toContain(dataDir.path);
    expect(await page.getByTestId('status-python').getAttribute('data-status')).toMatch(/^(ok|warn|error)$/);
    expect(await page.getByTestId('status-gpu').getAttribute('data-status')).toMatch(/^(ok|warn|error)$/);
    expect(await page.getByTestId('status-transport').textContent()).toContain('WebSocket');
  });

  it('navigates with the keyboard: g then a key, and Alt+number', async () => {
    await page.locator('body').click({ position: { x: 640, y: 700 } });
    for (const { id, heading: expected, key } of pages) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe(expected);
      expect(page.url()).toMatch(new RegExp(`#/${id}$`));
    }
    await page.keyboard.press('Alt+5');
    await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe('Jobs');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe('Datasets');
  });

  it('lists the environment checks on the Settings page and re-checks them', async () => {
    await goTo('settings', 'Settings');
    const checks = page.getByTestId('checks-list').locator('li');
    await expect.poll(() => checks.count(), { timeout: TIMEOUT_MS }).toBeGreaterThan(0);
    for (const id of ['node', 'python', 'data-dir']) {
      expect(await page.getByTestId(`check-${id}`).count()).toBe(1);
    }
    const checkedAt = () => page.getByTestId('checks-list').getAttribute('data-checked-at');
    const before = Number(await checkedAt());
    await page.getByTestId('checks-recheck').click();
    await expect.poll(async () => Number(await checkedAt()), { timeout: TIMEOUT_MS }).toBeGreaterThan(before);
    expect(await page.getByTestId('checks-recheck').isEnabled()).toBe(true);
  });

  it('runs a demo job from the Jobs page to done with live progress', async () => {
    await goTo('jobs', 'Jobs');
    await page.getByTestId('demo-items').fill('20');
    await page.getByTestId('demo-delay').fill('50');
    await page.getByTestId('demo-start').click();

    const row = page.getByTestId('job-row').first();
    const progress = row.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('aria-valuemax'), { timeout: TIMEOUT_MS }).toBe('20');
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: TIMEOUT_MS }).toBe('20');
    await expect.poll(() => row.getByTestId('job-state').textContent(), { timeout: TIMEOUT_MS }).toBe('done');
    expect(await row.getByTestId('job-progress-text').textContent()).toBe('20/20 · 100%');
    expect(await row.getByTestId('job-failed').textContent()).toBe('0');
    await screenshot('light-jobs-done');
  });

  it('pauses, resumes and cancels a running job', async () => {
    await page.getByTestId('demo-items').fill('400');
    await page.getByTestId('demo-delay').fill('100');
    await page.getByTestId('demo-fail-at').fill('1, 2');
    await page.getByTestId('demo-start').click();
    const row = page.locator('[data-testid="job-row"][data-state="running"]').first();
    const id = await row.getAttribute('data-job-id');
    const job = page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
    await expect.poll(() => job.getByTestId('job-failed').textContent(), { timeout: TIMEOUT_MS }).toBe('2');
    await screenshot('light-jobs-running');

    await job.getByTestId('job-pause').click();
    await expect
      .poll(() => job.getByTestId('job-state').textContent(), { timeout: TIMEOUT_MS })
      .toBe('paused');
    await job.getByTestId('job-resume').click();
    await expect
      .poll(() => job.getByTestId('job-state').textContent(), { timeout: TIMEOUT_MS })
      .toBe('running');
    await job.getByTestId('job-cancel').click();
    await expect
      .poll(() => job.getByTestId('job-state').textContent(), { timeout: TIMEOUT_MS })
      .toBe('cancelled');
    expect(await job.getByTestId('job-resume').count()).toBe(1);
  });

  it('toggles to the dark theme, keeps it across a reload, and shows every page dark', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect.poll(theme, { timeout: TIMEOUT_MS }).toBe('dark');
    // The token lives in sessionStorage, so a reload reconnects; the theme comes back from the engine.
    await page.reload();
    await expect.poll(() => heading().textContent(), { timeout: TIMEOUT_MS }).toBe('Jobs');
    expect(await theme()).toBe('dark');
    for (const { id, heading: expected } of pages) {
      await goTo(id, expected);
      await screenshot(`dark-${id}`);
    }
    await page.getByTestId('theme-toggle').click();
    await expect.poll(theme, { timeout: TIMEOUT_MS }).toBe('light');
  });

  it('saves settings with a confirmation', async () => {
    await goTo('settings', 'Settings');
    await page.getByTestId('settings-theme').selectOption('dark');
    await page.getByTestId('settings-save').click();
    await expect
      .poll(() => page.getByTestId('settings-saved').textContent(), { timeout: TIMEOUT_MS })
      .toContain('Saved');
    expect(await theme()).toBe('dark');
    await page.getByTestId('settings-theme').selectOption('system');
    await page.getByTestId('settings-save').click();
    await expect.poll(theme, { timeout: TIMEOUT_MS }).toBe('light');
  });

  it('shows an engine error as a dismissible toast with its code, message and hint', async () => {
    // No UI action makes this engine fail on purpose, so the reply to jobs.start is replaced in flight.
    // This reads birpc's envelope (t: 'q' request, a[0] the method; t: 's' response with e the error).
    const fresh = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    const other = await fresh.newPage();
    await other.routeWebSocket(/\/rpc/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((raw) => {
        const message = JSON.parse(String(raw)) as { t?: string; i?: string; a?: unknown[] };
        if (message.t !== 'q' || message.a?.[0] !== 'jobs.start') return server.send(raw);
        const error = { code: 'CONFLICT', message: 'The queue is full.', hint: 'Wait for a job to finish.' };
        socket.send(JSON.stringify({ t: 's', i: message.i, e: error }));
      });
    });
    await other.goto(`${serve!.url}#/jobs`);
    await other.getByTestId('demo-start').click();
    const toast = other.getByTestId('toast');
    await toast.waitFor();
    const text = await toast.textContent();
    expect(text).toContain('Could not start the demo job');
    expect(text).toContain('CONFLICT');
    expect(text).toContain('The queue is full.');
    expect(text).toContain('Wait for a job to finish.');
    await other.screenshot({ path: join(ARTIFACTS, 'light-error-toast.png') });
    await toast.getByTestId('toast-dismiss').click();
    await expect.poll(() => other.getByTestId('toast').count(), { timeout: TIMEOUT_MS }).toBe(0);
    await fresh.close();
  });

  it('shows a full-page error with a reconnect button when there is no token', async () => {
    const fresh = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    const orphan = await fresh.newPage();
    await orphan.goto(new URL('/', serve!.url).href);
    await orphan.getByTestId('connection-error').waitFor({ timeout: TIMEOUT_MS });
    expect(await orphan.getByTestId('connection-reconnect').isVisible()).toBe(true);
    await orphan.screenshot({ path: join(ARTIFACTS, 'light-no-token.png') });
    await fresh.close();
  });

  it('logged no page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });

  it('shows a full-page error with a reconnect button when the engine goes away', async () => {
    await serve!.stop();
    await page.getByTestId('connection-error').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('connection-error-message').textContent()).toContain('closed');
    await screenshot('light-disconnected');
    await page.getByTestId('connection-reconnect').click();
    await page.getByTestId('connection-error').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('connection-error-message').textContent()).toContain('refused');
  });
});
