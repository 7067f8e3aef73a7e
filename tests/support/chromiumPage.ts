import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { repoRoot } from './serveProcess';

export const ARTIFACTS = join(repoRoot, 'tests/e2e/artifacts');
export const CHROMIUM = process.env.CODEPERCEPT_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialing out, and this machine refuses every try.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, to assert none happened. */
  pageErrors: string[];
  screenshot(name: string): Promise<Buffer>;
}

/** Debian's Chromium, headless, one 1280×800 page; fails with the fix when the UI or Chromium is missing. */
export async function openChromiumPage(timeoutMs: number): Promise<ChromiumPage> {
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
    throw new Error('The UI is not built (out/renderer/index.html missing). Run: npm run build');
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}; install it (apt install chromium) or set CODEPERCEPT_CHROMIUM.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  return {
    browser,
    context,
    page,
    pageErrors,
    screenshot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) }),
  };
}
