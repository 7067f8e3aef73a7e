import { ApiError } from '../api/errors';
import type { RenderWorker, RenderJobRequest } from './renderWorker';
import type { WorkerResult } from './workerProtocol';

export type LaneState = 'starting' | 'idle' | 'busy' | 'restarting' | 'stopped';

export interface LaneHealth {
  state: LaneState;
  restarts: number;
  jobs: number;
  /** The worker's process (bwrap's, in bwrap mode). */
  pid: number | null;
}

export interface RenderPoolOptions {
  size: number;
  startWorker: () => Promise<RenderWorker>;
  /** Jobs waiting beyond this make `render()` wait for room (back-pressure), default 4 per worker. */
  maxQueue?: number;
  onHealth?: () => void;
  log?: (message: string) => void;
}

interface QueuedJob {
  request: RenderJobRequest;
  signal: AbortSignal | undefined;
  resolve: (result: WorkerResult) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
}

interface Lane {
  worker: RenderWorker | null;
  state: LaneState;
  restarts: number;
  jobs: number;
}

function cancelled(): ApiError {
  return new ApiError({ code: 'CANCELLED', message: 'The render was cancelled.' });
}

/**
 * N warm workers and a bounded queue. A dead worker is replaced on demand; if no worker can be started at all
 * (no Python, broken sandbox), the queued jobs fail with that reason instead of waiting forever.
 */
export class RenderPool {
  private readonly lanes: Lane[];
  private readonly queue: QueuedJob[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private readonly maxQueue: number;
  private disposed = false;
  private lastStartError: Error | null = null;
  private lastReady: RenderWorker['ready'] | null = null;

  constructor(private readonly options: RenderPoolOptions) {
    this.lanes = Array.from({ length: Math.max(1, options.size) }, () => ({
      worker: null,
      state: 'stopped',
      restarts: 0,
      jobs: 0,
    }));
    this.maxQueue = options.maxQueue ?? Math.max(1, options.size) * 4;
  }

  get queued(): number {
    return this.queue.length;
  }

  get startError(): Error | null {
    return this.lastStartError;
  }

  health(): LaneHealth[] {
    return this.lanes.map(({ state, restarts, jobs, worker }) => ({
      state,
      restarts,
      jobs,
      pid: worker?.pid ?? null,
    }));
  }

  /** The first live worker's self-description (versions, sandbox), once one has started. */
  readyInfo(): RenderWorker['ready'] | null {
    // The last one known when none is alive (one retired or crashed and its replacement starts on demand).
    return this.lanes.find((l) => l.worker)?.worker?.ready ?? this.lastReady;
  }

  /** Starts every worker now instead of on the first job. */
  async warmUp(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => this.ensureWorker(lane)));
  }

  async render(request: RenderJobRequest, signal?: AbortSignal): Promise<WorkerResult> {
    if (this.disposed) throw new ApiError({ code: 'CONFLICT', message: 'The render pool is shut down.' });
    while (this.queue.length >= this.maxQueue) {
      if (signal?.aborted) throw cancelled();
      // An abort wakes this waiter too: a pause aborts every caller at once, and the queued jobs it removes
      // wake only as many waiters as there were jobs, so the others would wait for room forever.
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.roomWaiters.indexOf(wake);
          if (at >= 0) this.roomWaiters.splice(at, 1);
          resolve();
        };
        this.roomWaiters.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    if (signal?.aborted) throw cancelled();
    return new Promise<WorkerResult>((resolve, reject) => {
      const job: QueuedJob = {
        request,
        signal,
        resolve,
        reject,
        onAbort: () => {
          const at = this.queue.indexOf(job);
          if (at >= 0) {
            this.queue.splice(at, 1);
            this.roomWaiters.shift()?.();
            reject(cancelled());
          }
        },
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0))
      job.reject(new ApiError({ code: 'CANCELLED', message: 'The engine is shutting down.' }));
    await Promise.all(this.lanes.map((lane) => lane.worker?.shutdown()));
    for (const lane of this.lanes) lane.state = 'stopped';
  }

  private pump(): void {
    for (const lane of this.lanes) {
      if (this.queue.length === 0) return;
      if (lane.state === 'idle' && lane.worker?.alive) this.run(lane, this.queue.shift()!);
      else if (lane.state === 'stopped') void this.ensureWorker(lane).then(() => this.pump());
    }
  }

  private run(lane: Lane, job: QueuedJob): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    this.roomWaiters.shift()?.();
    lane.state = 'busy';
    lane.jobs++;
    this.options.onHealth?.();
    lane
      .worker!.render(job.request, job.signal)
      .then(job.resolve, job.reject)
      .finally(() => {
        if (lane.worker && !lane.worker.alive) {
          // Retired after this job (its exit, still to come, then belongs to no lane).
          lane.worker = null;
          lane.restarts++;
        }
        if (lane.state === 'busy') lane.state = lane.worker?.alive ? 'idle' : 'stopped';
        this.options.onHealth?.();
        this.pump();
        // A worker that retired itself is replaced now, so the next job does not wait for its start-up.
        if (lane.state === 'stopped') void this.ensureWorker(lane).then(() => this.pump());
      });
  }

  private async ensureWorker(lane: Lane): Promise<void> {
    if (this.disposed || lane.state !== 'stopped') return;
    lane.state = lane.restarts > 0 || lane.jobs > 0 ? 'restarting' : 'starting';
    this.options.onHealth?.();
    try {
      const worker = await this.options.startWorker();
      if (this.disposed) {
        await worker.shutdown();
        return;
      }
      this.lastStartError = null;
      this.lastReady = worker.ready;
      lane.worker = worker;
      lane.state = 'idle';
      worker.onExit((reason) => {
        if (lane.worker !== worker) return;
        lane.worker = null;
        if (this.disposed) return;
        lane.restarts++;
        if (lane.state !== 'busy') lane.state = 'stopped';
        this.options.log?.(reason);
        this.options.onHealth?.();
        if (lane.state === 'stopped') this.pump();
      });
    } catch (error) {
      lane.state = 'stopped';
      this.lastStartError = error instanceof Error ? error : new Error(String(error));
      this.options.log?.(`render worker failed to start: ${this.lastStartError.message}`);
      // With no live worker anywhere, nothing will ever take the queued jobs: fail them with the reason.
      if (!this.lanes.some((l) => l.worker?.alive)) {
        const failure = new ApiError({
          code: 'INTERNAL',
          message: `The Python renderer could not start: ${this.lastStartError.message}`,
          hint: 'Run `codepercept doctor` to check Python, matplotlib and the sandbox.',
        });
        for (const job of this.queue.splice(0)) {
          job.signal?.removeEventListener('abort', job.onAbort);
          job.reject(failure);
        }
        this.roomWaiters.splice(0).forEach((wake) => wake());
      }
    } finally {
      this.options.onHealth?.();
    }
  }
}
