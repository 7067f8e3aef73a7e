import type { ChatRequest, ChatResult, LoadedModel } from '../api/models';
import type { ChatCallOptions, ChatModel } from './chatEngine';
import type { ModelHost } from './host/modelHost';
import type { LocalEngine } from './host/hostProtocol';

/**
 * A local model living in its own host process, seen through the narrow ChatModel interface. Keeps the
 * state the Models page shows and reports every change (progress, ready, failed, memory) to `onState`.
 */
export class HostedChatModel implements ChatModel {
  readonly vision: boolean;
  private state: LoadedModel;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: LocalEngine,
    private readonly host: ModelHost,
    vision: boolean,
    private readonly onState: (state: LoadedModel) => void,
  ) {
    this.vision = vision;
    this.state = {
      id,
      name,
      engine: kind,
      state: 'loading',
      progress: 0,
      vision,
      gpu: null,
      memory: null,
      pid: host.pid,
      error: null,
    };
    host.onExit((reason) => {
      if (this.state.state === 'unloaded') return;
      this.update({ state: 'failed', error: reason, memory: null });
    });
  }

  describe(): LoadedModel {
    return { ...this.state };
  }

  update(patch: Partial<LoadedModel>): void {
    this.state = { ...this.state, ...patch };
    this.onState(this.describe());
  }

  async chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    if (this.state.state !== 'ready')
      throw new Error(this.state.error ?? `${this.name} is ${this.state.state}, not ready; load it again.`);
    const result = await this.host.chat(request, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onToken ? { onToken: options.onToken } : {}),
    });
    void this.refreshMemory();
    return result;
  }

  /** Asks the host for its memory figures; a host that died or does not answer leaves them as they were. */
  async refreshMemory(): Promise<void> {
    if (this.state.state !== 'ready' || !this.host.alive) return;
    try {
      const memory = await this.host.usage();
      if (this.state.state === 'ready') this.update({ memory });
    } catch {
      // The exit listener reports a dead host; a slow answer is simply not news.
    }
  }

  async unload(): Promise<void> {
    if (this.state.state === 'unloaded') return;
    this.update({ state: 'unloaded', memory: null });
    await this.host.shutdown();
  }
}
