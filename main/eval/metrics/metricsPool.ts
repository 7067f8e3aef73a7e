import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
// Loaded on this thread before any worker: glibc would otherwise unload libvips when the first worker that
// used it exits, and the next one would crash (sharp's documented worker-thread caveat).
import 'sharp';
import type { MetricsComputer } from './metricsComputer';
import { COMPUTED_METRIC_VERSIONS, METRICS_PROTOCOL_VERSION, metricsReplySchema } from './metricsProtocol';
import type { MetricsReply, MetricsRequest, MetricsTask } from './metricsProtocol';
import type { MetricsSide, PairMetrics } from './pairMetrics';
import type { RenderComparison } from './renderComparison';
import { metricsWorkerEntry } from './metricsWorkerPath';

/** More threads than this only fight the render workers and the models for the same cores. */
export const MAX_METRICS_WORKERS = 8;

/** One thread per core but one (the engine's own event loop), at least one, at most MAX_METRICS_WORKERS. */
export function defaultMetricsPoolSize(cores: number = availableParallelism()): number {
  return Math.min(MAX_METRICS_WORKERS, Math.max(1, cores - 1));
}

/** How long dispose() lets a busy worker finish before terminating it anyway. */
const DISPOSE_GRACE_MS = 5_000;

export type MetricsWorkerErrorCode = 'WORKER_CRASHED' | 'WORKER_MISMATCH' | 'POOL_DISPOSED';

