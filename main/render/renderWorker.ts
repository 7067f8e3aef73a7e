import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { WORKER_PROTOCOL_VERSION, workerReplySchema } from './workerProtocol';
import type { WorkerReady, WorkerRenderRequest, WorkerRequest, WorkerResult } from './workerProtocol';
import type { WorkerCommand } from './sandboxCommand';

export type RenderJobRequest = Omit<WorkerRenderRequest, 'type' | 'id'>;

/** Extra time the worker gets beyond a job's own timeout before the engine stops trusting it. */
const WORKER_GRACE_MS = 10_000;
const STDERR_TAIL = 8192;

export class RenderWorkerStartError extends Error {}

/** A result the engine makes up when the worker itself could not answer (it died or hung). */
function syntheticResult(
  id: string,
  status: 'killed' | 'timeout',
  message: string,
  durationMs: number,
): WorkerResult {
  return {
    type: 'result',
    id,
    status,
    failure: { type: null, message, line: null, frame: null, module: null, signal: null },
    partial: false,
    png: null,
    width: null,
    height: null,
    trace: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs,
    exitCode: null,
    signal: null,
  };
}

interface Pending {
  id: string;
  started: number;
  resolve: (result: WorkerResult) => void;
  timer: NodeJS.Timeout;
}

/**
 * One warm Python render worker (a zygote that forks a child per job), spoken to over its stdin/stdout line
 * protocol. It runs one job at a time; a worker that dies or stops answering is reported, never reused.
 */
export class RenderWorker {
  private pending: Pending | null = null;
  private exited = false;
  /** The worker said it exits after its last result (it could not clean up after a job). */
  private retiring = false;
  private stderrTail = '';
  private readonly exitListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly ready: WorkerReady,
  ) {
    child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-STDERR_TAIL);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      const reason = `render worker exited (${signal ?? `code ${code}`})${this.stderrTail ? `: ${this.stderrTail.trim().slice(-500)}` : ''}`;
      if (this.pending)
        this.settle(syntheticResult(this.pending.id, 'killed', reason, Date.now() - this.pending.started));
      for (const l of this.exitListeners) l(reason);
    });
  }

  /** Spawns the worker and resolves once it has imported matplotlib and said `ready`. */
  static start(command: WorkerCommand, options: { startupTimeoutMs?: number } = {}): Promise<RenderWorker> {
    const child = spawn(command.file, command.args, {
      env: command.env,
      cwd: command.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
    const lines = createInterface({ input: child.stdout });
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        lines.removeAllListeners('line');
        child.kill('SIGKILL');
        reject(new RenderWorkerStartError(`${why}${stderr.trim() ? `\n${stderr.trim().slice(-1500)}` : ''}`));
      };
      const timer = setTimeout(
        () => fail('The render worker did not start within the time limit.'),
        options.startupTimeoutMs ?? 30_000,
      );
      child.once('error', (e) => fail(`Could not start ${command.file}: ${e.message}`));
      child.once('exit', (code, signal) =>
        fail(`The render worker exited during start-up (${signal ?? `code ${code}`}).`),
      );
      lines.once('line', (line) => {
        const parsed = workerReplySchema.safeParse(safeJson(line));
        if (!parsed.success || parsed.data.type !== 'ready')
          return fail(`The render worker said something unexpected at start-up: ${line.slice(0, 300)}`);
        if (parsed.data.protocol !== WORKER_PROTOCOL_VERSION) {
          return fail(
            `The render worker speaks protocol ${parsed.data.protocol}, the engine ${WORKER_PROTOCOL_VERSION}.`,
          );
        }
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        const worker = new RenderWorker(child, parsed.data);
        lines.on('line', (l) => worker.onLine(l));
        resolve(worker);
      });
    });
  }

  get alive(): boolean {
    return !this.exited && !this.retiring;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onExit(listener: (reason: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Runs one job. Aborting cancels it inside the worker (its process group is killed); the worker survives. */
  render(request: RenderJobRequest, signal?: AbortSignal): Promise<WorkerResult> {
    if (this.exited) return Promise.reject(new Error('The render worker has exited.'));
    if (this.pending) return Promise.reject(new Error('The render worker is busy.'));
    const id = randomUUID();
    return new Promise<WorkerResult>((resolve) => {
      const started = Date.now();
      // Safety net for a worker that stops answering: its own timeout should have fired long before.
      const timer = setTimeout(() => {
        this.settle(
          syntheticResult(
            id,
            'timeout',
            `No answer from the render worker within ${request.timeoutMs + WORKER_GRACE_MS} ms; it was restarted.`,
            Date.now() - started,
          ),
        );
        this.kill();
      }, request.timeoutMs + WORKER_GRACE_MS);
      this.pending = { id, started, resolve, timer };
      const onAbort = () => this.send({ type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.resolve = (result) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      this.send({ type: 'render', id, ...request });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  async shutdown(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private send(request: WorkerRequest): void {
    if (!this.exited && this.child.stdin.writable) this.child.stdin.write(`${JSON.stringify(request)}\n`);
  }

  private onLine(line: string): void {
    const parsed = workerReplySchema.safeParse(safeJson(line));
    if (!parsed.success) {
      this.stderrTail = (this.stderrTail + `\n[engine] unparseable worker line: ${line.slice(0, 200)}`).slice(
        -STDERR_TAIL,
      );
      return;
    }
    const reply = parsed.data;
    if (reply.type !== 'result' || this.pending?.id !== reply.id) return;
    if (reply.retire) {
      this.retiring = true;
      // It exits by itself; this only catches a zygote that fails to.
      setTimeout(() => this.kill(), 2000).unref();
    }
    this.settle(reply);
  }

  private settle(result: WorkerResult): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}
