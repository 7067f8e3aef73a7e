import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DataDirSources {
  /** `--data-dir` from the command line. */
  flag?: string | undefined;
  /** Electron's `app.getPath('userData')`, only inside the desktop app. */
  electronUserData?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export interface ResolvedDataDir {
  path: string;
  source: 'flag' | 'env' | 'electron' | 'xdg' | 'platform-default';
}

/**
 * Where the workbench keeps its database and blobs. An explicit choice (flag, then CODEPERCEPT_HOME) wins over
 * the desktop app's userData so a user can point the app at the same data the CLI uses.
 */
export function resolveDataDir(sources: DataDirSources = {}): ResolvedDataDir {
  const env = sources.env ?? process.env;
  const platform = sources.platform ?? process.platform;
  const home = sources.home ?? homedir();
  if (sources.flag) return { path: sources.flag, source: 'flag' };
  if (env.CODEPERCEPT_HOME) return { path: env.CODEPERCEPT_HOME, source: 'env' };
  if (sources.electronUserData) return { path: sources.electronUserData, source: 'electron' };
  if (platform === 'darwin') {
    return { path: join(home, 'Library', 'Application Support', 'CodePercept'), source: 'platform-default' };
  }
  if (platform === 'win32') {
    return {
      path: join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'CodePercept'),
      source: 'platform-default',
    };
  }
  if (env.XDG_DATA_HOME) return { path: join(env.XDG_DATA_HOME, 'codepercept'), source: 'xdg' };
  return { path: join(home, '.local', 'share', 'codepercept'), source: 'xdg' };
}
