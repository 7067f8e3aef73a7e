import { existsSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PythonInfo } from './pythonDiscovery';

export type SandboxMode = 'bwrap' | 'guards';

export interface WorkerCommandOptions {
  python: PythonInfo;
  /** native/python: the worker script's folder. */
  workerDir: string;
  fontsDir: string;
  mode: SandboxMode;
  bwrapPath?: string;
  /** Seccomp in the job child; off only for diagnosis. */
  seccomp?: boolean;
}

export interface WorkerCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The only environment a render worker sees: nothing of the user's (tokens, keys, proxies) leaks in. */
export function workerEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    MPLBACKEND: 'Agg',
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    // One BLAS thread: determinism, and no thread pools to fork.
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
}

/** Read-only binds the interpreter needs: the system, plus an install outside /usr (venv, conda). */
function systemBinds(python: PythonInfo): string[] {
  const args: string[] = ['--ro-bind', '/usr', '/usr'];
  // Merged-/usr systems have /lib → usr/lib etc.; older ones have real folders.
  for (const [link, target] of [
    ['/lib', 'usr/lib'],
    ['/lib64', 'usr/lib64'],
    ['/lib32', 'usr/lib32'],
    ['/bin', 'usr/bin'],
    ['/sbin', 'usr/sbin'],
  ] as const) {
    if (!existsSync(link)) continue;
    args.push(...(isSymlinkTo(link, target) ? ['--symlink', target, link] : ['--ro-bind', link, link]));
  }
  // What the dynamic loader, fontconfig and Debian's matplotlib read under /etc (no passwd, no keys).
  for (const etc of [
    '/etc/ld.so.cache',
    '/etc/ld.so.conf',
    '/etc/ld.so.conf.d',
    '/etc/alternatives',
    '/etc/fonts',
    '/etc/matplotlibrc',
  ]) {
    args.push('--ro-bind-try', etc, etc);
  }
  for (const dir of new Set([python.prefix, python.basePrefix, dirname(python.executable)])) {
    if (!dir.startsWith('/usr/') && dir !== '/usr') args.push('--ro-bind-try', dir, dir);
  }
  return args;
}

function isSymlinkTo(path: string, target: string): boolean {
  try {
    return readlinkSync(path) === target;
  } catch {
    return false;
  }
}

/**
 * How to start one render worker. In bwrap mode the worker (and every job it forks) lives in its own
 * namespaces: read-only system, a private tmpfs /tmp (job dirs live there), no network, its own PID
 * namespace, and it dies with the engine. Guards mode runs it directly and relies on in-process guards.
 */
export function workerCommand(options: WorkerCommandOptions): WorkerCommand {
  const script = `${options.workerDir}/render_worker.py`;
  const workerArgs = [script, '--sandbox', options.mode, '--fonts-dir', options.fontsDir];
  if (options.seccomp === false) workerArgs.push('--no-seccomp');
  if (options.mode === 'guards') {
    return { file: options.python.executable, args: workerArgs, env: workerEnvironment('/tmp') };
  }
  const env = workerEnvironment('/tmp');
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    ...systemBinds(options.python),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // Mounts apply in order: the private /tmp first, so an app that lives under /tmp (a CI clone) is bound
    // on top of it instead of being hidden by it.
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    options.workerDir,
    options.workerDir,
    '--ro-bind',
    options.fontsDir,
    options.fontsDir,
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, String(v)]),
    '--chdir',
    '/tmp',
    '--',
    options.python.executable,
    ...workerArgs,
  ];
  return { file: options.bwrapPath ?? 'bwrap', args, env };
}
