import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { promisify } from 'node:util';

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

export async function probePython(path: string, signal?: AbortSignal): Promise<PythonInfo | null> {
  try {
    const { stdout } = await run(path, ['-c', PROBE], {
      timeout: 20_000,
      signal,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', MPLBACKEND: 'Agg' },
    });
    const info = JSON.parse(stdout.trim()) as PythonInfo;
    return { ...info, executable: realpathSync(info.executable) };
  } catch {
    return null;
  }
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
