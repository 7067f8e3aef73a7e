import { execFile } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** What an interpreter reported about itself: enough to run and to sandbox it. */
export interface PythonInfo {
  /** Resolved path of the interpreter binary (symlinks followed, so bwrap can bind it). */
  executable: string;
  version: string;
  matplotlib: string | null;
  numpy: string | null;
  /** sys.prefix and sys.base_prefix: a virtualenv or conda install outside /usr must be bound into the sandbox. */
  prefix: string;
  basePrefix: string;
}

export type PythonSource = 'configured' | 'env' | 'bundled' | 'system' | 'path';

export interface PythonCandidate {
  path: string;
  source: PythonSource;
}

export interface DiscoveredPython {
  /** The interpreter to use: the first that imports matplotlib and numpy, else the best one found. */
  chosen: (PythonInfo & { source: PythonSource }) | null;
  /** Every candidate tried, with what it lacked, so doctor can say exactly what is missing. */
  tried: { candidate: PythonCandidate; info: PythonInfo | null }[];
}

const PROBE = [
  'import json, sys',
  'out = {"executable": sys.executable, "version": sys.version.split()[0], "matplotlib": None, "numpy": None,',
  '       "prefix": sys.prefix, "basePrefix": sys.base_prefix}',
  'try:\n    import matplotlib; out["matplotlib"] = matplotlib.__version__\nexcept Exception: pass',
  'try:\n    import numpy; out["numpy"] = numpy.__version__\nexcept Exception: pass',
  'print(json.dumps(out))',
].join('\n');

/**
 * The order the design fixes: the user's choice (Settings, then CODEPERCEPT_PYTHON) alone if set; else a runtime
 * bundled with a packaged app; else Debian's /usr/bin/python3; else whatever python3 is on PATH.
 */
export function pythonCandidates(options: {
  configured: string | null;
  env?: NodeJS.ProcessEnv;
  bundled?: string | null;
}): PythonCandidate[] {
  const env = options.env ?? process.env;
  if (options.configured) return [{ path: options.configured, source: 'configured' }];
  if (env.CODEPERCEPT_PYTHON) return [{ path: env.CODEPERCEPT_PYTHON, source: 'env' }];
  const list: PythonCandidate[] = [];
  if (options.bundled && existsSync(options.bundled)) list.push({ path: options.bundled, source: 'bundled' });
  list.push({ path: '/usr/bin/python3', source: 'system' }, { path: 'python3', source: 'path' });
  return list;
}

const probeReplySchema = z.object({
  executable: z.string().min(1).max(4096),
  version: z.string().max(64),
  matplotlib: z.string().max(64).nullable(),
  numpy: z.string().max(64).nullable(),
  prefix: z.string().max(4096),
  basePrefix: z.string().max(4096),
});

/**
 * Asks an interpreter about itself. Isolated mode (`-I`: no current directory or script folder on sys.path,
 * no PYTHON* variables, no user site) from a neutral working directory, so a `json.py` in the folder the
 * user started from (a downloaded dataset) is never imported on the host. The reply is bounded and checked.
 */
export async function probePython(path: string, signal?: AbortSignal): Promise<PythonInfo | null> {
  try {
    const { stdout } = await run(path, ['-I', '-c', PROBE], {
      timeout: 20_000,
      signal,
      cwd: '/',
      maxBuffer: 64 * 1024,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', MPLBACKEND: 'Agg' },
    });
    const info = probeReplySchema.parse(JSON.parse(stdout.trim()));
    return { ...info, executable: realpathSync(info.executable) };
  } catch {
    return null;
  }
}

/** Why a path the user typed as the Python interpreter is refused, or null when it is a usable one. */
export async function checkPythonPath(path: string, signal?: AbortSignal): Promise<string | null> {
  if (!isAbsolute(path)) return `${path} is not an absolute path.`;
  let real: string;
  try {
    real = realpathSync(path);
    const info = statSync(real);
    if (!info.isFile()) return `${path} is not a file.`;
    if ((info.mode & 0o111) === 0) return `${path} is not executable.`;
  } catch {
    return `${path} does not exist.`;
  }
  // Checked before the file is ever run: the setting names an interpreter, not any program.
  if (!/^python[0-9.]*$/.test(basename(real)))
    return `${path} (${real}) is not a Python interpreter: its name must be python, python3 or python3.N.`;
  const info = await probePython(path, signal);
  if (!info) return `${path} did not answer as a Python interpreter.`;
  const missing = [info.matplotlib ? null : 'matplotlib', info.numpy ? null : 'numpy'].filter(Boolean);
  if (missing.length > 0) return `${path} (Python ${info.version}) cannot import ${missing.join(' and ')}.`;
  return null;
}

export async function discoverPython(
  options: { configured: string | null; env?: NodeJS.ProcessEnv; bundled?: string | null },
  signal?: AbortSignal,
): Promise<DiscoveredPython> {
  const tried: DiscoveredPython['tried'] = [];
  let fallback: DiscoveredPython['chosen'] = null;
  for (const candidate of pythonCandidates(options)) {
    const info = await probePython(candidate.path, signal);
    tried.push({ candidate, info });
    if (!info) continue;
    if (info.matplotlib && info.numpy) return { chosen: { ...info, source: candidate.source }, tried };
    fallback ??= { ...info, source: candidate.source };
  }
  return { chosen: fallback, tried };
}
