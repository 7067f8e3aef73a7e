import { spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROJECT_ROOT,
  displayProblem,
  electronSqliteBindingPath,
  locateElectron,
} from '../../main/app/electronTooling.mjs';
import { makeTempDir } from '../support/tempDir';

/**
 * The real desktop app: Electron runs out/main/index.js, which starts the engine as a utilityProcess and
 * hands the window a MessagePort. The window must open, the engine must answer through that port (the status
 * bar shows a healthy engine over MessagePort), and the page must stay sandboxed. Wherever Electron cannot
 * run, this file is reported as skipped with the reason in its name: never as passed.
 */

const MAIN_BUNDLE = join(PROJECT_ROOT, 'out', 'main', 'index.js');
const ARTIFACTS = join(PROJECT_ROOT, 'tests', 'e2e', 'artifacts');
const TIMEOUT_MS = 60_000;

const electron = locateElectron();
const sqliteBinding = electronSqliteBindingPath(electron.version);
const xvfb = findOnPath('Xvfb');
const notRunBecause = whyNotRun();
if (notRunBecause) console.warn(`[electron-smoke] NOT RUN: ${notRunBecause}`);

function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

function whyNotRun(): string | null {
  if (!electron.path) return electron.problem ?? 'the Electron binary is missing';
  if (!existsSync(sqliteBinding)) {
    return `there is no Electron build of better-sqlite3 at ${sqliteBinding} (npm start makes one when online)`;
  }
  if (!existsSync(MAIN_BUNDLE)) return 'out/main/index.js is missing (run npm run build)';
  const noDisplay = displayProblem();
  if (noDisplay && !xvfb)
    return `${noDisplay}, and Xvfb is not installed to provide one (apt-get install xvfb)`;
  return null;
}

interface VirtualDisplay {
  display: string;
  stop(): void;
}

/** Starts Xvfb on a free display number, which Xvfb itself picks and writes to fd 3 (-displayfd). */
function startVirtualDisplay(xvfbPath: string): Promise<VirtualDisplay> {
  const child = spawn(xvfbPath, ['-displayfd', '3', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Xvfb named no display within 15 s: ${stderr}`));
    }, 15_000);
    child.on('exit', (code) => reject(new Error(`Xvfb exited with code ${code}: ${stderr}`)));
    let written = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (text: string) => {
      written += text;
      if (!written.includes('\n')) return;
      clearTimeout(timer);
      resolve({ display: `:${written.trim()}`, stop: () => child.kill() });
    });
  });
}

function launchEnv(display: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // Inherited, these would turn Electron into plain Node, point it at a dev server, or at another data dir.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL;
  delete env.CODEPERCEPT_HOME;
  env.CODEPERCEPT_SQLITE_BINDING = sqliteBinding;
  if (display) env.DISPLAY = display;
  return env;
}

const suiteName = notRunBecause
  ? `desktop app in Electron — NOT RUN: ${notRunBecause}`
  : 'desktop app in Electron';

describe.skipIf(notRunBecause !== null)(suiteName, () => {
  let dataDir: ReturnType<typeof makeTempDir>;
  let virtualDisplay: VirtualDisplay | undefined;
  let app: ElectronApplication | undefined;
  let page: Page;
  let output = '';

  const withOutput = (what: string) => `${what}\n--- Electron's output ---\n${output}`;

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-electron-');
    if (displayProblem() && xvfb) virtualDisplay = await startVirtualDisplay(xvfb);
    app = await _electron.launch({
      executablePath: electron.path as string,
      args: [MAIN_BUNDLE, `--data-dir=${dataDir.path}`],
      env: launchEnv(virtualDisplay?.display),
      cwd: PROJECT_ROOT,
      timeout: TIMEOUT_MS,
    });
    app
      .process()
      .stdout?.setEncoding('utf8')
      .on('data', (text: string) => (output += text));
    app
      .process()
      .stderr?.setEncoding('utf8')
      .on('data', (text: string) => (output += text));
    page = await app.firstWindow({ timeout: TIMEOUT_MS });
  }, TIMEOUT_MS * 2);

  afterAll(async () => {
    await app?.close();
    virtualDisplay?.stop();
    dataDir?.cleanup();
  });

  it(
    'opens the workbench window, and the engine answers through the MessagePort main handed it',
    async () => {
      await page.waitForFunction(() => document.title === 'CodePercept Workbench', undefined, {
        timeout: TIMEOUT_MS,
      });
      const healthy = page.locator('[data-testid="status-health"][data-state="ok"]');
      await healthy.waitFor({ timeout: TIMEOUT_MS }).catch((error: unknown) => {
        throw new Error(withOutput(`The status bar never showed a healthy engine: ${String(error)}`));
      });
      expect(await page.getByTestId('status-transport').textContent()).toContain('MessagePort');
      expect(await page.getByTestId('status-data-dir').textContent()).toContain(dataDir.path);
      await page.getByTestId('page-heading').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'electron-window.png') });
    },
    TIMEOUT_MS * 3,
  );

  it('keeps the page sandboxed: no Node, only the preload flag, no eval', async () => {
    const exposed = await page.evaluate(() => {
      let evalAllowed = true;
      try {
        // Indirect eval, so the CSP (no 'unsafe-eval') is what stops it.
        (0, eval)('1');
      } catch {
        evalAllowed = false;
      }
      const scope = globalThis as Record<string, unknown>;
      return {
        require: typeof scope.require,
        process: typeof scope.process,
        bridge: scope.codepercept,
        evalAllowed,
      };
    });
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: { transport: 'messageport' },
      evalAllowed: false,
    });
  });

  it('refuses to navigate away from the app or to open new windows', async () => {
    const appUrl = page.url();
    const opened = await page.evaluate(() => window.open('file:///etc/hostname') !== null);
    await page.evaluate(() => {
      window.location.href = 'file:///etc/hostname';
    });
    await page.waitForTimeout(1000);
    expect(opened).toBe(false);
    expect(page.url()).toBe(appUrl);
    expect(app?.windows()).toHaveLength(1);
  });

  it('quits with the engine, leaving the data dir to the next engine', async () => {
    await app?.close();
    app = undefined;
    expect(output, withOutput('the engine never reported ready')).toMatch(/\[main\] engine .* ready/);
    expect(existsSync(join(dataDir.path, 'workbench.db')), withOutput('workbench.db was not created')).toBe(
      true,
    );
    // The CLI takes the data dir's engine lock, so this fails with DATA_DIR_LOCKED if the engine outlived the app.
    const cli = spawnSync(
      process.execPath,
      ['bin/codepercept.js', 'jobs', 'list', '--data-dir', dataDir.path],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(cli.status, withOutput(`codepercept jobs list: ${cli.stderr}`)).toBe(0);
  });
});
