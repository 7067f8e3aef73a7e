import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { ApiError } from '../api/errors';
import { renderOptionsSchema } from '../api/render';
import type { RenderHealth, RenderOptionsInput, RenderOutcome } from '../api/render';
import type { WorkbenchStore } from '../store/workbenchStore';
import { findAppPaths } from './appPaths';
import type { AppPaths } from './appPaths';
import { discoverPython } from './pythonDiscovery';
import type { PythonInfo } from './pythonDiscovery';
import { RenderCache, renderEnvironment, renderKey } from './renderCache';
import { RenderPool } from './renderPool';
import { RenderWorker } from './renderWorker';
import { workerCommand } from './sandboxCommand';
import type { SandboxMode } from './sandboxCommand';

const execFileAsync = promisify(execFile);

export type SandboxPreference = 'auto' | SandboxMode;

export interface RenderServiceOptions {
  store: WorkbenchStore;
  /** Where native/python and resources/fonts are; found from the running code when omitted. */
  paths?: AppPaths;
  /** The interpreter chosen in Settings (read at start, so a change applies after a restart of the pool). */
  pythonPath: () => string | null;
  bundledPython?: string | null;
  poolSize?: number;
  sandbox?: SandboxPreference;
  /** Job output kept per stream. */
  maxOutputBytes?: number;
  onHealth?: (health: RenderHealth) => void;
  log?: (message: string) => void;
}

export interface RenderCallOptions {
  signal?: AbortSignal;
  useCache?: boolean;
  withDataUrl?: boolean;
}

interface Started {
  pool: RenderPool;
  python: PythonInfo;
  mode: SandboxMode;
  sandboxWarning: string | null;
}

async function bwrapWorks(): Promise<string | null> {
  if (process.platform !== 'linux') return `bubblewrap is Linux-only (this is ${process.platform})`;
  try {
    await execFileAsync('bwrap', ['--version'], { timeout: 5000 });
    return null;
  } catch {
    return 'bubblewrap (bwrap) is not installed — install it: sudo apt-get install bubblewrap';
  }
}

/**
 * Renders model-written matplotlib code: a pool of sandboxed warm workers behind a cache keyed by code,
 * options and the renderer's versions. Started lazily, so commands that never render never spawn Python.
 */
export class RenderService {
  private started: Promise<Started> | null = null;
  /** The started pool, once `started` has resolved (health() is synchronous). */
  private settled: Started | null = null;
  private readonly cache: RenderCache;
  private state: RenderHealth['state'] = 'not-started';
  private error: string | null = null;

  constructor(private readonly options: RenderServiceOptions) {
    this.cache = new RenderCache(options.store.db, options.store.blobs);
  }

  health(): RenderHealth {
    const started = this.settled;
    const ready = started?.pool.readyInfo() ?? null;
    return {
      state: this.state,
      sandbox: started?.mode ?? null,
      seccomp: ready?.seccomp ?? null,
      sandboxWarning: started?.sandboxWarning ?? null,
      python: started
        ? {
            executable: started.python.executable,
            version: started.python.version,
            matplotlib: started.python.matplotlib ?? '',
            numpy: started.python.numpy ?? '',
          }
        : null,
      rendererVersion: ready?.rendererVersion ?? null,
      workers: started?.pool.health() ?? [],
      queued: started?.pool.queued ?? 0,
      // A pool that started once can still lose the ability to start workers (Python removed, say).
      error: this.error ?? started?.pool.startError?.message ?? null,
    };
  }

  /** Discovers Python, picks the sandbox and warms the workers; safe to call repeatedly. */
  start(): Promise<Started> {
    this.started ??= this.startPool().then(
      (s) => {
        this.settled = s;
        this.state = 'ready';
        this.error = null;
        this.emitHealth();
        return s;
      },
      (error: unknown) => {
        this.started = null;
        this.state = 'error';
        this.error = error instanceof Error ? error.message : String(error);
        this.emitHealth();
        throw error;
      },
    );
    return this.started;
  }

