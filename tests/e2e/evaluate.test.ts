import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromiumPage } from '../support/chromiumPage';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { fenced, miniReferenceCode, waitForBundledMini } from '../support/stem2codeMini';
import { makeTempDir } from '../support/tempDir';
import { connectWebSocket } from '../support/wsClient';

/**
 * The Evaluate page in Chromium against the real `codepercept serve` with the bundled sample: two runs in
 * predictions mode on the mini benchmark (first 6 items) are started from the form, watched to the end,
 * their table sorted and an item opened (canonical renders side by side, overlay, trace elements, code),
 * then the two runs compared. Screenshots go to tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;
const RUN_MS = 240_000;
const LIMIT = 6;

const referenceCode = miniReferenceCode(LIMIT);

describe('Evaluate page in Chromium against codepercept serve', { timeout: 3 * RUN_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let fixtureDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;
  let mixed: string;
  let better: string;

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-eval-');
    fixtureDir = makeTempDir('codepercept-e2e-eval-fixture-');
    // Run A: exact copies, a syntax error (item 3), an answer without code (item 4), a recoloured item 5.
    mixed = join(fixtureDir.path, 'mixed.jsonl');
    const a = referenceCode.map((code, i) => ({
      uid: String(i),
      response:
        i === 3
          ? fenced(code.replace('fig, ax = plt.subplots(', 'fig, ax = plt.subplots(('))
          : i === 4
            ? 'I cannot draw this figure.'
            : i === 5
              ? fenced(code.replaceAll("color='", "color='orange' or '"))
              : fenced(code),
    }));
    writeFileSync(mixed, a.map((l) => JSON.stringify(l)).join('\n') + '\n');
    // Run B: every answer an exact copy of the reference.
    better = join(fixtureDir.path, 'exact.jsonl');
    writeFileSync(
      better,
      referenceCode.map((code, i) => JSON.stringify({ uid: String(i), response: fenced(code) })).join('\n') +
        '\n',
    );

    serve = await startServe(dataDir.path);
    const client = await connectWebSocket(serve.port, serve.token);
    await waitForBundledMini(client, TIMEOUT_MS);
    client.close();
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dataDir?.cleanup();
    fixtureDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  const startRun = async (name: string, predictions: string) => {
    await page.getByTestId('eval-new-run').click();
    await page.getByTestId('eval-setup').waitFor();
    await expect
      .poll(() => page.getByTestId('eval-benchmark').locator('option:checked').textContent())
      .toContain('sample-stem2code-mini');
    await page.getByTestId('eval-subject-predictions').check();
    await page.getByTestId('eval-name').fill(name);
    await page.getByTestId('eval-predictions-path').fill(predictions);
    await page.locator('.eval-form__settings > summary').click();
    await page.getByTestId('eval-limit').fill(String(LIMIT));
    await page.getByTestId('eval-timeout').fill('10');
    await page.getByTestId('eval-start').click();
    await expect.poll(() => page.getByTestId('eval-run-name').textContent()).toBe(name);
  };

  const waitDone = async () => {
    await expect
      .poll(() => page.getByTestId('eval-run').getAttribute('data-state'), { timeout: RUN_MS, interval: 500 })
      .toBe('done');
    await expect
      .poll(() => page.getByTestId('eval-progress-count').textContent(), { timeout: TIMEOUT_MS })
      .toBe(`${LIMIT} of ${LIMIT} items`);
  };

  it('validates the form and shows the engine’s error for a predictions file that does not exist', async () => {
    await page.goto(`${serve!.url}#/evaluate`);
    await expect.poll(() => page.getByTestId('page-heading').textContent()).toBe('Evaluate');
    await page.getByTestId('eval-setup').waitFor();
    await page.getByTestId('eval-start').click();
    expect(await page.getByTestId('eval-problem-subject').textContent()).toContain('predictions JSONL');
    await page.getByTestId('eval-predictions-path').fill(join(fixtureDir.path, 'absent.jsonl'));
    await page.getByTestId('eval-start').click();
    await page.getByTestId('eval-start-error').waitFor();
    expect(await page.getByTestId('eval-start-error').textContent()).toMatch(
      /absent\.jsonl|not found|no such/i,
    );
    await screenshot('evaluate-01-setup-error');
  });

  it('runs an evaluation in predictions mode from the form and watches it finish', async () => {
    await startRun('mixed predictions', mixed);
    await page.getByTestId('eval-progress').waitFor();
    await screenshot('evaluate-02-running');
    await waitDone();
    // Summary: 4 of 6 executed (syntax error, no code).
    await expect
      .poll(() =>
        page
          .locator(
            '[data-testid="eval-summary-row"][data-key="execRate"] [data-testid="eval-summary-conditional"]',
          )
          .textContent(),
      )
      .toBe(((4 / 6) * 100).toFixed(1));
    const failures = await page.getByTestId('eval-failures').textContent();
    expect(failures).toContain('Syntax error');
    expect(failures).toContain('No code');
    await expect.poll(() => page.getByTestId('eval-item-row').count()).toBe(LIMIT);
    await screenshot('evaluate-03-results');
  });

  it('sorts the table by SSIM and filters by failure on the server', async () => {
    const ssim = page.locator('[data-testid="eval-sort"][data-key="ssim"]');
    await ssim.click(); // best first
    await expect
      .poll(() => page.getByTestId('eval-item-row').last().getAttribute('data-failure'))
      .not.toBe('none');
    const values = async () =>
      page
        .locator('[data-testid="eval-item-row"] td[data-key="ssim"]')
        .evaluateAll((cells) => cells.map((c) => c.textContent ?? ''));
    const desc = await values();
    const numbers = desc.filter((v) => v !== '—').map(Number);
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    expect(numbers[0]).toBeCloseTo(1, 3);
    await ssim.click(); // ascending: the recoloured item comes before the exact copies
    await expect.poll(async () => (await values())[0]).not.toBe(desc[0]);
    await page.getByTestId('eval-filter-failure').selectOption('any');
    await expect.poll(() => page.getByTestId('eval-item-row').count()).toBe(2);
    await page.getByTestId('eval-filter-failure').selectOption('all');
    await expect.poll(() => page.getByTestId('eval-item-row').count()).toBe(LIMIT);
    await screenshot('evaluate-04-sorted');
  });

  it('opens an item: canonical renders side by side, the overlay, trace elements and the code', async () => {
    await page.locator('[data-testid="eval-item-row"][data-uid="5"]').click();
    await page.getByTestId('eval-item').waitFor();
    await page.getByTestId('eval-item-reference').locator('img').waitFor();
    await page.getByTestId('eval-item-candidate').locator('img').waitFor();
    await page.getByTestId('eval-overlay-image').waitFor({ timeout: TIMEOUT_MS });
    await page.getByTestId('eval-item-code').waitFor();
    await expect
      .poll(() => page.getByTestId('eval-element').count(), { timeout: TIMEOUT_MS })
      .toBeGreaterThan(0);
    // The recoloured answer: some elements no longer match the reference's colours.
    expect(await page.locator('[data-testid="eval-mark"][data-status="missing"]').count()).toBeGreaterThan(0);
    // Picking a candidate element marks the line of code that drew it.
    await page.locator('[data-testid="eval-element"]').first().click();
    await expect.poll(() => page.locator('.cm-markedLine--source').count()).toBe(1);
    await screenshot('evaluate-05-item-code');
    await page.getByTestId('eval-item').evaluate((el) => el.scrollIntoView());
    await screenshot('evaluate-05-item-figures');
    await page.getByTestId('eval-item-close').click();
    await page.locator('[data-testid="eval-item-row"][data-uid="3"]').click();
    await page.getByTestId('eval-item-failure-message').waitFor();
    expect(await page.getByTestId('eval-item-failure').textContent()).toContain('Syntax');
    await screenshot('evaluate-06-item-failed');
    await page.getByTestId('eval-item-close').click();
  });

  it('runs a second predictions run and compares the two', async () => {
    await startRun('exact predictions', better);
    await waitDone();
    await page.getByTestId('eval-open-compare').click();
    await page.getByTestId('eval-compare').waitFor();
    await page
      .getByTestId('eval-compare-a')
      .selectOption({ label: 'mixed predictions — sample-stem2code-mini' });
    await expect
      .poll(() => page.getByTestId('eval-compare-b').locator('option:checked').textContent())
      .toBe('exact predictions');
    // eval.compare's Exec Rate row: Δ = B − A, with its CI, p and verdict beside it.
    const execRow = page.locator('[data-testid="eval-compare-metric"][data-key="execRate"]').first();
    const execDelta = execRow.getByTestId('eval-compare-delta');
    await expect.poll(() => execDelta.textContent(), { timeout: TIMEOUT_MS }).toBe('+33.3');
    expect(await execRow.getByTestId('eval-compare-verdict').textContent()).toMatch(
      /B better|no detectable difference/,
    );
    expect(await page.getByTestId('eval-compare-flips').textContent()).toContain(
      'Executed in B, failed in A',
    );
    await expect.poll(() => page.getByTestId('eval-compare-item').count()).toBe(LIMIT);
    // Largest change first: a failed item that B fixed.
    expect(['3', '4']).toContain(
      await page.getByTestId('eval-compare-item').first().getAttribute('data-uid'),
    );
    await screenshot('evaluate-07-compare');
    await page.getByTestId('eval-compare-items').scrollIntoViewIfNeeded();
    await screenshot('evaluate-08-compare-items');
    expect(pageErrors).toEqual([]);
  });
});