/** A failure of the pool itself, not of the metric: the task never got an answer. */
export class MetricsWorkerError extends Error {
  override readonly name = 'MetricsWorkerError';
  constructor(
    readonly code: MetricsWorkerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface MetricsPoolOptions {
  /** Worker threads; default defaultMetricsPoolSize(). */
  size?: number;
  /** The worker file, looked up when the first worker starts (engines that never score need no build). */
  entry?: () => string;
  log?: (message: string, error?: unknown) => void;
}

interface Task {
  id: number;
  request: MetricsRequest;
  transfer: ArrayBuffer[];
  signal: AbortSignal | undefined;
  settled: boolean;
  resolve: (reply: MetricsReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** The uncaught error the worker died of, reported when it exits. */
  crash: Error | null;
  /** Set when the worker said it speaks another protocol: retired once its current task is answered. */
  stale: MetricsWorkerError | null;
  /** Called when the slot's task is answered or the worker exits (dispose waits on it). */
  onIdle: (() => void) | null;
}

/**
 * Image metrics on worker threads, so the engine's event loop (which serves the API) never blocks on SSIM or
 * PNG decoding. Each worker runs one task at a time; tasks wait in a queue in arrival order. An aborted task
 * leaves the queue at once; a running one finishes in its worker, but its caller is answered with the abort
 * and the result is dropped. A worker that dies fails its task with a MetricsWorkerError and is replaced on
 * the next task. Workers start on first use and do not keep the process alive while idle.
 */
export class MetricsPool implements MetricsComputer {
  readonly size: number;
  private readonly entry: () => string;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  /**
   * Unanswered tasks by signal, with one abort listener per signal: an eval job passes one signal to all its
   * items, and a listener per queued task would pile dozens onto it.
   */
  private readonly watched = new Map<AbortSignal, { tasks: Set<Task>; onAbort: () => void }>();
  private nextId = 1;
  private disposed = false;

  constructor(options: MetricsPoolOptions = {}) {
    const size = options.size ?? defaultMetricsPoolSize();
    if (!Number.isInteger(size) || size < 1 || size > MAX_METRICS_WORKERS)
      throw new RangeError(`A metrics pool has 1 to ${MAX_METRICS_WORKERS} workers, not ${size}.`);
    this.size = size;
    this.entry = options.entry ?? (() => metricsWorkerEntry());
    this.log = options.log ?? (() => {});
  }

  /** Workers started and alive now (at most `size`). */
  get workers(): number {
    return this.slots.length;
  }

  /** Tasks waiting for a free worker. */
  get queued(): number {
    return this.queue.length;
  }

  async pairMetrics(
    candidate: MetricsSide,
    reference: MetricsSide,
    signal?: AbortSignal,
  ): Promise<PairMetrics> {
    const candidatePng = ownCopy(candidate.png);
    const referencePng = ownCopy(reference.png);
    const reply = await this.submit(
      {
        kind: 'pair',
        candidate: { png: candidatePng, trace: candidate.trace },
        reference: { png: referencePng, trace: reference.trace },
      },
      [candidatePng.buffer, referencePng.buffer],
      signal,
    );
    if (reply.type !== 'pair') throw this.mismatch(`a ${reply.type} reply to a pair task`);
    return reply.value;
  }

  async compareRenders(
    referencePng: Uint8Array,
    renderPng: Uint8Array,
    signal?: AbortSignal,
  ): Promise<RenderComparison> {
    const reference = ownCopy(referencePng);
    const render = ownCopy(renderPng);
    const reply = await this.submit(
      { kind: 'compare', referencePng: reference, renderPng: render },
      [reference.buffer, render.buffer],
      signal,
    );
    if (reply.type !== 'compare') throw this.mismatch(`a ${reply.type} reply to a compare task`);
    return reply.value;
  }

  /**
   * Fails queued and running tasks, lets busy workers finish what they compute (terminating a thread while
   * sharp decodes in it can bring down the whole process), then terminates every worker.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const gone = () =>
      new MetricsWorkerError('POOL_DISPOSED', 'The metrics pool was shut down (the engine is stopping).');
    for (const task of this.queue.splice(0)) this.settle(task, () => task.reject(gone()));
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        if (slot.task) {
          const task = slot.task;
          this.settle(task, () => task.reject(gone()));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, DISPOSE_GRACE_MS);
            slot.onIdle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        await slot.worker.terminate();
      }),
    );
  }

  private submit(
    task: MetricsTask,
    transfer: ArrayBuffer[],
    signal: AbortSignal | undefined,
  ): Promise<MetricsReply> {
    if (this.disposed)
      return Promise.reject(new MetricsWorkerError('POOL_DISPOSED', 'The metrics pool is shut down.'));
    signal?.throwIfAborted();
    return new Promise<MetricsReply>((resolve, reject) => {
      const id = this.nextId++;
      const entry: Task = {
        id,
        request: { protocol: METRICS_PROTOCOL_VERSION, id, task },
        transfer,
        signal,
        settled: false,
        resolve,
        reject,
      };
      if (signal) this.watch(signal, entry);
      this.queue.push(entry);
      this.pump();
    });
  }

  private watch(signal: AbortSignal, task: Task): void {
    let watch = this.watched.get(signal);
    if (!watch) {
      const tasks = new Set<Task>();
      const onAbort = () => {
        for (const aborted of [...tasks]) {
          const queued = this.queue.indexOf(aborted);
          if (queued >= 0) this.queue.splice(queued, 1);
          // A running task keeps its worker until it answers; that answer is then dropped.
          this.settle(aborted, () => aborted.reject(signal.reason as Error));
        }
      };
      watch = { tasks, onAbort };
      this.watched.set(signal, watch);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watch.tasks.add(task);
  }

  private unwatch(task: Task): void {
    const watch = task.signal && this.watched.get(task.signal);
    if (!watch) return;
    watch.tasks.delete(task);
    if (watch.tasks.size > 0) return;
    this.watched.delete(task.signal!);
    task.signal!.removeEventListener('abort', watch.onAbort);
  }

  /** Answers a task once: later answers (a result after an abort, a crash after dispose) are dropped. */
  private settle(task: Task, answer: () => void): void {
    if (task.settled) return;
    task.settled = true;
    this.unwatch(task);
    answer();
  }

  /** Hands queued tasks to idle workers, starting workers up to `size`. */
  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        try {
          slot = this.spawn();
        } catch (error) {
          // No worker can start (typically: not built); every queued task would fail the same way.
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const task of this.queue.splice(0)) this.settle(task, () => task.reject(failure));
          return;
        }
      }
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      try {
        slot.worker.postMessage(task.request, task.transfer);
      } catch (error) {
        slot.task = null;
        slot.worker.unref();
        this.settle(task, () => task.reject(error instanceof Error ? error : new Error(String(error))));
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry(), { name: 'codepercept-metrics' });
    const slot: Slot = { worker, task: null, crash: null, stale: null, onIdle: null };
    worker.unref();
    worker.on('message', (message: unknown) => this.onMessage(slot, message));
    // A reply that cannot be deserialized would otherwise leave its task waiting forever.
    worker.on('messageerror', (error) =>
      this.retire(slot, this.mismatch(`a reply it cannot read (${error.message})`)),
    );
    worker.on('error', (error) => {
      slot.crash = error;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: unknown): void {
    const parsed = metricsReplySchema.safeParse(message);
    if (!parsed.success)
      return this.retire(slot, this.mismatch(`a reply it cannot read (${parsed.error.message})`));
    const reply = parsed.data;
    if (reply.type === 'ready') {
      // Not retired now: it may be decoding already, and a thread must not be terminated inside sharp. Its
      // first answer is refused instead (the worker posts `ready` before any answer).
      const theirs = JSON.stringify(reply.versions);
      const ours = JSON.stringify(COMPUTED_METRIC_VERSIONS);
      if (reply.protocol !== METRICS_PROTOCOL_VERSION)
        slot.stale = this.mismatch(
          `protocol ${reply.protocol}; this engine speaks ${METRICS_PROTOCOL_VERSION}`,
        );
      else if (theirs !== ours)
        slot.stale = this.mismatch(`metric versions ${theirs}; this engine computes ${ours}`);
      return;
    }
    if (slot.stale) return this.retire(slot, slot.stale);
    const task = slot.task;
    if (!task || reply.id !== task.id)
      return this.retire(slot, this.mismatch(`an answer to task ${reply.id}, which it was not given`));
    slot.task = null;
    slot.worker.unref();
    if (reply.type === 'failed') {
      // The metric's own error (an image that does not decode): the same name and words as in-thread.
      const error = new Error(reply.message);
      error.name = reply.name;
      this.settle(task, () => task.reject(error));
    } else {
      this.settle(task, () => task.resolve(reply));
    }
    this.idle(slot);
    this.pump();
  }

  private onExit(slot: Slot, code: number): void {
    const known = this.slots.indexOf(slot);
    if (known >= 0) this.slots.splice(known, 1);
    const task = slot.task;
    slot.task = null;
    if (task && !task.settled) {
      const why = slot.crash ? `: ${slot.crash.message}` : '';
      this.log(`metrics worker exited with code ${code} while scoring a pair`, slot.crash ?? undefined);
      this.settle(task, () =>
        task.reject(
          new MetricsWorkerError(
            'WORKER_CRASHED',
            `The metrics worker stopped (exit code ${code}${why}) before scoring this pair. The pool starts a new ` +
              'worker for the next task; retry the item, and report the images if it happens again.',
          ),
        ),
      );
    }
    this.idle(slot);
    // A replacement starts for waiting tasks.
    this.pump();
  }

  /** Takes a misbehaving worker out of the pool, failing its task; a fresh one replaces it on demand. */
  private retire(slot: Slot, error: Error): void {
    const known = this.slots.indexOf(slot);
    if (known >= 0) this.slots.splice(known, 1);
    const task = slot.task;
    slot.task = null;
    if (task) this.settle(task, () => task.reject(error));
    void slot.worker.terminate();
    this.idle(slot);
    this.pump();
  }

  private idle(slot: Slot): void {
    const onIdle = slot.onIdle;
    slot.onIdle = null;
    onIdle?.();
  }

  private mismatch(what: string): MetricsWorkerError {
    return new MetricsWorkerError(
      'WORKER_MISMATCH',
      `The metrics worker sent ${what}: it comes from another build. Run: npm run build`,
    );
  }
}

/**
 * A copy in an ArrayBuffer of its own, to transfer: transferring the caller's buffer would detach it (the
 * perceptual scorer reads the same PNGs), and a Buffer may be a view into a larger shared slab.
 */
function ownCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
