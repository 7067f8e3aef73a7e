import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messagePortChannel } from '../../main/api/channels';
import type { MessagePortLike } from '../../main/api/channels';
import { createApiClient } from '../../main/api/client';
import {
  PROJECT_ROOT,
  displayProblem,
  electronSqliteBindingPath,
  locateElectron,
} from '../../main/app/electronTooling.mjs';
import { acquireDataDirLock } from '../../main/store/dataDirLock';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';

/**
 * The desktop app's main process, out/main/index.js, twice over:
 * 1. In the real Electron (Playwright): the window opens, the engine answers through the MessagePort main
 *    handed it (the status bar shows a healthy engine over MessagePort), and the page stays sandboxed.
 *    Wherever Electron cannot run, that suite is reported as skipped with the reason in its name, never passed.
 * 2. Against a stand-in for Electron, so main's own logic is tested everywhere: the real engine bundle runs in a
 *    worker thread behind a process.parentPort adapter, with real MessagePorts. This checks what main does
 *    (ports, restart, quit, lockdown settings), not how Electron behaves; only suite 1 shows that.
 */

// ---- 1. The real Electron -------------------------------------------------------------------------------------

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

// ---- 2. The same bundle against a stand-in for Electron ------------------------------------------------------

type LogEntry = [string, ...unknown[]];
type WillNavigate = { url: string; preventDefault(): void };
type PermissionRequest = (
  contents: { getURL(): string },
  permission: string,
  grant: (ok: boolean) => void,
) => void;
type PermissionCheck = (contents: { getURL(): string } | null, permission: string) => boolean;
type HeadersListener = (
  details: { responseHeaders: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;

/** Runs the engine bundle in a worker thread, giving it the `process.parentPort` a utilityProcess has. */
const UTILITY_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
process.parentPort = {
  postMessage: (message) => parentPort.postMessage(message),
  on: (_type, listener) => parentPort.on('message', (message) => listener(message)),
};
import(workerData.entry);
`;

function createElectronStandIn() {
  const log: LogEntry[] = [];
  const record = (...entry: LogEntry) => log.push(entry);
  /** Every port main handed a page, in order. */
  const ports: MessagePort[] = [];
  const dialogAnswers: number[] = [];
  const session: { headers?: HeadersListener; request?: PermissionRequest; check?: PermissionCheck } = {};
  // Never written to: every run here passes --data-dir, which puts the Chromium profile inside it.
  const paths: Record<string, string> = { appData: join(tmpdir(), 'codepercept-stand-in-app-data') };
  const engines: Worker[] = [];

  class App extends EventEmitter {
    isPackaged = false;
    quitted = false;
    setName(name: string) {
      record('app.setName', name);
    }
    getPath(name: string) {
      return paths[name] ?? '';
    }
    setPath(name: string, path: string) {
      paths[name] = path;
      record('app.setPath', name, path);
    }
    requestSingleInstanceLock() {
      return true;
    }
    whenReady() {
      return Promise.resolve();
    }
    quit() {
      record('app.quit');
      this.emit('before-quit');
      let prevented = false;
      this.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.quitted = true;
    }
  }
  const app = new App();

  class WebContents extends EventEmitter {
    url = '';
    windowOpenHandler?: (details: { url: string }) => { action: string };
    constructor() {
      super();
      app.emit('web-contents-created', {}, this);
    }
    isDestroyed() {
      return false;
    }
    getURL() {
      return this.url;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    postMessage(channel: string, _message: unknown, transfer: MessagePort[]) {
      record('webContents.postMessage', channel);
      if (transfer[0]) ports.push(transfer[0]);
    }
    load(url: string) {
      this.url = url;
      setTimeout(() => this.emit('did-finish-load'), 1);
    }
    reload() {
      record('webContents.reload');
      this.load(this.url);
    }
  }

  class BrowserWindow extends EventEmitter {
    static readonly all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    static getFocusedWindow = () => BrowserWindow.all[0] ?? null;
    readonly webContents = new WebContents();
    constructor(readonly options: unknown) {
      super();
      BrowserWindow.all.push(this);
    }
    loadFile(path: string) {
      this.webContents.load(new URL(`file://${path}`).href);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.webContents.load(url);
      return Promise.resolve();
    }
    show() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }

  class UtilityProcess extends EventEmitter {
    readonly worker: Worker;
    readonly stdout: Readable;
    readonly stderr: Readable;
    constructor(entry: string, args: string[]) {
      super();
      this.worker = new Worker(UTILITY_BOOTSTRAP, {
        eval: true,
        argv: args,
        workerData: { entry },
        stdout: true,
      });
      this.stdout = this.worker.stdout;
      this.stderr = this.worker.stderr;
      this.worker.on('message', (message: unknown) => this.emit('message', message));
      this.worker.on('exit', (code) => this.emit('exit', code));
      engines.push(this.worker);
    }
    postMessage(data: unknown, transfer: MessagePort[] = []) {
      if ((data as { type?: string }).type === 'shutdown') record('utilityProcess.shutdown');
      this.worker.postMessage({ data, ports: transfer }, transfer);
    }
    kill() {
      record('utilityProcess.kill');
      void this.worker.terminate();
      return true;
    }
  }

  return {
    app,
    BrowserWindow,
    MessageChannelMain: MessageChannel,
    utilityProcess: {
      fork(entry: string, args: string[], options: unknown) {
        record('utilityProcess.fork', entry, args, options);
        return new UtilityProcess(entry, args);
      },
    },
    dialog: {
      showErrorBox: (title: string, text: string) => record('dialog.showErrorBox', title, text),
      showMessageBox: (...args: unknown[]) => {
        record('dialog.showMessageBox', args.at(-1));
        return Promise.resolve({ response: dialogAnswers.shift() ?? 1 });
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: HeadersListener) => (session.headers = listener) },
        setPermissionRequestHandler: (handler: PermissionRequest) => (session.request = handler),
        setPermissionCheckHandler: (handler: PermissionCheck) => (session.check = handler),
      },
    },
    shell: {
      openExternal: (url: string) => Promise.resolve(record('shell.openExternal', url)),
      openPath: () => Promise.resolve(''),
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} },
    standIn: { log, ports, dialogAnswers, session, engines },
  };
}

