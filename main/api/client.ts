import { createBirpc } from 'birpc';
import type { BirpcReturn } from 'birpc';
import type { Chunk, EventName, EventPayload, MethodName, Params, Result } from './contract';
import { ApiError, isApiErrorData } from './errors';
import type { ApiErrorData } from './errors';
import { PROTOCOL_VERSION, engineEventNames, notify } from './protocol';
import type { Channel, ClientRpc, EngineRpc } from './protocol';

export interface CallOptions<M extends MethodName> {
  signal?: AbortSignal;
  onChunk?: (chunk: Chunk<M>) => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, params: Params<M>, options?: CallOptions<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Called when the engine reports a protocol error or the connection drops. */
  onError(listener: (error: ApiError) => void): () => void;
  /** Confirms the engine speaks this client's protocol version; returns the engine's version. */
  hello(): Promise<{ engineVersion: string }>;
  readonly closed: boolean;
  close(): void;
}

function newCallId(): string {
  return globalThis.crypto.randomUUID();
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isApiErrorData(error)) return new ApiError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('rpc is closed'))
    return new ApiError({ code: 'TRANSPORT_CLOSED', message: 'The connection to the engine closed.' });
  return new ApiError({ code: 'INTERNAL', message });
}

/**
 * The one client every caller uses (renderer, CLI, tests), whatever carries the messages.
 * Cancellation crosses the boundary: aborting the signal tells the engine to abort the call's own signal.
 */
export function createApiClient(channel: Channel): ApiClient {
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const errorListeners = new Set<(error: ApiError) => void>();
  const chunkListeners = new Map<string, (data: unknown) => void>();
  let closed = false;

  const emitError = (error: ApiError) => {
    for (const l of errorListeners) l(error);
  };

  const local: ClientRpc = {
    event(name, payload) {
      for (const l of eventListeners.get(name) ?? []) l(payload);
    },
    chunk(callId, data) {
      chunkListeners.get(callId)?.(data);
    },
    protocolError(error: ApiErrorData) {
      emitError(new ApiError(error));
    },
  };

  const rpc: BirpcReturn<EngineRpc, ClientRpc> = createBirpc<EngineRpc, ClientRpc>(local, {
    post: (data) => channel.post(data),
    on: (fn) => channel.on(fn),
    off: (fn) => channel.off(fn),
    serialize: channel.serialize,
    deserialize: channel.deserialize,
    eventNames: [...engineEventNames],
    // Jobs and generations run for hours; liveness is the transport's job, not a per-call timer.
    timeout: -1,
  });

  channel.onClose(() => {
    if (closed) return;
    closed = true;
    rpc.$close(new ApiError({ code: 'TRANSPORT_CLOSED', message: 'The connection to the engine closed.' }));
    emitError(new ApiError({ code: 'TRANSPORT_CLOSED', message: 'The connection to the engine closed.' }));
  });

  return {
    get closed() {
      return closed;
    },
    async call(method, params, options = {}) {
      const { signal, onChunk } = options;
      if (signal?.aborted) throw new ApiError({ code: 'CANCELLED', message: `${method} was cancelled.` });
      const callId = newCallId();
      if (onChunk) chunkListeners.set(callId, onChunk as (data: unknown) => void);
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          notify(() => rpc.cancel(callId));
          reject(new ApiError({ code: 'CANCELLED', message: `${method} was cancelled.` }));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const pending = rpc.call(method, params, { callId });
        return (await (signal ? Promise.race([pending, aborted]) : pending)) as Result<typeof method>;
      } catch (error) {
        throw toApiError(error);
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        chunkListeners.delete(callId);
      }
    },
    async hello() {
      const reply = await rpc.hello(PROTOCOL_VERSION);
      if (reply.protocolVersion !== PROTOCOL_VERSION) {
        throw new ApiError({
          code: 'INVALID_MESSAGE',
          message: `The engine speaks protocol ${reply.protocolVersion}, this client ${PROTOCOL_VERSION}.`,
          hint: 'Rebuild (npm run build) so the UI and the engine match.',
        });
      }
      return { engineVersion: reply.engineVersion };
    },
    on(event, listener) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      rpc.$close(new ApiError({ code: 'TRANSPORT_CLOSED', message: 'The client was closed.' }));
      channel.close();
    },
  };
}
