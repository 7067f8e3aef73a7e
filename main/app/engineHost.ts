import { MessageChannelMain, utilityProcess } from 'electron';
import type { UtilityProcess, WebContents } from 'electron';
import type { EngineToMain, MainToEngine } from '../engine/utilityProtocol';
import { ENGINE_PORT_CHANNEL } from './ipcChannels';

/** How much of the engine's stderr to keep for the "engine stopped" dialog. */
const STDERR_TAIL_CHARS = 4000;
/** How long the engine gets to close the database after SIGTERM before the app stops waiting. */
const STOP_GRACE_MS = 5000;

export type EngineReady = Extract<EngineToMain, { type: 'ready' }>;
export type EngineFatal = Extract<EngineToMain, { type: 'fatal' }>;

export interface EngineHostOptions {
  /** out/main/engine.js, the engine's utilityProcess entry. */
  entry: string;
  dataDir: string;
  onReady(ready: EngineReady): void;
  /** The engine refused to start (e.g. DATA_DIR_LOCKED) and said why. */
  onFatal(fatal: EngineFatal): void;
  /** The engine went away without being asked to and without a fatal message. */
  onUnexpectedExit(code: number, stderrTail: string): void;
}

function isEngineToMain(message: unknown): message is EngineToMain {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.type === 'ready') return typeof m.dataDir === 'string' && typeof m.version === 'string';
  if (m.type === 'fatal') return typeof m.code === 'string' && typeof m.message === 'string';
  return false;
}

/**
 * One engine utilityProcess and the windows wired to it. Main only introduces a window to the engine (one
 * MessageChannelMain per page load) and then stays out of the way: API traffic never passes through here.
 */
export class EngineHost {
  private readonly child: UtilityProcess;
  private readonly options: EngineHostOptions;
  /** Pages that finished loading before the engine was ready; connected as soon as it is. */
  private readonly waiting = new Set<WebContents>();
  private ready = false;
  private stopping = false;
  private exited = false;
  private fatal = false;
  private stderrTail = '';
  private readonly exitPromise: Promise<number>;

  constructor(options: EngineHostOptions) {
    this.options = options;
    this.child = utilityProcess.fork(options.entry, [`--data-dir=${options.dataDir}`], {
      serviceName: 'CodePercept engine',
      stdio: 'pipe',
    });
    this.child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    this.child.on('message', (message: unknown) => this.handleMessage(message));
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exited = true;
        this.waiting.clear();
        resolve(code);
        if (!this.stopping && !this.fatal) options.onUnexpectedExit(code, this.stderrTail.trim());
      });
    });
  }

  private handleMessage(message: unknown): void {
    if (!isEngineToMain(message)) {
      console.error('[main] ignored an unrecognised message from the engine:', message);
      return;
    }
    if (message.type === 'fatal') {
      this.fatal = true;
      this.options.onFatal(message);
      return;
    }
    this.ready = true;
    this.options.onReady(message);
    for (const contents of this.waiting) this.connect(contents);
    this.waiting.clear();
  }

  /** Gives the page currently loaded in `contents` its own port to the engine, now or once the engine is ready. */
  attach(contents: WebContents): void {
    if (this.exited) return;
    if (this.ready) this.connect(contents);
    else this.waiting.add(contents);
  }

  private connect(contents: WebContents): void {
    if (contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    const connect: MainToEngine = { type: 'connect' };
    this.child.postMessage(connect, [port1]);
    contents.postMessage(ENGINE_PORT_CHANNEL, null, [port2]);
  }

  /** Asks the engine to park its jobs, close its database and exit; waits a bounded time, then kills it. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    const shutdown: MainToEngine = { type: 'shutdown' };
    this.child.postMessage(shutdown);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[main] the engine did not exit within ${STOP_GRACE_MS} ms of being asked to stop`);
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([this.exitPromise, gaveUp]);
    clearTimeout(timer);
    if (!this.exited) this.child.kill();
  }
}