type ElectronStandIn = ReturnType<typeof createElectronStandIn>;

/**
 * Imports main afresh, with a fresh stand-in and `--data-dir` on its command line: main's module state is the
 * app's state, so each import is one app run.
 */
async function startMain(dataDir: string): Promise<ElectronStandIn> {
  let electronStandIn: ElectronStandIn | undefined;
  vi.resetModules();
  vi.doMock('electron', () => (electronStandIn = createElectronStandIn()));
  process.argv = [process.execPath, MAIN_BUNDLE, '--data-dir', dataDir];
  await import(/* @vite-ignore */ MAIN_BUNDLE);
  if (!electronStandIn) throw new Error('main did not import electron');
  return electronStandIn;
}

/** The n-th port main handed a page (0 = the first load's). */
function portNumber(electronStandIn: ElectronStandIn, n: number): Promise<MessagePort> {
  return waitFor(`port #${n} to reach the page`, () => electronStandIn.standIn.ports[n]);
}

async function askEngine(port: MessagePort) {
  // Node's MessagePort is an EventTarget with `data` on its events, as the page's DOM MessagePort is.
  const client = createApiClient(messagePortChannel(port as unknown as MessagePortLike));
  const health = await client.call('system.health', {});
  const info = await client.call('system.info', {});
  client.close();
  return { health, info };
}

const standInSkip = existsSync(MAIN_BUNDLE) ? null : 'out/main/index.js is missing (run npm run build)';
const standInName = `desktop main process with a stand-in for Electron${standInSkip ? ` — NOT RUN: ${standInSkip}` : ''}`;

