import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../main/api/datasets';
import type { ExternalResultSet } from '../../main/api/scaling';
import { openChromiumPage } from '../support/chromiumPage';
import { requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import type { JudgeRequestBody } from '../support/fakeJudgeServer';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { connectWebSocket } from '../support/wsClient';

/**
 * The Scaling page in Chromium against the real `codepercept serve` with the bundled sample:
 *  (a) a fresh data dir shows the paper's published numbers (the demo external set) as a chart;
 *  (b) a 2 × 2 study on sample-vqa-mini runs from the form against OpenAI-compatible endpoints served by a
 *      real local HTTP server with scripted replies (two captioners, two solvers: some answers right, some
 *      wrong by design), is watched to completion, charted, and a cell is opened down to its items;
 *  (c) screenshots in light and dark go to tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;
const STUDY_MS = 240_000;
const LIMIT = 4;
const VQA = 'sample-vqa-mini';

/** The scripted models: the large captioner's captions let the large solver answer every item. */
const CAPTIONERS = [
  { name: 'cap-small', params: '2B' },
  { name: 'cap-large', params: '8B' },
] as const;
const SOLVERS = [
  { name: 'solver-small', params: '1B' },
  { name: 'solver-large', params: '7B' },
] as const;

describe('Scaling page in Chromium against codepercept serve', { timeout: 3 * STUDY_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let fixtureDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let server: Awaited<ReturnType<typeof startFakeJudgeServer>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;
  let demoSets: ExternalResultSet[] = [];
  /** The benchmark's items in dataset order; an item's position decides whether the small solvers get it right. */
  let items: Item[] = [];

  /** The captioner signs its caption with the image's sha256 (of the data URL's bytes: the blob store's key). */
  const imageHash = (body: JudgeRequestBody): string => {
    for (const m of body.messages)
      if (Array.isArray(m.content))
        for (const part of m.content)
          if (part.image_url) {
            const base64 = part.image_url.url.slice(part.image_url.url.indexOf(',') + 1);
            return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
          }
    return 'no-image';
  };
  /** The solver's item: the image its caption names and the question it is asked (one image has several). */
  const itemOf = (body: JudgeRequestBody): Item | undefined => {
    const text = requestText(body);
    const sha = /figure ref ([0-9a-f]{64})/.exec(text)?.[1];
    return items
      .filter(
        (item) => item.imageSha256 === sha && item.question && text.includes(`Question: ${item.question}`),
      )
      .sort((a, b) => b.question!.length - a.question!.length)[0];
  };
  /** The design: small solvers get the even items right; the large solver after the large captioner gets all. */
  const intendedCorrect = (captioner: string, solver: string, index: number) =>
    index % 2 === 0 || (captioner === 'cap-large' && solver === 'solver-large');

  const reply = (body: JudgeRequestBody): string => {
    if (CAPTIONERS.some((c) => c.name === body.model)) {
      // A caption in Markdown with LaTeX, signed with its model and image so the solver knows both.
      return `**Caption by ${body.model}** (figure ref ${imageHash(body)}). The figure shows a curve $y = \\frac{x^2}{2}$ on labelled axes.`;
    }
    const item = itemOf(body);
    if (!item) return 'Answer: unknown item';
    const index = items.indexOf(item);
    const captioner = requestText(body).includes('Caption by cap-large') ? 'cap-large' : 'cap-small';
    return intendedCorrect(captioner, body.model, index)
      ? `Reading the description, the result follows.\n\nAnswer: ${item.answer}`
      : 'The description does not settle it.\n\nAnswer: none of these';
  };

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-scaling-');
    fixtureDir = makeTempDir('codepercept-e2e-scaling-fixture-');
    server = await startFakeJudgeServer((body) => reply(body));
    serve = await startServe(dataDir.path);
    const client = await connectWebSocket(serve.port, serve.token);
    // The bundled sample imports as jobs on a new data dir; wait for the VQA benchmark to be there in full.
    await waitFor(
      `the bundled ${VQA} imported`,
      async () => {
        const datasets = await client.call('datasets.list', {});
        const jobs = await client.call('jobs.list', {});
        const vqa = datasets.find((d) => d.name === VQA);
        return vqa !== undefined && vqa.itemCount > LIMIT && jobs.every((j) => j.state === 'done');
      },
      TIMEOUT_MS,
      500,
    );
    const vqa = (await client.call('datasets.list', {})).find((d) => d.name === VQA)!;
    items = (await client.call('items.page', { datasetId: vqa.id, limit: 500 })).items;
    demoSets = await client.call('scaling.external.list', {});
    for (const model of [...CAPTIONERS, ...SOLVERS])
      await client.call('endpoints.save', {
        name: model.name,
        baseUrl: server.baseUrl,
        model: model.name,
        apiKey: null,
      });
    client.close();
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await server?.close();
    dataDir?.cleanup();
    fixtureDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  it('(a) shows the paper’s published numbers as a chart on a fresh data dir, before any study', async () => {
    expect(demoSets.length).toBeGreaterThan(0);
    await page.goto(`${serve!.url}#/scaling`);
    await expect.poll(() => page.getByTestId('page-heading').textContent()).toBe('Scaling');
    const published = page.getByTestId('scaling-published');
    await published.waitFor();
    // Every stored set is listed and shown; the chart draws the demo set's series, dashed.
    await expect.poll(() => published.getByTestId('scaling-external-set').count()).toBe(demoSets.length);
    const demo = demoSets[0]!;
    const demoSeries = published.locator(
      `[data-testid="chart-series"][data-series-id^="external:${demo.id}:"]`,
    );
    await expect.poll(() => demoSeries.count()).toBeGreaterThan(0);
    const drawn = await demoSeries.evaluateAll((paths) =>
      paths.map((p) => p.getAttribute('data-series-id')!),
    );
    const labels = new Set(demo.results.map((r) => r.label));
    for (const id of drawn) expect(labels.has(id.slice(`external:${demo.id}:`.length))).toBe(true);
    expect(await published.getByTestId('chart-point').count()).toBeGreaterThanOrEqual(2);
    // The source of the numbers is said under the chart.
    if (demo.source)
      expect(await published.getByTestId('chart-note').allTextContents()).toContainEqual(
        expect.stringContaining(demo.name),
      );
    await screenshot('scaling-01-published');
  });

  it('imports an external CSV: a bad line is named, a good file is drawn', async () => {
    const bad = join(fixtureDir.path, 'bad.csv');
    writeFileSync(
      bad,
      'label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high\n' +
        'lab,overall,cap,2e9,solver,7e9,abc,,,\n',
    );
    const published = page.getByTestId('scaling-published');
    await published.getByTestId('scaling-external-file').setInputFiles(bad);
    await published.getByTestId('scaling-external-confirm').click();
    const error = published.getByTestId('scaling-external-import-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/line 2/i);
    await screenshot('scaling-02-import-error');

    const good = join(fixtureDir.path, 'lab-runs.csv');
    writeFileSync(
      good,
      'label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high\n' +
        'lab sweep,overall,cap-a,1e9,solver-x,7e9,41.5,200,,\n' +
        'lab sweep,overall,cap-b,4e9,solver-x,7e9,52.0,200,,\n' +
        'lab sweep,overall,cap-c,16e9,solver-x,7e9,58.25,200,,\n',
    );
    await published.getByTestId('scaling-external-file').setInputFiles(good);
    await published.getByTestId('scaling-external-source').fill('our lab, October sweep');
    await published.getByTestId('scaling-external-confirm').click();
    const row = published.locator('[data-testid="scaling-external-set"][data-name="lab-runs"]');
    await row.waitFor();
    await published.getByTestId('scaling-metric').selectOption('overall');
    await expect
      .poll(() => published.locator('[data-testid="chart-series"][data-series-id$=":lab sweep"]').count())
      .toBe(1);
    // Hiding the set takes its series off the chart; removing it takes it off the list.
    await row.getByTestId('scaling-external-show').uncheck();
    await expect
      .poll(() => published.locator('[data-testid="chart-series"][data-series-id$=":lab sweep"]').count())
      .toBe(0);
    await row.getByTestId('scaling-external-remove').click();
    await expect.poll(() => row.count()).toBe(0);
  });

  it('(b) validates the form, then runs a 2 × 2 study from it and watches it finish', async () => {
    await page.getByTestId('scaling-new-study').click();
    const form = page.getByTestId('scaling-setup');
    await form.waitFor();
    await expect
      .poll(() => form.getByTestId('scaling-benchmark').locator('option:checked').textContent())
      .toContain(VQA);
    await form.getByTestId('scaling-start').click();
    expect(await form.getByTestId('scaling-problem-captioners').textContent()).toContain(
      'at least one captioner',
    );
    expect(await form.getByTestId('scaling-problem-solvers').textContent()).toContain('at least one solver');

    const tick = async (role: 'captioners' | 'solvers', name: string, params: string) => {
      const row = form
        .getByTestId(`scaling-${role}`)
        .locator(`[data-testid="scaling-model-option"][data-key="endpoint:${name}"]`);
      await row.getByTestId('scaling-model-check').check();
      await row.getByTestId('scaling-model-parameters').fill(params);
    };
    for (const c of CAPTIONERS) await tick('captioners', c.name, c.params);
    for (const s of SOLVERS) await tick('solvers', s.name, s.params);
    // A size that is not a count is named next to its model.
    const small = form.getByTestId('scaling-solvers').locator('[data-key="endpoint:solver-small"]');
    await small.getByTestId('scaling-model-parameters').fill('tiny');
    await form.getByTestId('scaling-start').click();
    expect(await small.getByTestId('scaling-problem-model').textContent()).toContain(
      'Parameters of solver-small',
    );
    await small.getByTestId('scaling-model-parameters').fill('1B');
    await form.getByTestId('scaling-name').fill('e2e grid');
    await form.getByTestId('scaling-limit').fill(String(LIMIT));
    await form.getByTestId('scaling-concurrency').fill('2');
    expect(await form.getByTestId('scaling-grid-size').textContent()).toBe('4 cells');
    await screenshot('scaling-03-form');
    await form.getByTestId('scaling-start').click();

    await expect.poll(() => page.getByTestId('scaling-study-name').textContent()).toBe('e2e grid');
    await page.getByTestId('scaling-progress').waitFor();
    await screenshot('scaling-04-running');
    await expect
      .poll(() => page.getByTestId('scaling-study').getAttribute('data-status'), {
        timeout: STUDY_MS,
        interval: 500,
      })
      .toBe('completed');
    const answers = LIMIT * CAPTIONERS.length * SOLVERS.length;
    await expect
      .poll(() => page.getByTestId('scaling-progress-count').textContent(), { timeout: TIMEOUT_MS })
      .toBe(`${answers} of ${answers} answers`);
    expect(await page.getByTestId('scaling-state').getAttribute('data-state')).toBe('done');
    // The study is listed with its status.
    const row = page.locator('[data-testid="scaling-study-row"][data-name="e2e grid"]');
    await expect.poll(() => row.getAttribute('data-status')).toBe('completed');
  });

  it('charts the study: the heatmap holds the 4 cells, the curves place every cell at its model’s size', async () => {
    const charts = page.getByTestId('scaling-charts');
    const heatmap = charts.getByTestId('grid-heatmap');
    await expect.poll(() => heatmap.getByTestId('heatmap-cell').count()).toBe(4);
    // Perception mode: one line per solver, one point per captioner.
    const curves = charts.getByTestId('scaling-curves');
    for (const s of SOLVERS)
      await expect
        .poll(() =>
          curves
            .locator(
              `[data-testid="chart-point-group"][data-series-id="solver:${s.name}"] [data-testid="chart-point"]`,
            )
            .count(),
        )
        .toBe(CAPTIONERS.length);
    // The accuracy table agrees with the design, over the items the study took.
    const client = await connectWebSocket(serve!.port, serve!.token);
    const study = (await client.call('scaling.studies', {})).find((st) => st.name === 'e2e grid')!;
    console.log(
      JSON.stringify(
        (
          await client.call('scaling.items', {
            id: study.id,
            cell: { captioner: 'cap-small', solver: 'solver-small' },
            offset: 0,
            limit: 2,
          })
        ).items,
        null,
        1,
      ),
      server!.bodies.length,
    );
    for (const c of CAPTIONERS)
      for (const s of SOLVERS) {
        const cell = { captioner: c.name, solver: s.name };
        const { items: answered } = await client.call('scaling.items', {
          id: study.id,
          cell,
          offset: 0,
          limit: 500,
        });
        expect(answered).toHaveLength(LIMIT);
        const right = answered.filter((a) =>
          intendedCorrect(
            c.name,
            s.name,
            items.findIndex((i) => i.uid === a.uid),
          ),
        ).length;
        const row = page.locator(
          `[data-testid="scaling-accuracy-row"][data-captioner="${c.name}"][data-solver="${s.name}"]`,
        );
        expect(await row.getByTestId('scaling-accuracy-overall').textContent()).toBe(
          `${((right / LIMIT) * 100).toFixed(1)}%`,
        );
      }
    client.close();
    await charts.getByTestId('scaling-mode-reasoning').click();
    for (const c of CAPTIONERS)
      await expect
        .poll(() =>
          curves
            .locator(
              `[data-testid="chart-point-group"][data-series-id="captioner:${c.name}"] [data-testid="chart-point"]`,
            )
            .count(),
        )
        .toBe(SOLVERS.length);
    await charts.getByTestId('scaling-mode-perception').click();
    await charts.evaluate((el) => el.scrollIntoView());
    await screenshot('scaling-05-charts');
    await heatmap.evaluate((el) => el.scrollIntoView());
    await screenshot('scaling-06-heatmap');
  });

  it('opens a cell: each item with its image, caption (KaTeX), the solver’s answer and whether it was right', async () => {
    const heatmap = page.getByTestId('grid-heatmap');
    await heatmap
      .locator('[data-testid="heatmap-cell"][data-captioner="cap-small"][data-solver="solver-small"]')
      .click();
    const panel = page.getByTestId('scaling-cell-items');
    await panel.waitFor();
    expect(await panel.getByTestId('scaling-cell-title').textContent()).toBe('cap-small → solver-small');
    await expect.poll(() => panel.getByTestId('scaling-item').count()).toBe(LIMIT);
    const shown = await panel
      .getByTestId('scaling-item')
      .evaluateAll((rows) =>
        rows.map((r) => ({ uid: r.getAttribute('data-uid')!, correct: r.getAttribute('data-correct') })),
      );
    for (const row of shown) {
      const index = items.findIndex((i) => i.uid === row.uid);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(row.correct).toBe(String(intendedCorrect('cap-small', 'solver-small', index)));
    }
    const first = panel.getByTestId('scaling-item').first();
    expect(await first.getByTestId('scaling-item-caption').textContent()).toContain('Caption by cap-small');
    // The caption's LaTeX is typeset by KaTeX, as in the dataset detail view.
    await first.getByTestId('scaling-item-caption').locator('.katex').first().waitFor();
    expect(await first.getByTestId('scaling-item-response').textContent()).toContain('Answer:');
    // The thumbnail loads and enlarges to the full image.
    await first.getByTestId('scaling-item-thumb').locator('img').waitFor();
    await screenshot('scaling-07-items');
    await first.getByTestId('scaling-item-thumb').click();
    await page.getByTestId('scaling-lightbox-image').locator('img').waitFor();
    await screenshot('scaling-08-lightbox');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('scaling-lightbox').count()).toBe(0);
    // Only the wrong answers: the odd items, each marked ✗.
    await panel.getByTestId('scaling-items-correct').selectOption('wrong');
    const wrong = shown.filter((r) => r.correct === 'false').length;
    expect(wrong).toBeGreaterThan(0);
    await expect.poll(() => panel.getByTestId('scaling-item').count()).toBe(wrong);
    expect(await panel.getByTestId('scaling-item-verdict').allTextContents()).toEqual(
      Array(wrong).fill('✗ wrong'),
    );
    // A table row opens its cell too (keyboard: Enter).
    const tableRow = page.locator(
      '[data-testid="scaling-accuracy-row"][data-captioner="cap-large"][data-solver="solver-large"]',
    );
    await tableRow.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => panel.getByTestId('scaling-cell-title').textContent())
      .toBe('cap-large → solver-large');
    // A new cell starts unfiltered, and its items load without an error.
    expect(await panel.getByTestId('scaling-items-correct').inputValue()).toBe('all');
    await expect
      .poll(() => panel.locator('[data-testid="scaling-item"][data-correct="true"]').count())
      .toBe(LIMIT);
    expect(await panel.getByRole('alert').count()).toBe(0);
    expect(await panel.getByTestId('scaling-item-caption').first().textContent()).toContain(
      'Caption by cap-large',
    );
  });

  it('sets a model’s size after the study and the curves move it on the x axis', async () => {
    const svg = page.getByTestId('scaling-curves').locator('svg[data-x-domain]');
    const domainMax = async () =>
      Math.max(...(await svg.getAttribute('data-x-domain'))!.split(',').map(Number));
    // Only the study's own points: the published sets overlay the same axis.
    const shows = page.getByTestId('scaling-charts').getByTestId('scaling-external-show');
    for (const box of await shows.all()) await box.uncheck();
    await expect
      .poll(() =>
        page
          .getByTestId('scaling-curves')
          .locator('[data-testid="chart-series"][data-series-id^="external:"]')
          .count(),
      )
      .toBe(0);
    const before = await domainMax();
    expect(before).toBeLessThan(30e9);
    const row = page.locator(
      '[data-testid="scaling-size-row"][data-role="captioner"][data-label="cap-large"]',
    );
    await row.getByTestId('scaling-size-input').fill('30B');
    await row.getByTestId('scaling-size-save').click();
    await expect.poll(() => row.getByTestId('scaling-size-value').textContent()).toBe('30B');
    await expect.poll(domainMax).toBeGreaterThanOrEqual(30e9);
  });

  it('(c) looks right in the dark theme too', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('scaling-charts').evaluate((el) => el.scrollIntoView());
    await screenshot('scaling-09-dark-charts');
    await page.getByTestId('scaling-cell-items').evaluate((el) => el.scrollIntoView());
    await screenshot('scaling-10-dark-items');
    await page.getByTestId('scaling-overview').click();
    const published = page.getByTestId('scaling-published');
    await published.waitFor();
    // The sets hidden in the study stay hidden here (one choice for the page), and the overview says so.
    await published.getByTestId('scaling-published-hidden').waitFor();
    for (const box of await published.getByTestId('scaling-external-show').all()) await box.check();
    await expect.poll(() => published.getByTestId('scaling-published-hidden').count()).toBe(0);
    await expect.poll(() => published.getByTestId('chart-point').count()).toBeGreaterThan(0);
    await screenshot('scaling-11-dark-published');
    await page.getByTestId('scaling-new-study').click();
    await page.getByTestId('scaling-setup').waitFor();
    await screenshot('scaling-12-dark-form');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(pageErrors).toEqual([]);
  });
});
