import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChatRequest, ChatResult, FitEstimate, GpuBackend } from '../../api/models';
import { HOST_PROTOCOL_VERSION, hostReplySchema } from './hostProtocol';
import type {
  HostLoadOptions,
  HostLoadedInfo,
  HostMemory,
  HostReply,
  HostRequest,
  LocalEngine,
} from './hostProtocol';

const OUTPUT_TAIL = 16_384;

export class ModelHostExitedError extends Error {
  override name = 'ModelHostExitedError';
}

interface Pending {
  /** What the host was doing, for the error message if it dies meanwhile. */
  activity: string;
  resolve: (reply: HostReply) => void;
  reject: (error: Error) => void;
  onEvent?: (reply: HostReply) => void;
}

export interface ModelHostOptions {
  /** The bundled host entry (out/node/modelHost.js). */
  entry: string;
  /** Names the model in errors: "model host for <label> exited ...". */
  label: string;
  startupTimeoutMs?: number;
}

/**
 * The engine's side of one model host process: forks it, speaks the validated protocol, and turns the host's
 * death into a clear error on every call in flight. Never throws into the engine from a host event.
 */
export class ModelHost {
  private readonly pending = new Map<string, Pending>();
  private output = '';
  private exitReason: string | null = null;
  private readonly exitListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly label: string,
  ) {
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-OUTPUT_TAIL));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (raw) => this.onMessage(raw));
    child.once('exit', (code, signal) => this.handleExit(code, signal));
  }

  static start(options: ModelHostOptions): Promise<ModelHost> {
    const child = fork(options.entry, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const host = new ModelHost(child, options.label);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new ModelHostExitedError(why));
      };
      const timer = setTimeout(
        () => fail(`The model host for ${options.label} did not start in time.`),
        options.startupTimeoutMs ?? 30_000,
      );
      child.once('error', (e) => fail(`Could not start the model host (${options.entry}): ${e.message}`));
      host.pending.set('ready', {
        activity: 'starting',
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === 'ready' && reply.protocol !== HOST_PROTOCOL_VERSION) {
            fail(
              `The model host speaks protocol ${reply.protocol}, the engine ${HOST_PROTOCOL_VERSION}; rebuild.`,
            );
          } else resolve(host);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get alive(): boolean {
    return this.exitReason === null;
  }

  /** The last lines the host wrote (llama.cpp's warnings and its abort message live here). */
  get outputTail(): string {
    return this.output;
  }

  onExit(listener: (reason: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  load(
    engine: LocalEngine,
    modelPath: string,
    mmprojPath: string | null,
    options: HostLoadOptions,
    onProgress: (progress: number) => void,
  ): Promise<HostLoadedInfo> {
    return this.request(
      { type: 'load', id: randomUUID(), engine, modelPath, mmprojPath, options },
      'loading',
      (reply) => {
        if (reply.type === 'progress') onProgress(reply.progress);
      },
    ).then((reply) => (reply as Extract<HostReply, { type: 'loaded' }>).info);
  }

  /** Aborting `signal` asks the host to stop; it answers with stopReason "aborted" and the text so far. */
  async chat(
    request: ChatRequest,
    options: { signal?: AbortSignal; onToken?: (text: string) => void } = {},
  ): Promise<ChatResult> {
    const id = randomUUID();
    const { signal, onToken } = options;
    const onAbort = () => this.send({ type: 'abort', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const pending = this.request({ type: 'chat', id, request }, 'answering a chat', (reply) => {
        if (reply.type === 'token') onToken?.(reply.text);
      });
      if (signal?.aborted) onAbort();
      const reply = await pending;
      return (reply as Extract<HostReply, { type: 'done' }>).result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async usage(): Promise<HostMemory> {
    const reply = await this.request({ type: 'usage', id: randomUUID() }, 'reporting memory');
    return (reply as Extract<HostReply, { type: 'usage' }>).memory;
  }

  async fit(modelPath: string, gpu: GpuBackend, contextSize: number): Promise<FitEstimate> {
    const reply = await this.request(
      { type: 'fit', id: randomUUID(), modelPath, gpu, contextSize },
      'estimating the fit',
    );
    return (reply as Extract<HostReply, { type: 'fit' }>).estimate;
  }

  /** Asks the host to free its model and exit; kills it after `graceMs`. */
  async shutdown(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private request(
    message: HostRequest & { id: string },
    activity: string,
    onEvent?: (reply: HostReply) => void,
  ): Promise<HostReply> {
    if (!this.alive)
      return Promise.reject(new ModelHostExitedError(this.exitReason ?? 'The model host has exited.'));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { activity, resolve, reject, ...(onEvent ? { onEvent } : {}) });
      this.send(message);
    });
  }

  private send(message: HostRequest): void {
    if (this.alive && this.child.connected) this.child.send(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = hostReplySchema.safeParse(raw);
    if (!parsed.success) {
      this.output =
        `${this.output}\n[engine] ignored a malformed host message: ${parsed.error.message}`.slice(
          -OUTPUT_TAIL,
        );
      return;
    }
    const reply = parsed.data;
    const key = reply.type === 'ready' ? 'ready' : reply.id;
    const pending = this.pending.get(key);
    if (!pending) return;
    if (reply.type === 'progress' || reply.type === 'token') {
      pending.onEvent?.(reply);
      return;
    }
    this.pending.delete(key);
    if (reply.type === 'failed') pending.reject(new Error(reply.message));
    else pending.resolve(reply);
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const busy = [...this.pending.values()].map((p) => p.activity);
    const activity = busy.includes('loading') ? 'loading' : (busy[0] ?? 'idle');
    const lastLine = lastMeaningfulLine(this.output);
    this.exitReason = `model host for ${this.label} exited with ${how} while ${activity}${lastLine ? `: ${lastLine}` : ''}`;
    for (const p of this.pending.values()) p.reject(new ModelHostExitedError(this.exitReason));
    this.pending.clear();
    for (const l of this.exitListeners) l(this.exitReason);
  }
}

/** llama.cpp's abort message ("... GGML_ASSERT(...) failed", "key not found ...") is usually the last error line. */
function lastMeaningfulLine(output: string): string | null {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const error = [...lines].reverse().find((l) => /error|abort|assert|failed|exception/i.test(l));
  return (error ?? null)?.slice(0, 300) ?? null;
}
