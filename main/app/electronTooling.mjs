// Development-time facts about the Electron runtime, shared by `npm start` (scripts/start.mjs) and the
// Electron smoke test. Plain ESM JavaScript so that plain Node can run it before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const require = createRequire(join(PROJECT_ROOT, 'package.json'));

/**
 * Where the Electron binary is, without downloading it. `require('electron')` answers the same question but,
 * in this Electron version, starts a download with no time limit when the binary is missing, so this reads
 * the same files it reads (path.txt, dist/, ELECTRON_OVERRIDE_DIST_PATH) and leaves downloading to the caller.
 */
export function locateElectron() {
  const packageDir = dirname(require.resolve('electron/package.json'));
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return existsSync(path)
      ? { version, path, problem: null }
      : { version, path: null, problem: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${path} does not exist` };
  }
  if (!relative) {
    return {
      version,
      path: null,
      problem:
        `the Electron ${version} binary was never downloaded (node_modules/electron/path.txt is missing; ` +
        `package.json's allowScripts keeps npm from running electron's download step)`,
    };
  }
  const path = join(packageDir, 'dist', relative);
  if (!existsSync(path)) return { version, path: null, problem: `the Electron binary ${path} is missing` };
  return { version, path, problem: null };
}

/** Where the Electron build of better-sqlite3 lives; Node's own build in node_modules stays for the CLI. */
export function electronSqliteBindingPath(electronVersion) {
  return join(PROJECT_ROOT, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}

/**
 * Opens an in-memory database with `binding` inside Electron's Node (ELECTRON_RUN_AS_NODE), the only place
 * an Electron-ABI module can load. Returns null when it works, else what went wrong.
 */
export function checkSqliteBinding(electronPath, binding) {
  const probe =
    'const Database = require(process.env.BETTER_SQLITE3);' +
    "const db = new Database(':memory:', { nativeBinding: process.env.BINDING });" +
    "console.log(db.prepare('select sqlite_version() as v').get().v);";
  const result = spawnSync(electronPath, ['-e', probe], {
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      BETTER_SQLITE3: require.resolve('better-sqlite3'),
      BINDING: binding,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status === 0) return null;
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-3).join(' ');
  return result.error ? result.error.message : `exit code ${result.status}: ${output}`;
}

/** Why a window cannot be shown on this machine, or null when it can. */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform !== 'linux') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set: a headless machine, or SSH without X forwarding)';
}

/**
 * Chromium refuses to start as root on Linux unless its sandbox is off. Only then is `--no-sandbox` added;
 * the window's own isolation (contextIsolation, sandboxed preload, CSP) is unaffected by it.
 */
export function electronSandboxArgs() {
  const isRoot = process.platform === 'linux' && process.getuid?.() === 0;
  return isRoot ? ['--no-sandbox'] : [];
}
