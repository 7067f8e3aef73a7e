import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import { openChromiumPage } from '../support/chromiumPage';
import { repoRoot, startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { fenced, miniReferenceCode, waitForBundledMini } from '../support/stem2codeMini';
import { makeTempDir } from '../support/tempDir';
import { connectWebSocket } from '../support/wsClient';

/**
 * The Evaluate page's run settings, the engine-made overlay and the judge audit, in Chromium against the real
 * `codepercept serve`: a predictions run on the mini benchmark's first items started with the no-system
 * prompt (after the form refuses a perceptual model that is not .onnx), an item's overlay whose ink counts
 * give the item's foreground IoU, and a code-judge audit against a local OpenAI-compatible server replaying
 * recorded judge replies (one fast, one slow to cancel). Screenshots in light and dark go to
 * tests/e2e/artifacts/.
 */

const TIMEOUT_MS = 60_000;
const RUN_MS = 240_000;
const LIMIT = 3;

const referenceCode = miniReferenceCode(LIMIT);
const recorded = (name: string) =>
  readFileSync(join(repoRoot, 'tests/fixtures/judgeReplies', `${name}.txt`), 'utf8');

/** The recorded "**Score:** 85/100" when both codes in the prompt are the same, else "Score: 68/100". */
const codeJudgeReply = (body: Parameters<typeof requestText>[0]) => {
  const blocks = [...requestText(body).matchAll(/```python\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  return blocks.length === 2 && blocks[0] === blocks[1]
    ? recorded('image-bold-score')
    : recorded('code-score-line');
};

describe('Evaluate page: run settings, engine overlay and judge audit', { timeout: 3 * RUN_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let fixtureDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let client: ApiClient | undefined;
  let judge: Awaited<ReturnType<typeof startFakeJudgeServer>> | undefined;
  let slowJudge: Awaited<ReturnType<typeof startFakeJudgeServer>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;
  let predictions: string;

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-eval-audit-');
    fixtureDir = makeTempDir('codepercept-e2e-eval-audit-fixture-');
    // Items 0 and 2 exact copies; item 1 recoloured (every colour orange), so its overlay has red and blue.
    predictions = join(fixtureDir.path, 'predictions.jsonl');
    writeFileSync(
      predictions,
      referenceCode
        .map((code, i) =>
          JSON.stringify({
            uid: String(i),
            response: fenced(i === 1 ? code.replaceAll("color='", "color='orange' or '") : code),
          }),
        )
        .join('\n') + '\n',
    );
    judge = await startFakeJudgeServer(codeJudgeReply);
    slowJudge = await startFakeJudgeServer(codeJudgeReply, { delayMs: 1500 });

    // Not a real vision tower: the form offers it from models.list, and the engine refuses to load it.
    mkdirSync(join(dataDir.path, 'models'), { recursive: true });
    writeFileSync(join(dataDir.path, 'models', 'vision-tower.onnx'), 'not an ONNX graph');
    serve = await startServe(dataDir.path);
    client = await connectWebSocket(serve.port, serve.token);
    await waitForBundledMini(client, TIMEOUT_MS);
    for (const [name, server] of [
      ['judge', judge],
      ['slow-judge', slowJudge],
    ] as const)
      await client.call('endpoints.save', { name, baseUrl: server.baseUrl, model: 'judge-vl', apiKey: null });
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    client?.close();
    await serve?.stop();
    await judge?.close();
    await slowJudge?.close();
    dataDir?.cleanup();
    fixtureDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  it('refuses a perceptual model that is not .onnx, then starts a run with the no-system prompt', async () => {
    await page.goto(`${serve!.url}#/evaluate`);
    await expect.poll(() => page.getByTestId('page-heading').textContent()).toBe('Evaluate');
    await page.getByTestId('eval-setup').waitFor();
    await expect
      .poll(() => page.getByTestId('eval-benchmark').locator('option:checked').textContent())
      .toContain('sample-stem2code-mini');
    await page.getByTestId('eval-subject-predictions').check();
    await page.getByTestId('eval-name').fill('no-system run');
    await page.getByTestId('eval-predictions-path').fill(predictions);
    await page.locator('.eval-form__settings > summary').click();
    await page.getByTestId('eval-prompt-variant').selectOption('no-system');
    await page.getByTestId('eval-limit').fill(String(LIMIT));
    await page.getByTestId('eval-timeout').fill('10');
    await page.getByTestId('eval-judge-attempts').fill('2');
    await page.getByTestId('eval-perceptual-path').fill(join(fixtureDir.path, 'vision-tower.bin'));
    await page.getByTestId('eval-start').click();
    expect(await page.getByTestId('eval-problem-perceptualPath').textContent()).toContain('.onnx file');
    expect(await page.getByTestId('eval-problem-perceptualFamily').textContent()).toContain('family');
    await page.getByTestId('eval-perceptual').scrollIntoViewIfNeeded();
    await screenshot('evaluate-audit-01-settings-problems');

    // The .onnx file in the models folder is offered; picking it fills the path. It is no model, and the
    // engine says so when the run starts.
    const onnx = join(dataDir.path, 'models', 'vision-tower.onnx');
    await page.getByTestId('eval-perceptual-file').selectOption({ label: 'vision-tower.onnx' });
    expect(await page.getByTestId('eval-perceptual-path').inputValue()).toBe(onnx);
    await page.getByTestId('eval-perceptual-family').selectOption('dinov2');
    await page.getByTestId('eval-start').click();
    await page.getByTestId('eval-start-error').waitFor();
    expect(await page.getByTestId('eval-start-error').textContent()).toContain('Perceptual model');
    expect(await page.getByTestId('eval-problem-perceptualPath').count()).toBe(0);
    await screenshot('evaluate-audit-01b-perceptual-refused');

    await page.getByTestId('eval-perceptual-path').fill('');
    await page.getByTestId('eval-start').click();
    await expect.poll(() => page.getByTestId('eval-run-name').textContent()).toBe('no-system run');
    // What the engine stored is what the form said.
    const [run] = await client!.call('eval.runs', {});
    const detail = await client!.call('eval.run', { id: run!.id });
    expect(detail.config.settings).toMatchObject({
      promptVariant: 'no-system',
      judgeAttempts: 2,
      perceptual: null,
      limit: LIMIT,
    });
    await expect
      .poll(() => page.getByTestId('eval-run').getAttribute('data-state'), { timeout: RUN_MS, interval: 500 })
      .toBe('done');
    await expect.poll(() => page.getByTestId('eval-item-row').count(), { timeout: TIMEOUT_MS }).toBe(LIMIT);
  });

  it('opens the recoloured item and shows the engine’s overlay, whose counts give its foreground IoU', async () => {
    await page.locator('[data-testid="eval-item-row"][data-uid="1"]').click();
    await page.getByTestId('eval-item').waitFor();
    const overlay = page.getByTestId('eval-overlay-image');
    await overlay.waitFor({ timeout: TIMEOUT_MS });
    expect(await overlay.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const pixels = async () =>
      page
        .locator('[data-testid="eval-overlay-counts"] tr')
        .evaluateAll((rows) =>
          Object.fromEntries(
            rows.map((r) => [
              r.getAttribute('data-key'),
              Number(
                r.querySelector('[data-testid="eval-overlay-pixels"]')!.textContent!.replaceAll(',', ''),
              ),
            ]),
          ),
        );
    const counts = await pixels();
    // Recolouring moves no ink: most is shared; red/blue differences come only from anti-aliasing edges.
    expect(counts.shared).toBeGreaterThan(0);
    expect(counts.shared).toBeGreaterThan(counts.referenceOnly! + counts.candidateOnly!);
    // The overlay's IoU is the item's foreground IoU metric (same masks, computed once in the engine).
    const iou = await page.getByTestId('eval-overlay-iou').textContent();
    expect(
      await page.locator('[data-testid="eval-item-scores"] [data-key="foregroundIou"] dd').textContent(),
    ).toBe(iou);
    expect(Number(iou)).toBeCloseTo(
      counts.shared! / (counts.shared! + counts.referenceOnly! + counts.candidateOnly!),
      3,
    );
    await page.getByTestId('eval-item').evaluate((el) => el.scrollIntoView());
    await screenshot('evaluate-audit-02-item-overlay');

    // An overlay of a run that does not exist is refused with the engine's NOT_FOUND.
    await expect(client!.call('eval.overlay', { runId: 'nope', itemId: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await page.getByTestId('eval-item-close').click();
  });

  it('audits the code judge against the run through the fake endpoint and shows the audit table', async () => {
    await page.getByTestId('eval-open-audit').click();
    await page.getByTestId('audit-panel').waitFor();
    await page.getByTestId('audit-kind-code').check();
    await page.getByTestId('audit-judge-kind').selectOption('endpoint');
    await expect.poll(() => page.getByTestId('audit-judge-endpoint').locator('option').count()).toBe(3);
    await page.getByTestId('audit-start').click();
    expect(await page.getByTestId('audit-problem-judge').textContent()).toBe('Choose the judge endpoint.');
    await page.getByTestId('audit-judge-endpoint').selectOption('judge');
    await page.getByTestId('audit-run').selectOption({ label: `no-system run (${LIMIT}/${LIMIT} items)` });
    await page.getByTestId('audit-limit').fill(String(LIMIT));
    judge!.bodies.length = 0;
    await page.getByTestId('audit-start').click();
    await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT_MS });
    expect(judge!.bodies).toHaveLength(4 * LIMIT);
    expect(await page.getByTestId('audit-headline').textContent()).toBe(
      `judge (judge-vl) as the code judge · ${LIMIT} items · ${4 * LIMIT} judgments`,
    );
    const row = (check: string) => page.locator(`[data-testid="audit-row"][data-check="${check}"]`);
    expect(await row('self').getByTestId('audit-value').textContent()).toBe('mean 85.0, lowest 85.0');
    expect(await row('repeat').getByTestId('audit-value').textContent()).toBe('|Δ| 0.0, 100% identical');
    expect(await row('swapped').getByTestId('audit-value').textContent()).toBe('|Δ| 0.0, mean Δ +0.0');
    expect(await row('failures').getByTestId('audit-value').textContent()).toBe(`0 of ${4 * LIMIT}`);
    expect(await row('self').getAttribute('data-level')).toBe('doubtful');
    expect(await row('repeat').getAttribute('data-level')).toBe('good');
    expect(await row('self').textContent()).toContain('a trustworthy judge gives about 100');
    // The exact copies score 85, the recoloured item 68: the ranking follows the colour metric.
    expect(
      await page
        .locator('[data-testid="audit-item"]')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent))),
    ).toEqual([
      ['0', '85', '85', '85', '85'],
      ['1', '85', '68', '68', '68'],
      ['2', '85', '85', '85', '85'],
    ]);
    await expect.poll(() => page.getByTestId('audit-metrics').locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot('evaluate-audit-03-table');
    await page.getByTestId('audit-result').evaluate((el) => el.scrollIntoView());
    await screenshot('evaluate-audit-04-table-details');
  });

  it('shows progress from the streamed chunks and cancels an audit in flight', async () => {
    await page.getByTestId('audit-judge-endpoint').selectOption('slow-judge');
    await page.getByTestId('audit-run').selectOption('');
    await page.getByTestId('audit-limit').fill('5');
    await page.getByTestId('audit-start').click();
    await expect
      .poll(() => page.getByTestId('audit-progress-label').textContent(), { timeout: TIMEOUT_MS })
      .toMatch(/^[1-9]\d* of 20 judge calls$/);
    expect(Number(await page.getByTestId('audit-progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(
      0,
    );
    await screenshot('evaluate-audit-05-progress');
    await page.getByTestId('audit-cancel').click();
    await expect
      .poll(() => page.getByTestId('audit-progress-label').textContent())
      .toMatch(/^Cancelled after \d+ of 20 judge calls$/);
    // The engine stopped asking the judge: no new requests once the call was cancelled.
    const asked = slowJudge!.bodies.length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(slowJudge!.bodies.length).toBe(asked);
    expect(asked).toBeLessThan(20);
    expect(await page.getByTestId('audit-start').isEnabled()).toBe(true);
  });

  it('looks right in the dark theme too', async () => {
    // The finished audit again (fast judge) for the dark screenshots.
    await page.getByTestId('audit-judge-endpoint').selectOption('judge');
    await page.getByTestId('audit-limit').fill(String(LIMIT));
    await page.getByTestId('audit-start').click();
    await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT_MS });
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('audit-panel').evaluate((el) => el.scrollIntoView());
    await screenshot('evaluate-audit-06-dark-table');
    await page.getByTestId('eval-new-run').click();
    await page.locator('.eval-form__settings > summary').click();
    await page.getByTestId('eval-perceptual').scrollIntoViewIfNeeded();
    await screenshot('evaluate-audit-07-dark-settings');
    await page.locator('[data-testid="eval-run-row"][data-name="no-system run"]').click();
    await page.locator('[data-testid="eval-item-row"][data-uid="1"]').click();
    await page.getByTestId('eval-overlay-image').waitFor({ timeout: TIMEOUT_MS });
    await page.getByTestId('eval-item').evaluate((el) => el.scrollIntoView());
    await screenshot('evaluate-audit-08-dark-overlay');
    await page.getByTestId('theme-toggle').click();
    expect(pageErrors).toEqual([]);
  });
});