describe.skipIf(standInSkip !== null)(standInName, () => {
  let dataDir: ReturnType<typeof makeTempDir>;
  let electronStandIn: ElectronStandIn;
  const argvBefore = process.argv;

  beforeAll(async () => {
    dataDir = makeTempDir('codepercept-main-');
    electronStandIn = await startMain(dataDir.path);
  });

  afterAll(async () => {
    process.argv = argvBefore;
    await Promise.all(electronStandIn?.standIn.engines.map((worker) => worker.terminate()) ?? []);
    dataDir?.cleanup();
  });

  it('starts the engine bundle with the data dir and gives the page a port the engine answers on', async () => {
    const fork = electronStandIn.standIn.log.find(([what]) => what === 'utilityProcess.fork');
    expect(fork).toEqual([
      'utilityProcess.fork',
      join(PROJECT_ROOT, 'out', 'main', 'engine.js'),
      [`--data-dir=${dataDir.path}`],
      { serviceName: 'CodePercept engine', stdio: 'pipe' },
    ]);
    const { health, info } = await askEngine(await portNumber(electronStandIn, 0));
    expect(health.ok).toBe(true);
    expect(info.transport).toBe('messageport');
    expect(info.dataDir).toBe(dataDir.path);
  });

  it('locks the window down: sandboxed preload, CSP, no permissions, no navigation away, no new windows', () => {
    const [window] = electronStandIn.BrowserWindow.getAllWindows();
    expect(window?.options).toMatchObject({
      title: 'CodePercept Workbench',
      webPreferences: {
        preload: join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    const { session, log } = electronStandIn.standIn;
    let csp: string[] | undefined;
    session.headers?.(
      { responseHeaders: {} },
      (response) => (csp = response.responseHeaders['Content-Security-Policy']),
    );
    expect(csp).toEqual([
      "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; " +
        "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ]);

    const contents = window!.webContents;
    const granted: boolean[] = [];
    session.request?.(contents, 'media', (ok) => granted.push(ok));
    session.request?.(contents, 'clipboard-sanitized-write', (ok) => granted.push(ok));
    session.request?.({ getURL: () => 'https://example.com/' }, 'clipboard-sanitized-write', (ok) =>
      granted.push(ok),
    );
    expect(granted).toEqual([false, true, false]);
    expect(session.check?.(contents, 'geolocation')).toBe(false);

    const navigationBlocked = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', {
        url,
        preventDefault: () => (prevented = true),
      } satisfies WillNavigate);
      return prevented;
    };
    expect(navigationBlocked(`${contents.getURL()}#/jobs`)).toBe(false);
    expect(navigationBlocked('file:///etc/passwd')).toBe(true);
    expect(navigationBlocked('https://example.com/paper')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    // Web links (only those) go to the system browser instead.
    const external = log.filter(([what]) => what === 'shell.openExternal').map(([, url]) => url);
    expect(external).toEqual(['https://example.com/paper', 'https://example.org/']);
  });

  it('offers a restart when the engine dies, then reloads the page onto the new engine', async () => {
    electronStandIn.standIn.dialogAnswers.push(0);
    await electronStandIn.standIn.engines[0]?.terminate();
    const { health } = await askEngine(await portNumber(electronStandIn, 1));
    expect(health.ok).toBe(true);
    const offered = electronStandIn.standIn.log.find(([what]) => what === 'dialog.showMessageBox');
    expect(offered?.[1]).toMatchObject({ buttons: ['Restart Engine', 'Quit'] });
    expect(electronStandIn.standIn.log.some(([what]) => what === 'webContents.reload')).toBe(true);
  });

  it('asks the engine to shut down and waits for it before the app quits (no kill needed)', async () => {
    electronStandIn.app.quit();
    await waitFor('the app to finish quitting', () => electronStandIn.app.quitted);
    const order = electronStandIn.standIn.log
      .map(([what]) => what)
      .filter(
        (what) =>
          what.startsWith('app.quit') ||
          (what.startsWith('utilityProcess.') && what !== 'utilityProcess.fork'),
      );
    expect(order).toEqual(['app.quit', 'utilityProcess.shutdown', 'app.quit']);
  });

  it("shows the engine's refusal with its hint and quits when the data dir is taken", async () => {
    const lockedDir = makeTempDir('codepercept-locked-');
    const lock = acquireDataDirLock(lockedDir.path, 'electron-smoke test');
    try {
      const refused = await startMain(lockedDir.path);
      await waitFor('the app to quit', () => refused.app.quitted);
      const shown = refused.standIn.log.find(([what]) => what === 'dialog.showErrorBox');
      expect(shown?.[1]).toBe('CodePercept Workbench could not start');
      expect(shown?.[2]).toMatch(/in use by process .*\n\n.*--data-dir/s);
    } finally {
      lock.release();
      lockedDir.cleanup();
    }
  });
});
