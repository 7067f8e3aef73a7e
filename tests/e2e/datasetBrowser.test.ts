import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromiumPage } from '../support/chromiumPage';
import { codepercept } from '../support/cli';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { connectWebSocket } from '../support/wsClient';

/**
 * The dataset browser in Chromium against the real `codepercept serve`: a JSONL of real figures (rendered by
 * the sandboxed renderer from their own code) is imported through the Import dialog, searched, opened,
 * re-rendered and tagged; a 20,000-item dataset imported with the CLI beforehand checks that the grid and
 * the table keep only visible rows in the DOM and that jumping far down shows the right items.
 * Screenshots go to tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;
const FIRST_RENDER_MS = 120_000;
const BIG = 20_000;

const bigUid = (i: number) => `big-${String(i).padStart(6, '0')}`;

/** Real figures: each item's image is its own code's render, so re-rendering it must match. */
const figures = [
  {
    uid: 'sine-wave',
    category: 'function plot',
    caption:
      'A **sine** wave $y = \\sin(x)$ over $[0, 2\\pi]$, with its maximum $1$ at $x = \\frac{\\pi}{2}$.\n\n$$\n\\int_0^{2\\pi} \\sin x \\, dx = 0\n$$',
    code: [
      'import numpy as np',
      'import matplotlib.pyplot as plt',
      'x = np.linspace(0, 2 * np.pi, 200)',
      'plt.plot(x, np.sin(x), color="tab:blue", label="sin(x)")',
      'plt.title("Sine wave")',
      'plt.legend()',
    ],
  },
  {
    uid: 'bar-fruit',
    category: 'chart',
    caption:
      'A bar chart of fruit sales: apples 12, pears 7, plums 9. <img src=x onerror=alert(1)> stays text.',
    code: [
      'import matplotlib.pyplot as plt',
      'plt.bar(["apples", "pears", "plums"], [12, 7, 9], color="tab:orange")',
      'plt.title("Fruit sales")',
    ],
  },
  {
    uid: 'circle-geometry',
    category: 'geometry',
    caption: 'A circle of radius $r = 2$ centred at the origin; its area is $\\pi r^2 = 4\\pi$.',
    code: [
      'import matplotlib.pyplot as plt',
      'fig, ax = plt.subplots()',
      'ax.add_patch(plt.Circle((0, 0), 2, fill=False, color="tab:green"))',
      'ax.set_xlim(-3, 3)',
      'ax.set_ylim(-3, 3)',
      'ax.set_aspect("equal")',
      'ax.set_title("Circle r = 2")',
    ],
  },
  {
    uid: 'cosine-wave',
    category: 'function plot',
    caption: 'A cosine wave $y = \\cos(x)$ drawn in red, starting at its maximum.',
    code: [
      'import numpy as np',
      'import matplotlib.pyplot as plt',
      'x = np.linspace(0, 2 * np.pi, 200)',
      'plt.plot(x, np.cos(x), color="tab:red")',
      'plt.title("Cosine wave")',
    ],
  },
  {
    uid: 'scatter-points',
    category: 'chart',
    caption: 'Five points on a line $y = 2x + 1$, marked as purple dots.',
    code: [
      'import matplotlib.pyplot as plt',
      'xs = [0, 1, 2, 3, 4]',
      'plt.scatter(xs, [2 * x + 1 for x in xs], color="tab:purple")',
      'plt.title("Points on y = 2x + 1")',
    ],
  },
];

