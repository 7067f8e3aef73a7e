import { BrowserWindow } from 'electron';
import type { RendererSource } from './security';

export const WINDOW_TITLE = 'CodePercept Workbench';

export interface MainWindowOptions {
  preload: string;
  source: RendererSource;
  /** Called after every load of the page (first load and reloads): each page gets a fresh engine port. */
  onPageLoaded(window: BrowserWindow): void;
}

/** The workbench window: a sandboxed page that sees nothing of Node or Electron beyond what the preload exposes. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => options.onPageLoaded(window));

  const loading =
    options.source.kind === 'devServer'
      ? window.loadURL(options.source.url)
      : window.loadFile(options.source.path);
  loading.catch((error: unknown) =>
    console.error('[main] the window could not load the workbench page:', error),
  );
  return window;
}