  async render(
    code: string,
    optionsInput: RenderOptionsInput = {},
    call: RenderCallOptions = {},
  ): Promise<RenderOutcome> {
    const options = renderOptionsSchema.parse(optionsInput);
    const { pool } = await this.start();
    const ready = pool.readyInfo();
    if (!ready) throw new ApiError({ code: 'INTERNAL', message: 'The render pool has no worker.' });
    const environment = renderEnvironment(ready);
    const key = renderKey(code, options, environment);
    const hit = call.useCache === false ? null : this.cache.get(key);
    const outcome =
      hit ??
      this.cache.put(
        key,
        await pool.render(
          {
            code,
            mode: options.mode,
            width: options.width,
            height: options.height,
            dpi: options.dpi,
            timeoutMs: options.timeoutMs,
            memoryMb: options.memoryMb,
            // The CPU limit backs up the wall-clock one for code that spins in C without yielding.
            cpuSeconds: Math.ceil(options.timeoutMs / 1000) + 5,
            maxOutputBytes: this.options.maxOutputBytes ?? 64 * 1024,
            trace: options.trace,
          },
          call.signal,
        ),
        environment,
      );
    if (call.signal?.aborted) throw new ApiError({ code: 'CANCELLED', message: 'The render was cancelled.' });
    if (call.withDataUrl && outcome.image) {
      outcome.image = {
        ...outcome.image,
        dataUrl: `data:image/png;base64,${this.options.store.blobs.read(outcome.image.sha256).toString('base64')}`,
      };
    }
    return outcome;
  }

  async dispose(): Promise<void> {
    const started = await this.started?.catch(() => null);
    await started?.pool.dispose();
  }

  private emitHealth(): void {
    this.options.onHealth?.(this.health());
  }

  private async startPool(): Promise<Started> {
    this.state = 'starting';
    this.emitHealth();
    const found = await discoverPython({
      configured: this.options.pythonPath(),
      bundled: this.options.bundledPython ?? null,
    });
    const python = found.chosen;
    if (!python || !python.matplotlib || !python.numpy) {
      const tried = found.tried.map(
        (t) =>
          `${t.candidate.path}${t.info ? ` (matplotlib ${t.info.matplotlib ?? 'missing'}, numpy ${t.info.numpy ?? 'missing'})` : ' (not found)'}`,
      );
      throw new ApiError({
        code: 'INTERNAL',
        message: `No Python with matplotlib and numpy was found. Tried: ${tried.join('; ')}.`,
        hint: 'Debian/Ubuntu: sudo apt-get install python3-matplotlib — or set the interpreter in Settings / CODEPERCEPT_PYTHON.',
      });
    }
    const preference = this.options.sandbox ?? 'auto';
    let mode: SandboxMode = preference === 'guards' ? 'guards' : 'bwrap';
    let sandboxWarning: string | null = null;
    let first: RenderWorker | null = null;
    const paths = this.options.paths ?? findAppPaths();
    const commandFor = (m: SandboxMode) =>
      workerCommand({
        python,
        workerDir: paths.workerDir,
        fontsDir: paths.fontsDir,
        mode: m,
      });

    if (mode === 'bwrap') {
      const missing = await bwrapWorks();
      try {
        if (missing) throw new Error(missing);
        first = await RenderWorker.start(commandFor('bwrap'));
      } catch (error) {
        if (preference === 'bwrap') throw error;
        mode = 'guards';
        sandboxWarning =
          `The strong sandbox is off: ${(error as Error).message.split('\n')[0]!.replace(/\.$/, '')}. Model-written code runs with in-process ` +
          'guards only (no network, subprocess or outside-writes through Python, but native code can bypass them).';
        this.options.log?.(`WARNING: ${sandboxWarning}`);
      }
    } else {
      sandboxWarning =
        'The strong sandbox (bubblewrap) is switched off; model-written code runs with in-process guards only.';
    }
    first ??= await RenderWorker.start(commandFor(mode));

    let handedOver = false;
    const pool = new RenderPool({
      size: this.options.poolSize ?? availableParallelism(),
      startWorker: async () => {
        if (!handedOver && first) {
          handedOver = true;
          return first;
        }
        return RenderWorker.start(commandFor(mode));
      },
      onHealth: () => this.emitHealth(),
      log: (m) => this.options.log?.(m),
    });
    await pool.warmUp();
    return { pool, python, mode, sandboxWarning };
  }
}
