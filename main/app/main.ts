import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, app, dialog, session, shell } from 'electron';
import type { MessageBoxOptions } from 'electron';
import { resolveDataDir } from '../store/dataDir';
import { EngineHost } from './engineHost';
import type { EngineFatal, EngineReady } from './engineHost';
import { installAppMenu } from './menu';
import { secureSession, secureWebContents } from './security';
import type { RendererSource } from './security';
import { WINDOW_TITLE, createMainWindow } from './window';

/**
 * The Electron main process: windows, menu and dialogs only. The engine runs in a utilityProcess and each
 * window talks to it over its own MessagePort; nothing heavy and no API traffic runs here.
 */

const PRODUCT_NAME = WINDOW_TITLE;

/** `--data-dir=DIR` or `--data-dir DIR` on the app's own command line (relative to where it was started). */
function dataDirFlag(argv: readonly string[]): string | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg.startsWith('--data-dir=')) return resolve(arg.slice('--data-dir='.length));
    if (arg === '--data-dir' && argv[index + 1]) return resolve(argv[index + 1] as string);
  }
  return undefined;
}

/**
 * Picks the data dir (flag, then CODEPERCEPT_HOME, then userData) and the Chromium profile. An explicit data
 * dir gets its own profile inside it, because the single-instance lock is per profile: that makes it one app
 * per data dir, so two data dirs (or two test runs) can each have a window.
 */
function chooseDataDir(): string {
  // Set explicitly so `electron .` and `electron out/main/index.js` (Playwright) agree on the folder.
  const defaultUserData = join(app.getPath('appData'), PRODUCT_NAME);
  const chosen = resolveDataDir({ flag: dataDirFlag(process.argv), electronUserData: defaultUserData });
  const dataDir = resolve(chosen.path);
  app.setPath('userData', chosen.source === 'electron' ? defaultUserData : join(dataDir, 'electron-profile'));
  return dataDir;
}

function rendererSource(): RendererSource {
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  if (devServerUrl && !app.isPackaged) return { kind: 'devServer', url: devServerUrl };
  const path = join(import.meta.dirname, '../renderer/index.html');
  return { kind: 'file', path, url: pathToFileURL(path).href };
}

app.setName(PRODUCT_NAME);
const dataDir = chooseDataDir();
let engine: EngineHost | undefined;
let engineReady: EngineReady | undefined;
let quitting = false;
let engineStopped = false;

function startEngine(): void {
  engineReady = undefined;
  engine = new EngineHost({
    entry: join(import.meta.dirname, 'engine.js'),
    dataDir,
    onReady: (ready) => {
      engineReady = ready;
      console.log(`[main] engine ${ready.version} ready, data in ${ready.dataDir}`);
    },
    onFatal: showFatalAndQuit,
    onUnexpectedExit: (code, stderrTail) => void offerEngineRestart(code, stderrTail),
  });
}

function showFatalAndQuit(fatal: EngineFatal): void {
  console.error(
    `[main] the engine could not start: ${fatal.code}: ${fatal.message}${fatal.hint ? ` (${fatal.hint})` : ''}`,
  );
  const text = fatal.hint ? `${fatal.message}\n\n${fatal.hint}` : fatal.message;
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, text);
  app.quit();
}

async function offerEngineRestart(code: number, stderrTail: string): Promise<void> {
  console.error(`[main] the engine exited unexpectedly with code ${code}`);
  if (quitting) return;
  const options: MessageBoxOptions = {
    type: 'error',
    title: 'Engine stopped',
    message: 'The CodePercept engine stopped unexpectedly.',
    detail:
      `Exit code ${code}. Restarting the engine reloads the window; calls that were running are lost.` +
      (stderrTail ? `\n\nLast output of the engine:\n${stderrTail}` : ''),
    buttons: ['Restart Engine', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  };
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const { response } = parent
    ? await dialog.showMessageBox(parent, options)
    : await dialog.showMessageBox(options);
  if (response !== 0 || quitting) {
    app.quit();
    return;
  }
  startEngine();
  // Each page still holds a port to the dead engine; a reload gives it a fresh one (see onPageLoaded).
  for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
}

function openWindow(source: RendererSource): BrowserWindow {
  return createMainWindow({
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    source,
    onPageLoaded: (window) => engine?.attach(window.webContents),
  });
}

function focusExistingWindow(): void {
  const window = BrowserWindow.getAllWindows()[0];
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

async function openDataFolder(): Promise<void> {
  const failure = await shell.openPath(dataDir);
  if (failure) dialog.showErrorBox('Could not open the data folder', `${dataDir}\n\n${failure}`);
}

function showAbout(): void {
  const options: MessageBoxOptions = {
    type: 'info',
    title: `About ${PRODUCT_NAME}`,
    message: PRODUCT_NAME,
    detail: [
      `Engine: ${engineReady ? engineReady.version : 'not running'}`,
      `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
      `Data folder: ${dataDir}`,
    ].join('\n'),
    buttons: ['OK'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

function startApp(): void {
  const source = rendererSource();
  secureSession(session.defaultSession, source);
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, source));
  installAppMenu({ openDataFolder: () => void openDataFolder(), showAbout });
  startEngine();
  openWindow(source);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(source);
  });
}

if (!app.requestSingleInstanceLock()) {
  console.log(`[main] ${PRODUCT_NAME} is already running with ${dataDir}; switching to that window.`);
  app.quit();
} else {
  app.on('second-instance', focusExistingWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  // The engine closes its database cleanly before the app exits; quitting resumes once it has gone.
  app.on('will-quit', (event) => {
    if (!engine || engineStopped) return;
    event.preventDefault();
    void engine.stop().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(startApp)
    .catch((error: unknown) => {
      console.error('[main] startup failed:', error);
      dialog.showErrorBox(
        `${PRODUCT_NAME} could not start`,
        error instanceof Error ? error.message : String(error),
      );
      app.quit();
    });
}