describe('dataset browser in Chromium against codepercept serve', { timeout: 2 * FIRST_RENDER_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let fixtureDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;

  const count = async () => Number(await page.getByTestId('item-count').getAttribute('data-count'));
  /** [data-index, data-uid] of every item cell now in the DOM. */
  const cellsInDom = () =>
    page
      .getByTestId('item-cell')
      .evaluateAll((cells) =>
        cells.map((c) => [Number(c.getAttribute('data-index')), c.getAttribute('data-uid')]),
      );
  const openDataset = async (name: string) => {
    await page.locator(`[data-testid="dataset-row"][data-name="${name}"]`).click();
    await expect
      .poll(() =>
        page.locator(`[data-testid="dataset-row"][data-name="${name}"]`).getAttribute('aria-pressed'),
      )
      .toBe('true');
  };

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-browser-');
    fixtureDir = makeTempDir('codepercept-e2e-fixture-');
    // The big dataset goes in with the CLI before serve holds the data dir; one shared image keeps it quick.
    const tiny = await import('../support/pngFixture');
    writeFileSync(join(fixtureDir.path, 'tiny.png'), tiny.makePng(32, 24, 5));
    const rows = Array.from({ length: BIG }, (_, i) =>
      JSON.stringify({
        uid: bigUid(i),
        image: 'tiny.png',
        caption: `Synthetic item number ${i} of the scroll test.`,
        code: `print(${i})`,
        category: `group-${i % 7}`,
      }),
    );
    writeFileSync(join(fixtureDir.path, 'big.jsonl'), rows.join('\n') + '\n');
    const imported = await codepercept(
      [
        'import',
        join(fixtureDir.path, 'big.jsonl'),
        '--format',
        'jsonl',
        '--name',
        'big',
        '--data-dir',
        dataDir.path,
      ],
      300_000,
    );
    expect(imported.code, imported.stderr).toBe(0);

    serve = await startServe(dataDir.path);
    // Render the figures with the engine's own sandboxed renderer.
    const client = await connectWebSocket(serve.port, serve.token);
    const lines: string[] = [];
    for (const figure of figures) {
      const code = figure.code.join('\n') + '\n';
      const outcome = await client.call('render.run', {
        code,
        options: {
          mode: 'canonical',
          width: 640,
          height: 480,
          dpi: 100,
          timeoutMs: 60_000,
          memoryMb: 2048,
          trace: false,
        },
        withDataUrl: true,
      });
      expect(outcome.status).toBe('ok');
      const png = Buffer.from(outcome.image!.dataUrl!.split(',')[1]!, 'base64');
      writeFileSync(join(fixtureDir.path, `${figure.uid}.png`), png);
      lines.push(
        JSON.stringify({
          uid: figure.uid,
          image: `${figure.uid}.png`,
          caption: figure.caption,
          code,
          category: figure.category,
        }),
      );
    }
    client.close();
    // One broken row: its image does not exist; it must be reported, not abort the import.
    lines.splice(2, 0, JSON.stringify({ uid: 'lost', image: 'missing.png', caption: 'gone', code: 'x = 1' }));
    writeFileSync(join(fixtureDir.path, 'figures.jsonl'), lines.join('\n') + '\n');

    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 4 * FIRST_RENDER_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dataDir?.cleanup();
    fixtureDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  it('lists the datasets with their counts in the facets sidebar', async () => {
    await page.goto(serve!.url);
    await expect
      .poll(() => page.getByTestId('page-heading').textContent(), { timeout: TIMEOUT_MS })
      .toBe('Datasets');
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid="dataset-row"][data-name="big"] [data-testid="dataset-items"]')
            .textContent(),
        {
          timeout: TIMEOUT_MS,
        },
      )
      .toBe(BIG.toLocaleString('en-US'));
  });

  it('imports a JSONL of real figures through the Import dialog and reports the broken row', async () => {
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-path').fill(join(fixtureDir.path, 'figures.jsonl'));
    await page.getByTestId('import-format').selectOption('jsonl');
    await page.getByTestId('import-name').fill('e2e-figures');
    await screenshot('light-datasets-import-form');
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('import-state').getAttribute('data-state'), { timeout: TIMEOUT_MS })
      .toBe('done');
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-imported').textContent()).toBe(String(figures.length));
    expect(await page.getByTestId('import-errors').textContent()).toBe('1');
    const errorRow = page.getByTestId('import-error-row').first();
    expect(await errorRow.textContent()).toContain('figures.jsonl');
    expect(await errorRow.locator('td').nth(1).textContent()).toBe('3');
    await screenshot('light-datasets-import-report');
    await page.getByTestId('import-open').click();
    await expect
      .poll(
        () =>
          page.locator('[data-testid="dataset-row"][data-name="e2e-figures"]').getAttribute('aria-pressed'),
        {
          timeout: TIMEOUT_MS,
        },
      )
      .toBe('true');
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(figures.length);
    // Thumbnails arrive as images (no placeholders left once loaded).
    await expect
      .poll(() => page.getByTestId('item-grid').locator('img.item-thumb').count(), { timeout: TIMEOUT_MS })
      .toBe(figures.length);
    expect(await page.getByTestId('facet-category').getByTestId('facet-value').count()).toBe(3);
    await screenshot('light-datasets-grid');
  });

  it('moves the selection with j/k and the arrows, and filters by a facet', async () => {
    await page.getByTestId('item-grid').focus();
    await page.keyboard.press('j');
    const selectedUid = () =>
      page.locator('[data-testid="item-cell"][aria-selected="true"]').getAttribute('data-uid');
    expect(await selectedUid()).toBe(figures[0]!.uid);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    expect(await selectedUid()).toBe(figures[2]!.uid);
    await page.keyboard.press('k');
    expect(await selectedUid()).toBe(figures[1]!.uid);
    await page.locator('[data-testid="facet-category"] [data-value="function plot"]').click();
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(2);
    // The count comes from the facets; the cells fill in when their page arrives.
    await expect
      .poll(async () => (await cellsInDom()).map(([, uid]) => uid), { timeout: TIMEOUT_MS })
      .toEqual(['sine-wave', 'cosine-wave']);
    await screenshot('light-datasets-facet');
    await page.locator('[data-testid="facet-category"] [data-value="function plot"]').click();
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(figures.length);
  });

  it('searches with / and shows highlighted snippets as text, never as HTML', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'search-input',
    );
    await page.keyboard.type('fruit');
    await expect.poll(() => page.getByTestId('search-hit').count(), { timeout: TIMEOUT_MS }).toBe(1);
    const snippet = page.getByTestId('search-hit').first().getByTestId('snippet');
    expect((await snippet.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain('fruit');
    expect(await snippet.locator('img').count()).toBe(0);
    await page.getByTestId('search-input').fill('wave');
    await expect.poll(() => page.getByTestId('search-hit').count(), { timeout: TIMEOUT_MS }).toBe(2);
    await screenshot('light-datasets-search');
  });

  it('opens an item: zoomable image, Markdown + LaTeX caption, read-only Python code', async () => {
    await page.getByTestId('search-input').fill('sine');
    await expect
      .poll(() => page.getByTestId('search-hit').first().getAttribute('data-uid'), { timeout: TIMEOUT_MS })
      .toBe('sine-wave');
    await page.getByTestId('search-input').press('Enter');
    const detail = page.getByTestId('item-detail');
    await detail.waitFor();
    expect(await page.getByTestId('detail-uid').textContent()).toBe('sine-wave');
    await page.getByTestId('detail-image').locator('img').waitFor();
    expect(await page.getByTestId('caption').locator('strong').textContent()).toBe('sine');
    expect(await page.getByTestId('caption').locator('.katex').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('caption').locator('.katex-display').count()).toBe(1);
    expect(await page.getByTestId('detail-code').getAttribute('data-readonly')).toBe('true');
    expect(await page.getByTestId('detail-code').locator('.cm-content').textContent()).toContain('np.sin(x)');
    const before = await page.getByTestId('zoom-level').textContent();
    await page.getByTestId('zoom-in').click();
    await page.getByTestId('zoom-in').click();
    expect(await page.getByTestId('zoom-level').textContent()).not.toBe(before);
    await page.getByTestId('zoom-fit').click();
    expect(await page.getByTestId('zoom-level').textContent()).toBe(before);
    await screenshot('light-datasets-detail');
  });

  it('re-renders the item: reference, render and difference side by side, a match, and the trace', async () => {
    await page.getByTestId('rerender').click();
    await page.getByTestId('rerender-result').waitFor({ timeout: FIRST_RENDER_MS });
    expect(await page.getByTestId('rerender-status').getAttribute('data-status')).toBe('ok');
    const verdict = page.getByTestId('rerender-result').getByTestId('verification-badge');
    expect(await verdict.getAttribute('data-status')).toBe('match');
    expect(Number(await page.getByTestId('rerender-ssim').textContent())).toBeGreaterThan(0.9);
    for (const pane of ['compare-reference', 'compare-render', 'compare-diff']) {
      expect(await page.getByTestId(pane).locator('img').count(), pane).toBe(1);
    }
    expect(await page.getByTestId('trace-node').count()).toBeGreaterThan(0);
    await screenshot('light-datasets-rerender');
  });

  it('tags the item and edits its note; the tag facet counts it', async () => {
    await page.getByTestId('tag-input').fill('reviewed');
    await page.getByTestId('tag-input').press('Enter');
    await page.locator('[data-testid="item-tag"][data-tag="reviewed"]').waitFor();
    await page.getByTestId('tag-input').fill('todo');
    await page.getByTestId('tag-add').click();
    const todo = page.locator('[data-testid="item-tag"][data-tag="todo"]');
    await todo.waitFor();
    await todo.getByTestId('tag-remove').click();
    await expect.poll(() => todo.count(), { timeout: TIMEOUT_MS }).toBe(0);
    await page.getByTestId('note-input').fill('Checked by the e2e test.');
    await page.getByTestId('note-save').click();
    await expect.poll(() => page.getByTestId('note-save').isDisabled(), { timeout: TIMEOUT_MS }).toBe(true);
    await screenshot('light-datasets-tagged');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('item-detail').count()).toBe(0);
    await page.getByTestId('search-input').fill('');
    const tagFacet = page.locator('[data-testid="facet-tag"] [data-value="reviewed"]');
    await expect
      .poll(() => tagFacet.locator('.facet__count').textContent(), { timeout: TIMEOUT_MS })
      .toBe('1');
    await tagFacet.click();
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(1);
    expect((await cellsInDom()).map(([, uid]) => uid)).toEqual(['sine-wave']);
    const verified = page.locator('[data-testid="facet-verification"] [data-value="match"]');
    expect(await verified.locator('.facet__count').textContent()).toBe('1');
    await tagFacet.click();
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(figures.length);
  });

  it('keeps only visible rows in the DOM at 20,000 items and jumps far down to the right items', async () => {
    await openDataset('big');
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(BIG);
    for (const view of ['table', 'grid'] as const) {
      await page.getByTestId(`view-${view}`).click();
      const scroller = page.getByTestId(view === 'grid' ? 'item-grid' : 'item-table-body');
      await expect.poll(async () => (await cellsInDom()).length, { timeout: TIMEOUT_MS }).toBeGreaterThan(0);
      const top = await cellsInDom();
      expect(top.length).toBeLessThan(120);
      expect(top[0]).toEqual([0, bigUid(0)]);
      // Jump to 80% of the scroll length, as a scrollbar drag does.
      await scroller.evaluate((el) => el.scrollTo(0, (el.scrollHeight - el.clientHeight) * 0.8));
      await expect
        .poll(
          async () => {
            const cells = await cellsInDom();
            return (
              cells.length > 0 &&
              (cells[0]![0] as number) > BIG * 0.7 &&
              cells.every(([, uid]) => uid !== null)
            );
          },
          { timeout: TIMEOUT_MS },
        )
        .toBe(true);
      const far = await cellsInDom();
      expect(far.length).toBeLessThan(120);
      const firstIndex = far[0]![0] as number;
      expect(firstIndex).toBeGreaterThan(BIG * 0.7);
      for (const [index, uid] of far) expect(uid).toBe(bigUid(index as number));
      await screenshot(`light-datasets-big-${view}`);
      // End selects the last item and brings it into view.
      await scroller.focus();
      await page.keyboard.press('End');
      await expect
        .poll(
          () => page.locator('[data-testid="item-cell"][aria-selected="true"]').getAttribute('data-uid'),
          {
            timeout: TIMEOUT_MS,
          },
        )
        .toBe(bigUid(BIG - 1));
      await page.keyboard.press('Home');
      await expect
        .poll(
          () => page.locator('[data-testid="item-cell"][aria-selected="true"]').getAttribute('data-uid'),
          {
            timeout: TIMEOUT_MS,
          },
        )
        .toBe(bigUid(0));
    }
  });

  it('looks right in the dark theme too', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await openDataset('e2e-figures');
    await expect.poll(count, { timeout: TIMEOUT_MS }).toBe(figures.length);
    await screenshot('dark-datasets-grid');
    await page.getByTestId('item-grid').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByTestId('item-detail').waitFor();
    await page.getByTestId('detail-image').locator('img').waitFor();
    await screenshot('dark-datasets-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('logged no page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
