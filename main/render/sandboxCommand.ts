import { existsSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PythonInfo } from './pythonDiscovery';

export type SandboxMode = 'bwrap' | 'guards';

/** Who a worker started by a root engine serves jobs as: nobody/nogroup, never a uid 0 of any namespace. */
export const UNPRIVILEGED_IDS = { uid: 65534, gid: 65534 } as const;
/** Size of the sandbox's private /tmp: what a job may write beside its address-space limit (tmpfs is RAM). */
export const SCRATCH_MB = 512;
/** Where the worker's code and the fonts appear inside the sandbox: never under the scratch /tmp. */
export const SANDBOX_WORKER_DIR = '/run/codepercept/python';
export const SANDBOX_FONTS_DIR = '/run/codepercept/fonts';

export interface WorkerCommandOptions {
  python: PythonInfo;
  /** native/python: the worker script's folder. */
  workerDir: string;
  fontsDir: string;
  mode: SandboxMode;
  bwrapPath?: string;
  /** Seccomp in the job child; off only for diagnosis. */
  seccomp?: boolean;
  /** The engine's uid (process.getuid()); 0 makes the worker drop to UNPRIVILEGED_IDS before any job. */
  hostUid?: number;
  scratchMb?: number;
}

export interface WorkerCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A neutral working directory: nothing in it is ever imported. */
  cwd: string;
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
 * Namespaces and capabilities. As a normal user bubblewrap maps the sandbox to that user in a new user
 * namespace, drops every capability and forbids nested user namespaces. As root it must not: a user
 * namespace would map the job to host uid 0, which the kernel's sysctl checks treat as root (a job could set
 * core_pattern and have the kernel run its script on the host). So a root engine gets no user namespace, keeps
 * only the capabilities needed to become nobody, and the worker drops to UNPRIVILEGED_IDS before the first job.
 */
function namespaceArgs(asRoot: boolean): string[] {
  if (!asRoot) return ['--unshare-all', '--unshare-user', '--disable-userns', '--cap-drop', 'ALL'];
  return [
    ...['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try'],
    ...['--cap-drop', 'ALL'],
    ...['--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP'],
  ];
}

/**
 * How to start one render worker. In bwrap mode the worker (and every job it forks) lives in its own
 * namespaces with no network: the system, its code and fonts read-only, /proc and /dev read-only (no sysctl,
 * no /proc/<pid>/mem writes), and a private size-limited tmpfs /tmp as the only writable place, emptied after
 * every job. The zygote is the namespace's PID 1 (`--as-pid-1`): besides the job it is the only process there,
 * and it is not dumpable, so a job cannot open its memory. Guards mode runs the worker directly and relies on
 * in-process guards. Either way `-s` keeps user site-packages out; `-I` would also ignore PYTHONHASHSEED,
 * which renders need fixed, and the environment is ours alone anyway.
 */
export function workerCommand(options: WorkerCommandOptions): WorkerCommand {
  const asRoot = (options.hostUid ?? process.getuid?.() ?? -1) === 0;
  const sandboxed = options.mode === 'bwrap';
  const workerDir = sandboxed ? SANDBOX_WORKER_DIR : options.workerDir;
  const fontsDir = sandboxed ? SANDBOX_FONTS_DIR : options.fontsDir;
  const workerArgs = [
    '-s',
    `${workerDir}/render_worker.py`,
    '--sandbox',
    options.mode,
    '--fonts-dir',
    fontsDir,
  ];
  if (options.seccomp === false) workerArgs.push('--no-seccomp');
  if (sandboxed) workerArgs.push('--scratch', '/tmp');
  if (asRoot) workerArgs.push('--drop-to', `${UNPRIVILEGED_IDS.uid}:${UNPRIVILEGED_IDS.gid}`);
  const env = workerEnvironment('/tmp');
  if (!sandboxed) return { file: options.python.executable, args: workerArgs, env, cwd: '/' };
  const scratchBytes = (options.scratchMb ?? SCRATCH_MB) * 1024 * 1024;
  const args = [
    ...namespaceArgs(asRoot),
    '--die-with-parent',
    '--new-session',
    '--as-pid-1',
    ...systemBinds(options.python),
    ...['--proc', '/proc', '--dev', '/dev'],
    ...['--perms', '1777', '--size', String(scratchBytes), '--tmpfs', '/tmp'],
    // bwrap makes missing parents 0700, which a worker that dropped to nobody could not enter.
    ...['--perms', '0755', '--dir', '/run', '--perms', '0755', '--dir', '/run/codepercept'],
    ...['--ro-bind', options.workerDir, SANDBOX_WORKER_DIR],
    ...['--ro-bind', options.fontsDir, SANDBOX_FONTS_DIR],
    // Last: everything above is in place, so nothing but /tmp stays writable.
    ...['--remount-ro', '/proc', '--remount-ro', '/dev', '--remount-ro', '/'],
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, String(v)]),
    '--chdir',
    '/tmp',
    '--',
    options.python.executable,
    ...workerArgs,
  ];
  return { file: options.bwrapPath ?? 'bwrap', args, env, cwd: '/' };
}
