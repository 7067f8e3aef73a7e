import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromiumPage } from '../support/chromiumPage';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

/**
 * The Models page in Chromium against the real `codepercept serve`: write the random-weight test models,
 * see them listed with a "will it fit" estimate, load the text model in its host process (progress → ready),
 * stream an answer in the playground with tokens/s, stop a long one, unload; then add an endpoint that points
 * at a small OpenAI-compatible server this test runs, test the connection and chat through it.
 * Screenshots go to tests/e2e/artifacts/ for a person to look at.
 */

const TIMEOUT_MS = 60_000;
/** A host process starts node-llama-cpp's native code: slow on a busy 2-core machine. */
const LOAD_MS = 120_000;

const REMOTE_MODEL = 'tiny-remote';
const REMOTE_WORDS = ['Hello', ' from', ' the', ' fake', ' server', '.'];
const API_KEY = 'sk-e2e-secret';

interface FakeServer {
  server: Server;
  baseUrl: string;
  /** Authorization headers the server saw, in order. */
  authorizations: (string | undefined)[];
  chatRequests: Record<string, unknown>[];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (d: Buffer) => (body += d.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** `/v1/models` and a streaming `/v1/chat/completions` that sends one word every 40 ms, then usage. */
async function startFakeOpenAiServer(): Promise<FakeServer> {
  const authorizations: (string | undefined)[] = [];
  const chatRequests: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    if (request.method === 'GET' && request.url === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: REMOTE_MODEL, object: 'model' }] }));
      return;
    }
    if (request.method === 'POST' && request.url === '/v1/chat/completions') {
      void readBody(request).then(async (body) => {
        chatRequests.push(JSON.parse(body) as Record<string, unknown>);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
        for (const word of REMOTE_WORDS) {
          send({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
          await new Promise((r) => setTimeout(r, 40));
        }
        send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        send({ choices: [], usage: { prompt_tokens: 9, completion_tokens: REMOTE_WORDS.length } });
        response.end('data: [DONE]\n\n');
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}/v1`, authorizations, chatRequests };
}

describe('Models page in Chromium against codepercept serve', { timeout: 3 * LOAD_MS }, () => {
  let dataDir: { path: string; cleanup: () => void };
  let serve: ServeProcess | undefined;
  let fake: FakeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let screenshot: (name: string) => Promise<Buffer>;

  const row = (name: RegExp) =>
    page.getByTestId('model-file').filter({ has: page.getByTestId('model-file-title').getByText(name) });
  const phase = () => page.getByTestId('chat-output').getAttribute('data-phase');
  const openTab = async (tab: 'local' | 'playground' | 'endpoints') => {
    await page.getByTestId(`models-tab-${tab}`).click();
    expect(await page.getByTestId(`models-tab-${tab}`).getAttribute('aria-selected')).toBe('true');
  };
  /** Records every distinct value `read` gives on the page, from now on, under window[key]. */
  const recordInPage = (key: string, selector: string, attribute: string | null) =>
    page.evaluate(
      ({ key, selector, attribute }) => {
        const seen: string[] = [];
        (window as unknown as Record<string, unknown>)[key] = seen;
        const read = () => {
          const el = document.querySelector(selector);
          if (!el) return;
          const value = attribute ? el.getAttribute(attribute) : el.textContent;
          if (value !== null && seen[seen.length - 1] !== value) seen.push(value);
        };
        new MutationObserver(read).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      },
      { key, selector, attribute },
    );
  const recorded = (key: string) =>
    page.evaluate((key) => (window as unknown as Record<string, string[]>)[key] ?? [], key);

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-e2e-models-');
    fake = await startFakeOpenAiServer();
    serve = await startServe(dataDir.path);
    ({ browser, page, pageErrors, screenshot } = await openChromiumPage(TIMEOUT_MS));
  }, 2 * TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await new Promise((resolve) => fake?.server.close(resolve));
    dataDir?.cleanup();
  }, 2 * TIMEOUT_MS);

  it('starts with no model files and offers the test models', async () => {
    await page.goto(serve!.url);
    await page.getByTestId('nav-models').click();
    await expect
      .poll(() => page.getByTestId('page-heading').textContent(), { timeout: TIMEOUT_MS })
      .toBe('Models');
    await page.getByTestId('model-files-empty').waitFor();
    expect(await page.getByTestId('loaded-empty').isVisible()).toBe(true);
    expect(await page.getByTestId('load-submit').isDisabled()).toBe(true);
  });

  it('makes the test models and lists them with metadata and a fit estimate', async () => {
    await page.getByTestId('make-test-models').click();
    const text = row(/^tiny-text\.gguf$/);
    await text.waitFor();
    expect(await text.getAttribute('data-kind')).toBe('text');
    expect(await row(/^tiny-vision\.gguf$/).getAttribute('data-kind')).toBe('vision');
    expect(await row(/^mmproj-tiny-vision\.gguf$/).getAttribute('data-kind')).toBe('projector');
    expect(await text.getByTestId('model-origin').textContent()).toBe('in folder');
    expect(await text.getByTestId('model-params').textContent()).toMatch(/^\d+(\.\d+)?K$/);
    expect(await text.locator('td').nth(4).textContent()).toBe('F32');
    expect(await text.locator('td').nth(5).textContent()).toBe('4K');
    // Fit estimates run one at a time, each in a short-lived host.
    const fit = text.getByTestId('model-fit');
    await expect.poll(() => fit.getAttribute('data-fit'), { timeout: LOAD_MS }).toBe('fits');
    expect(await fit.textContent()).toMatch(/Fits.*RAM \d/);
    expect(((await text.getByTestId('model-fit-note').textContent()) ?? '').length).toBeGreaterThan(5);
    const vision = row(/^tiny-vision\.gguf$/).getByTestId('model-fit');
    await expect.poll(() => vision.getAttribute('data-fit'), { timeout: LOAD_MS }).toMatch(/fits|no|error/);
    expect(
      await row(/^mmproj-tiny-vision\.gguf$/)
        .getByTestId('model-fit')
        .count(),
    ).toBe(0);
    await page.getByTestId('model-files').scrollIntoViewIfNeeded();
    await screenshot('models-files');
  });

  it('loads the text model: a progress bar, then ready with its host pid and memory', async () => {
    await row(/^tiny-text\.gguf$/)
      .getByTestId('model-choose')
      .click();
    expect(await page.getByTestId('load-model').inputValue()).toMatch(/tiny-text\.gguf$/);
    await page.getByTestId('load-context').fill('1024');
    await page.getByTestId('load-gpu-layers').fill('many');
    expect(await page.getByTestId('load-problem').textContent()).toMatch(/GPU layers/);
    expect(await page.getByTestId('load-submit').isDisabled()).toBe(true);
    await page.getByTestId('load-gpu-layers').fill('auto');
    await recordInPage('loadStates', '[data-testid="loaded-model"]', 'data-state');
    await recordInPage('loadProgress', '[data-testid="loaded-progress"]', 'aria-valuenow');
    await page.getByTestId('load-submit').click();
    const loaded = page.getByTestId('loaded-model').first();
    await loaded.waitFor();
    await expect.poll(() => loaded.getAttribute('data-state'), { timeout: LOAD_MS }).toBe('ready');
    expect(await recorded('loadStates')).toEqual(['loading', 'ready']);
    expect((await recorded('loadProgress')).length).toBeGreaterThanOrEqual(1);
    expect(Number(await loaded.getByTestId('loaded-pid').textContent())).toBeGreaterThan(1);
    await expect.poll(() => loaded.getByTestId('loaded-memory').textContent()).toMatch(/^RAM \d/);
    expect(await loaded.getByTestId('loaded-gpu').textContent()).not.toBe('—');
    expect(await page.getByTestId('models-tab-local').textContent()).toContain('1 loaded');
    await page.getByTestId('model-files').evaluate((el) => el.closest('main')?.scrollTo(0, 0));
    await screenshot('models-loaded');
  });

  it('streams an answer in the playground with token counts and tokens/s', async () => {
    await openTab('playground');
    expect(await page.getByTestId('chat-target').inputValue()).not.toBe('');
    expect(await page.getByTestId('chat-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('chat-problem').textContent()).toBe('Write a prompt.');
    await page.getByTestId('chat-prompt').fill('Describe a line chart with two series.');
    await page.getByTestId('chat-max-tokens').fill('16');
    await page.getByTestId('chat-seed').fill('7');
    await recordInPage('streamed', '[data-testid="chat-text"]', null);
    await page.getByTestId('chat-run').click();
    await expect.poll(phase, { timeout: LOAD_MS }).toBe('done');
    // The text grew chunk by chunk before the final answer.
    expect((await recorded('streamed')).length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('chat-tokens').textContent()).toMatch(
      /^\d+ prompt \+ 16 completion tokens$/,
    );
    expect(await page.getByTestId('chat-rate').textContent()).toMatch(/^\d+(\.\d+)? tok\/s$/);
    await screenshot('models-playground-answer');
  });

  it('stops a long generation', async () => {
    await page.getByTestId('chat-max-tokens').fill('4000');
    await page.getByTestId('chat-run').click();
    await expect.poll(phase).toBe('running');
    expect(await page.getByTestId('chat-run').isDisabled()).toBe(true);
    // Wait for tokens to flow (and a live speed to show), so Stop interrupts generation, not the prompt.
    await expect
      .poll(() => page.getByTestId('chat-rate').textContent(), { timeout: LOAD_MS })
      .toMatch(/tok\/s$/);
    await screenshot('models-playground-streaming');
    await page.getByTestId('chat-stop').click();
    await expect.poll(phase).toBe('stopped');
    expect(await page.getByTestId('chat-stats').textContent()).toMatch(
      /^Stopped after .+ and \d+ tokens\d+(\.\d+)? tok\/s$/,
    );
    expect(await page.getByTestId('chat-run').isEnabled()).toBe(true);
    await screenshot('models-playground-stopped');
    // The host stopped generating and answers the next call at once.
    await page.getByTestId('chat-max-tokens').fill('4');
    await page.getByTestId('chat-run').click();
    await expect.poll(phase, { timeout: TIMEOUT_MS }).toBe('done');
  });

  it('unloads the model', async () => {
    await openTab('local');
    await page.getByTestId('loaded-model').first().getByTestId('loaded-unload').click();
    await page.getByTestId('loaded-empty').waitFor();
    await openTab('playground');
    expect(await page.getByTestId('chat-problem').textContent()).toMatch(/Load a model or add an endpoint/);
  });

  it('adds an endpoint, tests the connection before and after saving, and keeps the key write-only', async () => {
    await openTab('endpoints');
    await page.getByTestId('endpoints-empty').waitFor();
    await page.getByTestId('endpoint-new').click();
    await page.getByTestId('endpoint-name').fill('lab-vllm');
    await page.getByTestId('endpoint-baseUrl').fill('not a url');
    await page.getByTestId('endpoint-model').fill(REMOTE_MODEL);
    expect(await page.getByTestId('endpoint-problem').textContent()).toMatch(/http\(s\) URL/);
    await page.getByTestId('endpoint-baseUrl').fill(fake!.baseUrl);
    await page.getByTestId('endpoint-apiKey').fill(API_KEY);
    await page.getByTestId('endpoint-maxConcurrency').fill('2');
    await page.getByTestId('endpoint-editor-test-button').click();
    const unsaved = page.getByTestId('endpoint-editor-test');
    await expect.poll(() => unsaved.getAttribute('data-ok')).toBe('true');
    await page.getByTestId('endpoint-save').click();
    const endpoint = page.getByTestId('endpoint-row').filter({ hasText: 'lab-vllm' });
    await endpoint.waitFor();
    expect(await endpoint.getByTestId('endpoint-key').textContent()).toBe('set');
    expect(await page.getByTestId('models-tab-endpoints').textContent()).toContain('1');

    await endpoint.getByTestId('endpoint-test').click();
    const result = page.getByTestId('endpoint-test-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('endpoint-test-result-message').textContent()).toContain(
      `"${REMOTE_MODEL}" is served`,
    );
    expect(await page.getByTestId('endpoint-test-result-latency').textContent()).toMatch(/^latency \d+ ms$/);
    expect(await page.getByTestId('endpoint-test-result-models').textContent()).toContain(REMOTE_MODEL);
    expect(fake!.authorizations.filter((a) => a === `Bearer ${API_KEY}`).length).toBe(2);

    // Editing shows that a key is stored, never the key itself.
    await endpoint.getByTestId('endpoint-edit').click();
    expect(await page.getByTestId('endpoint-key-stored').textContent()).toBe('set');
    expect(await page.getByTestId('endpoint-apiKey').inputValue()).toBe('');
    expect(await page.getByTestId('endpoint-name').getAttribute('readonly')).not.toBeNull();
    expect(await page.content()).not.toContain(API_KEY);
    await screenshot('models-endpoints');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('endpoint-editor').waitFor({ state: 'detached' });
  });

  it('chats through the endpoint in the playground', async () => {
    await openTab('playground');
    await page.getByTestId('chat-target').selectOption(`openai:lab-vllm`);
    await page.getByTestId('chat-prompt').fill('Say hello.');
    await page.getByTestId('chat-max-tokens').fill('32');
    await recordInPage('remoteStream', '[data-testid="chat-text"]', null);
    await page.getByTestId('chat-run').click();
    await expect.poll(phase, { timeout: TIMEOUT_MS }).toBe('done');
    expect(await page.getByTestId('chat-text').textContent()).toBe(REMOTE_WORDS.join(''));
    expect((await recorded('remoteStream')).length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('chat-tokens').textContent()).toBe(
      `9 prompt + ${REMOTE_WORDS.length} completion tokens`,
    );
    expect(fake!.chatRequests.at(-1)).toMatchObject({ model: REMOTE_MODEL, max_tokens: 32, stream: true });
    await screenshot('models-playground-endpoint');
  });

  it('looks right in the dark theme', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot('models-playground-dark');
    await openTab('local');
    await screenshot('models-local-dark');
    await page.getByTestId('theme-toggle').click();
  });

  it('logged no page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
