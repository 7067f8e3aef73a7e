// `npm start`: the desktop app when this machine can run it, otherwise the headless mode (`codepercept serve`),
// saying why. Arguments are passed on to whichever starts (e.g. --data-dir DIR, --port N).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  PROJECT_ROOT,
  checkSqliteBinding,
  displayProblem,
  electronSandboxArgs,
  electronSqliteBindingPath,
  locateElectron,
} from '../main/app/electronTooling.mjs';

const ELECTRON_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const PREBUILT_DOWNLOAD_TIMEOUT_MS = 2 * 60_000;
const COMPILE_TIMEOUT_MS = 20 * 60_000;
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';
/** What `npm run build` produces: the desktop app's main bundle and the CLI that `serve` runs. */
const BUILD_OUTPUTS = ['out/main/index.js', 'out/node/cli.js'];

const require = createRequire(join(PROJECT_ROOT, 'package.json'));

function say(message) {
  console.log(`[start] ${message}`);
}

/**
 * Runs a command with its output shown. `what` names it for people ("the Electron download").
 * Returns { code, failure }, failure being null or a one-line reason.
 */
function runShown(what, command, args, options = {}) {
  const shown = [command === process.execPath ? 'node' : command, ...args]
    .map((part) => part.replace(PROJECT_ROOT, ''))
    .join(' ');
  say(`Running ${what}: ${shown}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: PROJECT_ROOT, ...options });
  if (result.error?.code === 'ETIMEDOUT') {
    return { code: 1, failure: `${what} did not finish within ${Math.round(options.timeout / 1000)} s` };
  }
  if (result.error) return { code: 1, failure: `${what} could not run (${result.error.message})` };
  if (result.status !== 0) {
    return {
      code: result.status ?? 1,
      failure: `${what} failed (${result.signal ?? `exit code ${result.status}`})`,
    };
  }
  return { code: 0, failure: null };
}

/** npm through the same npm that runs this script when there is one (no `npm.cmd` shell needed on Windows). */
function npmInvocation(args) {
  if (process.env.npm_execpath) return [process.execPath, [process.env.npm_execpath, ...args], {}];
  return ['npm', args, { shell: process.platform === 'win32' }];
}

function ensureBuilt() {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(join(PROJECT_ROOT, file)));
  if (missing.length === 0) return;
  say(`${missing.join(' and ')} missing, so building first.`);
  const [command, args, options] = npmInvocation(['run', 'build']);
  const { code, failure } = runShown('the build', command, args, options);
  if (failure) {
    console.error(`[start] ${failure}. Fix the errors above, then run npm start again.`);
    process.exit(code);
  }
}

/** The Electron binary, downloading it once if it is missing. Returns { electron } or { problem }. */
function ensureElectron() {
  const found = locateElectron();
  if (found.path) return { electron: found };
  say(`Electron is not installed: ${found.problem}. Trying to download it now.`);
  const installer = join(PROJECT_ROOT, 'node_modules', 'electron', 'install.js');
  const { failure } = runShown('the Electron download', process.execPath, [installer], {
    timeout: ELECTRON_DOWNLOAD_TIMEOUT_MS,
  });
  const retried = locateElectron();
  if (retried.path) return { electron: retried };
  return {
    problem:
      `Electron ${found.version} is not installed and could not be downloaded: ${failure ?? retried.problem} ` +
      `(the download needs access to GitHub's release servers)`,
  };
}

/** A copy of better-sqlite3's sources, so building for Electron never touches the Node build the CLI uses. */
function copyBetterSqlite(workDir) {
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const copy = join(workDir, 'better-sqlite3');
  cpSync(source, copy, { recursive: true, filter: (path) => path !== join(source, 'build') });
  return copy;
}

/** better-sqlite3 publishes modules prebuilt for Electron's ABI: no compiler needed, only GitHub. */
function downloadPrebuiltBinding(moduleDir, electronVersion) {
  return runShown(
    'the download of better-sqlite3 prebuilt for Electron',
    process.execPath,
    [
      require.resolve('prebuild-install/bin.js'),
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      `--platform=${process.platform}`,
    ],
    { cwd: moduleDir, timeout: PREBUILT_DOWNLOAD_TIMEOUT_MS },
  ).failure;
}

/** node-gyp ships inside npm; asking npm for it avoids fetching another copy. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/** Compiles against Electron's headers (downloaded by node-gyp from electronjs.org); needs a C++ toolchain. */
function compileBinding(moduleDir, electronVersion) {
  const nodeGyp = findNodeGyp();
  if (!nodeGyp)
    return 'node-gyp was not found (it ships with npm; or add @electron/rebuild as a devDependency)';
  // An npm `nodedir` setting (this machine's ~/.npmrc has one) would make node-gyp build against Node's
  // headers instead of Electron's, producing a module with the wrong ABI.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
  );
  return runShown(
    `the compilation of better-sqlite3 for Electron ${electronVersion}`,
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      `--dist-url=${ELECTRON_HEADERS_URL}`,
      '--jobs=max',
    ],
    { cwd: moduleDir, env, timeout: COMPILE_TIMEOUT_MS },
  ).failure;
}

