import { describe, expect, it } from 'vitest';
import { RenderPool } from '../../main/render/renderPool';
import type { RenderJobRequest, RenderWorker } from '../../main/render/renderWorker';
import type { WorkerResult } from '../../main/render/workerProtocol';

// A stand-in for the Python worker so the pool's scheduling can be tested exactly; the real worker is covered
// by tests/integration/render.
class FakeWorker {
  alive = true;
  busy = false;
  pid = Math.floor(Math.random() * 1e6);
  readonly ready = { rendererVersion: 'fake' } as RenderWorker['ready'];
  private exitListeners: ((reason: string) => void)[] = [];
  private release: (() => void) | null = null;

  constructor(readonly log: string[]) {}

  onExit(l: (reason: string) => void) {
    this.exitListeners.push(l);
    return () => undefined;
  }

  async render(request: RenderJobRequest, signal?: AbortSignal): Promise<WorkerResult> {
    this.busy = true;
    this.log.push(`start ${request.code}`);
    await new Promise<void>((resolve) => {
      this.release = resolve;
      signal?.addEventListener('abort', () => resolve(), { once: true });
      if (request.code.startsWith('fast')) resolve();
    });
    this.busy = false;
    if (!this.alive) return result(request.code, 'killed');
    return result(request.code, signal?.aborted ? 'killed' : 'ok');
  }

  finish() {
    this.release?.();
  }

  die() {
    this.alive = false;
    this.release?.();
    for (const l of this.exitListeners) l('fake worker died');
  }

  async shutdown() {
    this.alive = false;
  }
}

function result(code: string, status: WorkerResult['status']): WorkerResult {
  return {
    type: 'result',
    id: code,
    status,
    failure: null,
    partial: false,
    png: null,
    width: null,
    height: null,
    trace: null,
    stdout: code,
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 1,
    exitCode: 0,
    signal: null,
  };
}

const request = (code: string): RenderJobRequest => ({
  code,
  mode: 'canonical',
  width: 10,
  height: 10,
  dpi: 10,
  timeoutMs: 1000,
  memoryMb: 256,
  cpuSeconds: 2,
  maxOutputBytes: 100,
  trace: false,
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('RenderPool', () => {
  it('runs one job per worker and queues the rest', async () => {
    const log: string[] = [];
    const workers: FakeWorker[] = [];
    const pool = new RenderPool({
      size: 2,
      startWorker: async () => {
        const w = new FakeWorker(log);
        workers.push(w);
        return w as unknown as RenderWorker;
      },
    });
    const done = ['a', 'b', 'c'].map((c) => pool.render(request(c)));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(pool.queued).toBe(1);
    workers[0]!.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    workers.forEach((w) => w.finish());
    await tick();
    workers.forEach((w) => w.finish());
    expect((await Promise.all(done)).map((r) => r.stdout)).toEqual(['a', 'b', 'c']);
  });

  it('applies back-pressure: render() waits while the queue is full', async () => {
    const log: string[] = [];
    let worker: FakeWorker | undefined;
    const pool = new RenderPool({
      size: 1,
      maxQueue: 1,
      startWorker: async () => (worker = new FakeWorker(log)) as unknown as RenderWorker,
    });
    const first = pool.render(request('1'));
    await tick();
    const second = pool.render(request('2')); // queued (1/1)
    const third = pool.render(request('3')); // must wait for room
    await tick();
    expect(pool.queued).toBe(1);
    worker!.finish();
    await tick();
    expect(log).toEqual(['start 1', 'start 2']);
    expect(pool.queued).toBe(1); // the third got room
    worker!.finish();
    await tick();
    worker!.finish();
    await Promise.all([first, second, third]);
  });

  it('replaces a worker that died mid-job, and the job reports killed', async () => {
    const log: string[] = [];
    const workers: FakeWorker[] = [];
    const pool = new RenderPool({
      size: 1,
      startWorker: async () => {
        const w = new FakeWorker(log);
        workers.push(w);
        return w as unknown as RenderWorker;
      },
    });
    const doomed = pool.render(request('doomed'));
    await tick();
    workers[0]!.die();
    expect((await doomed).status).toBe('killed');
    const next = await pool.render(request('fast-after'));
    expect(next.status).toBe('ok');
    expect(workers).toHaveLength(2);
    expect(pool.health()[0]).toMatchObject({ restarts: 1, state: 'idle' });
  });

  it('fails queued jobs with the reason when no worker can start', async () => {
    const pool = new RenderPool({
      size: 2,
      startWorker: async () => {
        throw new Error('python3: not found');
      },
    });
    await expect(pool.render(request('x'))).rejects.toThrow(
      /The Python renderer could not start: python3: not found/,
    );
    expect(pool.startError?.message).toBe('python3: not found');
  });

  it('drops a queued job whose signal aborts before it starts', async () => {
    const log: string[] = [];
    let worker: FakeWorker | undefined;
    const pool = new RenderPool({
      size: 1,
      startWorker: async () => (worker = new FakeWorker(log)) as unknown as RenderWorker,
    });
    const running = pool.render(request('running'));
    await tick();
    const controller = new AbortController();
    const queued = pool.render(request('queued'), controller.signal);
    await tick();
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    worker!.finish();
    await running;
    expect(log).toEqual(['start running']);
  });

  it('an abort releases every caller waiting for room, not only as many as it unqueued', async () => {
    const log: string[] = [];
    let worker: FakeWorker | undefined;
    const pool = new RenderPool({
      size: 1,
      maxQueue: 1,
      startWorker: async () => (worker = new FakeWorker(log)) as unknown as RenderWorker,
    });
    const running = pool.render(request('running'));
    await tick();
    const controller = new AbortController();
    // One queued, three waiting for room: one signal for all, as an eval job gives its items.
    const waiting = ['q', 'w1', 'w2', 'w3'].map((c) => pool.render(request(c), controller.signal));
    await tick();
    expect(pool.queued).toBe(1);
    controller.abort();
    const settled = await Promise.allSettled(waiting);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    worker!.finish();
    await running;
    // The pool still takes work, and no stale waiter swallows the room it makes.
    expect((await pool.render(request('fast-after'))).status).toBe('ok');
    expect(log).toEqual(['start running', 'start fast-after']);
  });
});
