import { ConnectFailure, activeTransport, connectEngine } from './connectEngine';
import type { EngineConnection } from './connectEngine';
import { describeError } from './describeError';

export type SessionState =
  | { phase: 'connecting' }
  | { phase: 'ready'; connection: EngineConnection; generation: number }
  | { phase: 'failed'; failure: ConnectFailure };

/**
 * The one engine connection of this window, kept outside React so that re-renders and StrictMode's double
 * effects never open a second socket or close the single MessagePort the preload hands over.
 */
export class EngineSession {
  private state: SessionState = { phase: 'connecting' };
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): SessionState => this.state;

  /** Opens the connection; a failure or a later drop puts the session in 'failed' with the reason. */
  async connect(): Promise<void> {
    const generation = ++this.generation;
    this.set({ phase: 'connecting' });
    try {
      const connection = await connectEngine();
      if (generation !== this.generation) return connection.client.close();
      connection.client.onError((error) => {
        if (describeError(error).code !== 'TRANSPORT_CLOSED' || generation !== this.generation) return;
        this.set({
          phase: 'failed',
          failure: new ConnectFailure(
            'closed',
            'The connection to the engine closed.',
            'The engine may have stopped or restarted. Reconnect once it is running again.',
          ),
        });
      });
      this.set({ phase: 'ready', connection, generation });
    } catch (error) {
      if (generation !== this.generation) return;
      const failure =
        error instanceof ConnectFailure
          ? error
          : new ConnectFailure(
              'refused',
              describeError(error).message,
              'Reload the page; if it persists, restart the engine.',
            );
      this.set({ phase: 'failed', failure });
    }
  }

  /** The desktop app's port cannot be asked for twice, so there a reconnect is a window reload. */
  reconnect(): void {
    if (activeTransport() === 'messageport') {
      window.location.reload();
      return;
    }
    if (this.state.phase === 'ready') this.state.connection.client.close();
    void this.connect();
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