/**
 * better-sqlite3 is a native module and Electron has its own ABI, so the app needs its own build of it, kept
 * in .cache/electron-native/<version>/ and handed to the engine through CODEPERCEPT_SQLITE_BINDING.
 * Returns { binding } or { problem }.
 */
function ensureElectronSqliteBinding(electron) {
  const target = electronSqliteBindingPath(electron.version);
  if (existsSync(target)) {
    const problem = checkSqliteBinding(electron.path, target);
    if (!problem) return { binding: target };
    say(
      `The cached Electron build of better-sqlite3 (${target}) does not load (${problem}); making it again.`,
    );
  }
  const reasons = [];
  const workDir = mkdtempSync(join(tmpdir(), 'codepercept-sqlite-'));
  try {
    const moduleDir = copyBetterSqlite(workDir);
    for (const attempt of [downloadPrebuiltBinding, compileBinding]) {
      const failure = attempt(moduleDir, electron.version);
      if (failure) {
        reasons.push(failure);
        continue;
      }
      const built = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
      const problem = checkSqliteBinding(electron.path, built);
      if (problem) {
        reasons.push(`the module it produced does not load in Electron (${problem})`);
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(built, target);
      say(`better-sqlite3 for Electron ${electron.version} is ready: ${target}`);
      return { binding: target };
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    problem:
      `better-sqlite3 has no build for Electron ${electron.version} and none could be made: ${reasons.join('; ')}. ` +
      `Both ways need the network (GitHub for the prebuilt module, ${ELECTRON_HEADERS_URL} for the headers to compile against)`,
  };
}

/** Everything the desktop app needs, or the first reason it cannot start here. */
function prepareDesktop() {
  // No display means no window, so there is no point downloading or building anything for one.
  const noDisplay = displayProblem();
  if (noDisplay) return { problem: noDisplay };
  const { electron, problem } = ensureElectron();
  if (problem) return { problem };
  const sqlite = ensureElectronSqliteBinding(electron);
  if (sqlite.problem) return { problem: sqlite.problem };
  return { electronPath: electron.path, sqliteBinding: sqlite.binding };
}

/** Runs the app in the foreground and exits with its exit code. */
function runToEnd(command, args, env) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: PROJECT_ROOT, env });
  // Ctrl+C already reaches the child (same terminal process group), so a second copy is not sent; other
  // termination signals are passed on so the child can shut down cleanly (the engine closes its database).
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`[start] could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

function startDesktop({ electronPath, sqliteBinding }, userArgs) {
  const sandboxArgs = electronSandboxArgs();
  if (sandboxArgs.length > 0) say('Running as root: Chromium needs --no-sandbox to start at all.');
  const env = { ...process.env, CODEPERCEPT_SQLITE_BINDING: sqliteBinding };
  // Inherited from a parent tool, this would make Electron behave as plain Node and open no window.
  delete env.ELECTRON_RUN_AS_NODE;
  say(`Starting the desktop app (Electron ${electronPath}).`);
  runToEnd(electronPath, [...sandboxArgs, '.', ...userArgs], env);
}

function startHeadless(problem, userArgs) {
  console.error(`[start] The desktop app cannot start on this machine: ${problem}.`);
  console.error(
    '[start] Starting the headless mode instead (codepercept serve): open the URL it prints in a browser.',
  );
  runToEnd(
    process.execPath,
    [join(PROJECT_ROOT, 'bin', 'codepercept.js'), 'serve', ...userArgs],
    process.env,
  );
}

const userArgs = process.argv.slice(2);
ensureBuilt();
const desktop = prepareDesktop();
if (desktop.problem) startHeadless(desktop.problem, userArgs);
else startDesktop(desktop, userArgs);
