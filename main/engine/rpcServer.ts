import { createBirpc } from 'birpc';
import type { BirpcReturn } from 'birpc';
import { methods, isMethodName } from '../api/contract';
import type { EventName, EventPayload, MethodName } from '../api/contract';
import { ApiError, toApiErrorData } from '../api/errors';
import type { ApiErrorData } from '../api/errors';
import { PROTOCOL_VERSION, clientEventNames, isRpcEnvelope, notify } from '../api/protocol';
import type { CallMeta, Channel, ClientRpc, EngineRpc } from '../api/protocol';
import type { CallContext, Handler, Handlers } from './handlers';

export interface RpcServerOptions {
  handlers: Handlers;
  version: string;
  log: (message: string, error?: unknown) => void;
}

interface Connection {
  rpc: BirpcReturn<ClientRpc, EngineRpc>;
  active: Map<string, AbortController>;
  close(): void;
}

function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(params)'}: ${i.message}`).join('; ');
}

/**
 * Serves the API contract over any Channel. This is the engine boundary: every message is checked before it
 * reaches a handler, and anything malformed is answered with a typed error instead of crashing the engine.
 */
export class RpcServer {
  private readonly connections = new Set<Connection>();

  constructor(private readonly options: RpcServerOptions) {}

  get stats(): { activeCalls: number; connections: number } {
    let activeCalls = 0;
    for (const c of this.connections) activeCalls += c.active.size;
    return { activeCalls, connections: this.connections.size };
  }

  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const c of this.connections) notify(() => c.rpc.event(event, payload));
  }

  /** Serves one client until its channel closes; returns a function that ends the connection. */
  connect(channel: Channel, transport: string): () => void {
    const active = new Map<string, AbortController>();
    const deserialize = channel.deserialize ?? ((raw: unknown) => raw);
    const listeners = new Map<(data: unknown) => void, (raw: unknown) => void>();

    const functions: EngineRpc = {
      hello: (protocolVersion) => {
        if (protocolVersion !== PROTOCOL_VERSION) {
          this.options.log(`client speaks protocol ${String(protocolVersion)}, engine ${PROTOCOL_VERSION}`);
        }
        return { protocolVersion: PROTOCOL_VERSION, engineVersion: this.options.version };
      },
      call: (method, params, meta) => this.dispatch(method, params, meta, active, rpc, transport),
      cancel: (callId) => {
        if (typeof callId === 'string') active.get(callId)?.abort();
      },
    };

    const rejectMalformed = (reason: string) => {
      const error: ApiErrorData = {
        code: 'INVALID_MESSAGE',
        message: `Malformed message ignored: ${reason}`,
      };
      notify(() => rpc.protocolError(error));
    };

    const rpc: BirpcReturn<ClientRpc, EngineRpc> = createBirpc<ClientRpc, EngineRpc>(functions, {
      post: (data) => channel.post(data),
      // Parse and check the envelope ourselves so birpc only ever sees well-formed requests and responses.
      on: (fn) => {
        const guarded = (raw: unknown) => {
          let message: unknown;
          try {
            message = deserialize(raw);
          } catch {
            rejectMalformed('not valid JSON');
            return;
          }
          if (!isRpcEnvelope(message)) {
            rejectMalformed('not an RPC envelope');
            return;
          }
          void fn(message);
        };
        listeners.set(fn, guarded);
        channel.on(guarded);
      },
      off: (fn) => {
        const guarded = listeners.get(fn);
        if (guarded) channel.off(guarded);
      },
      serialize: channel.serialize,
      eventNames: [...clientEventNames],
      timeout: -1,
      // Own-property lookup only: a method named "constructor" or "__proto__" must not reach Object.prototype.
      resolver: (name) =>
        Object.hasOwn(functions, name)
          ? (functions[name as keyof EngineRpc] as (...args: unknown[]) => unknown)
          : () => {
              throw {
                code: 'UNKNOWN_METHOD',
                message: `Unknown RPC function "${name}".`,
              } satisfies ApiErrorData;
            },
      onGeneralError: (error) => {
        this.options.log('RPC transport error', error);
        return true;
      },
    });

    let closed = false;
    const connection: Connection = {
      rpc,
      active,
      close: () => {
        if (closed) return;
        closed = true;
        for (const controller of active.values()) controller.abort();
        this.connections.delete(connection);
        rpc.$close();
      },
    };
    this.connections.add(connection);
    channel.onClose(connection.close);
    return () => {
      connection.close();
      channel.close();
    };
  }

  private async dispatch(
    method: unknown,
    params: unknown,
    meta: CallMeta | undefined,
    active: Map<string, AbortController>,
    rpc: BirpcReturn<ClientRpc, EngineRpc>,
    transport: string,
  ): Promise<unknown> {
    if (typeof method !== 'string' || !isMethodName(method)) {
      throw { code: 'UNKNOWN_METHOD', message: `Unknown method "${String(method)}".` } satisfies ApiErrorData;
    }
    if (typeof meta?.callId !== 'string' || meta.callId.length === 0 || meta.callId.length > 100) {
      throw {
        code: 'INVALID_MESSAGE',
        message: `Call to ${method} has no valid callId.`,
      } satisfies ApiErrorData;
    }
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      throw {
        code: 'INVALID_PARAMS',
        message: `Invalid parameters for ${method}: ${formatIssues(parsed.error.issues)}`,
        details: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      } satisfies ApiErrorData;
    }
    const { callId } = meta;
    const controller = new AbortController();
    active.set(callId, controller);
    const ctx: CallContext<MethodName> = {
      signal: controller.signal,
      emitChunk: (chunk) => notify(() => rpc.chunk(callId, chunk)),
      transport,
    };
    try {
      const handler = this.options.handlers[method] as Handler<MethodName>;
      return await handler(parsed.data as never, ctx);
    } catch (error) {
      if (controller.signal.aborted)
        throw { code: 'CANCELLED', message: `${method} was cancelled.` } satisfies ApiErrorData;
      const data = toApiErrorData(error);
      if (data.code === 'INTERNAL') this.options.log(`${method} failed`, error);
      throw error instanceof ApiError || data.code !== 'INTERNAL'
        ? data
        : { ...data, hint: 'See the engine log for details.' };
    } finally {
      active.delete(callId);
    }
  }
}
