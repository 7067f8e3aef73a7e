import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { EnvironmentCheck } from '../api/system';
import { discoverPython } from '../render/pythonDiscovery';

const run = promisify(execFile);

export interface EnvironmentCheckOptions {
  dataDir: string;
  /** The configured interpreter (settings or --python); null tries Debian's /usr/bin/python3, then python3 on PATH. */
  pythonPath: string | null;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const MIN_NODE = [20, 19] as const;

/** Runs a probe command; null when it is missing or fails, so a check can say "not found" instead of throwing. */
async function probe(file: string, args: string[], signal?: AbortSignal): Promise<string | null> {
  try {
    const { stdout } = await run(file, args, {
      timeout: 15_000,
      signal,
      env: { ...process.env, LC_ALL: 'C' },
    });
    return stdout.trim();
  } catch {
    return null;
  }
}

export function checkNode(version = process.versions.node): EnvironmentCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    id: 'node',
    label: 'Node.js',
    status: ok ? 'ok' : 'error',
    detail: `v${version}`,
    ...(ok
      ? {}
      : { fix: `Install Node.js ${MIN_NODE.join('.')} or newer (https://nodejs.org or your distribution).` }),
  };
}

export async function checkPython(options: EnvironmentCheckOptions): Promise<EnvironmentCheck[]> {
  const found = await discoverPython(
    { configured: options.pythonPath, env: options.env ?? process.env },
    options.signal,
  );
  const best = found.chosen;
  const tried = found.tried.map((t) => t.candidate.path).join(', ');
  if (!best) {
    return [
      {
        id: 'python',
        label: 'Python',
        status: 'error',
        detail: `not found (tried ${tried})`,
        fix: 'Install Python 3 (Debian/Ubuntu: sudo apt-get install python3 python3-matplotlib), or set the interpreter in Settings / CODEPERCEPT_PYTHON.',
      },
    ];
  }
  const python: EnvironmentCheck = {
    id: 'python',
    label: 'Python',
    status: 'ok',
    detail: `${best.version} (${best.executable}, ${best.source})`,
  };
  const missing = [best.matplotlib ? null : 'matplotlib', best.numpy ? null : 'numpy'].filter(Boolean);
  const matplotlib: EnvironmentCheck =
    missing.length === 0
      ? {
          id: 'matplotlib',
          label: 'matplotlib + numpy',
          status: 'ok',
          detail: `matplotlib ${best.matplotlib}, numpy ${best.numpy}`,
        }
      : {
          id: 'matplotlib',
          label: 'matplotlib + numpy',
          status: 'error',
          detail: `${missing.join(' and ')} not importable from ${best.executable} (tried ${tried})`,
          fix: `Debian/Ubuntu: sudo apt-get install python3-matplotlib (for /usr/bin/python3); otherwise: ${best.executable} -m pip install matplotlib numpy, or choose another interpreter in Settings.`,
        };
  return [python, matplotlib];
}

/** GPU backends llama.cpp can use here. Only presence is probed; the model issue adds real device queries. */
export async function checkGpu(signal?: AbortSignal): Promise<EnvironmentCheck> {
  const found: string[] = [];
  const nvidia = await probe(
    'nvidia-smi',
    ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'],
    signal,
  );
  if (nvidia) found.push(...nvidia.split('\n').map((line) => `CUDA: ${line.trim()}`));
  if (process.platform === 'darwin' && process.arch === 'arm64') found.push('Metal: Apple silicon');
  const vulkan = await probe('vulkaninfo', ['--summary'], signal);
  if (vulkan) {
    const names = [...vulkan.matchAll(/deviceName\s*=\s*(.+)/g)].map((m) => m[1]!.trim());
    found.push(...(names.length ? names.map((n) => `Vulkan: ${n}`) : ['Vulkan: available']));
  }
  if (found.length > 0) return { id: 'gpu', label: 'GPU', status: 'ok', detail: found.join('; ') };
  return {
    id: 'gpu',
    label: 'GPU',
    status: 'warn',
    detail: 'no CUDA, Metal or Vulkan device found — models will run on the CPU (slowly)',
    fix: 'NVIDIA: install the driver so nvidia-smi works; others: install Vulkan drivers (vulkaninfo should list the GPU).',
  };
}

/**
 * bubblewrap isolates the Python renderer; without it the renderer falls back to weaker in-process guards.
 * Installed is not enough (containers often forbid namespaces), so this runs a trivial sandbox.
 */
export async function checkSandbox(signal?: AbortSignal): Promise<EnvironmentCheck> {
  const label = 'Render sandbox';
  if (process.platform !== 'linux') {
    return {
      id: 'sandbox',
      label,
      status: 'warn',
      detail: `bubblewrap is Linux-only; on ${process.platform} model-written code runs with in-process guards only`,
    };
  }
  const version = await probe('bwrap', ['--version'], signal);
  if (!version) {
    return {
      id: 'sandbox',
      label,
      status: 'warn',
      detail: 'bubblewrap (bwrap) not found — model-written code runs with weaker in-process guards only',
      fix: 'sudo apt-get install bubblewrap',
    };
  }
  const works = await probe(
    'bwrap',
    ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'],
    signal,
  );
  return works !== null
    ? {
        id: 'sandbox',
        label,
        status: 'ok',
        detail: `${version}: namespaces work (no network, read-only system, own PIDs)`,
      }
    : {
        id: 'sandbox',
        label,
        status: 'warn',
        detail: `${version} is installed but cannot create namespaces here — model-written code runs with weaker in-process guards only`,
        fix: 'Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the AppArmor bwrap profile on Ubuntu 24.04+), or run outside a restricted container.',
      };
}

export function checkDataDir(dataDir: string): EnvironmentCheck {
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    return {
      id: 'data-dir',
      label: 'Data dir',
      status: 'error',
      detail: `${dataDir} is not writable`,
      fix: 'Fix its permissions or pass --data-dir / set CODEPERCEPT_HOME to a writable folder.',
    };
  }
  const fs = statfsSync(dataDir);
  const freeGiB = (fs.bavail * fs.bsize) / 2 ** 30;
  const low = freeGiB < 2;
  return {
    id: 'data-dir',
    label: 'Data dir',
    status: low ? 'warn' : 'ok',
    detail: `${dataDir} (${freeGiB.toFixed(1)} GiB free)`,
    ...(low ? { fix: 'Free some disk space or move the data dir (--data-dir / CODEPERCEPT_HOME).' } : {}),
  };
}

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.CODEPERCEPT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Only the UI tests need it; the app itself does not. */
export async function checkChromium(
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<EnvironmentCheck> {
  const path = chromiumPath(env);
  const version = path ? await probe(path, ['--version'], signal) : null;
  return version
    ? { id: 'chromium', label: 'Chromium (UI tests)', status: 'ok', detail: `${version} (${path})` }
    : {
        id: 'chromium',
        label: 'Chromium (UI tests)',
        status: 'warn',
        detail: 'not found — needed only to run the end-to-end UI tests',
        fix: 'Debian/Ubuntu: sudo apt-get install chromium (or set CODEPERCEPT_CHROMIUM to a Chromium binary).',
      };
}

export async function runEnvironmentChecks(options: EnvironmentCheckOptions): Promise<EnvironmentCheck[]> {
  const [python, gpu, sandbox, chromium] = await Promise.all([
    checkPython(options),
    checkGpu(options.signal),
    checkSandbox(options.signal),
    checkChromium(options.env, options.signal),
  ]);
  return [checkNode(), ...python, gpu, sandbox, checkDataDir(options.dataDir), chromium];
}
