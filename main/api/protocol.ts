import type { ApiErrorData } from './errors';

/** Bumped when the wire format changes incompatibly; both ends compare it at connect. */
export const PROTOCOL_VERSION = 1;

/** Context that travels with each call so the engine can cancel it and stream partial results back. */
export interface CallMeta {
  callId: string;
}

/** What the engine exposes over birpc: one validated dispatcher rather than a function per method. */
export interface EngineRpc {
  call(method: string, params: unknown, meta: CallMeta): Promise<unknown>;
  cancel(callId: string): void;
  hello(protocolVersion: number): { protocolVersion: number; engineVersion: string };
}

/** What a client exposes to the engine: fire-and-forget pushes. */
export interface ClientRpc {
  event(name: string, payload: unknown): void;
  chunk(callId: string, data: unknown): void;
  protocolError(error: ApiErrorData): void;
}

export const engineEventNames = ['cancel'] as const satisfies readonly (keyof EngineRpc)[];
export const clientEventNames = [
  'event',
  'chunk',
  'protocolError',
] as const satisfies readonly (keyof ClientRpc)[];

/**
 * A message channel as both ends see it. Transports differ only in how they post, listen and encode,
 * so every transport (in-process, WebSocket, MessagePort) is one of these.
 */
export interface Channel {
  post(data: unknown): void;
  on(listener: (data: unknown) => void): void;
  off(listener: (data: unknown) => void): void;
  /** Register a callback for when the underlying connection goes away. */
  onClose(listener: () => void): void;
  close(): void;
  serialize?: (value: unknown) => unknown;
  deserialize?: (raw: unknown) => unknown;
}

/** birpc's envelope: a request (`q`) or a response (`s`). Anything else is rejected before birpc sees it. */
export function isRpcEnvelope(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.t === 'q')
    return typeof v.m === 'string' && Array.isArray(v.a) && (v.i === undefined || typeof v.i === 'string');
  if (v.t === 's') return typeof v.i === 'string';
  return false;
}

/**
 * Sends a fire-and-forget message. birpc rejects when the connection has closed meanwhile; that is expected
 * for a push to a peer that went away, and must not surface as an unhandled rejection (which ends a Node process).
 */
export function notify(send: () => Promise<unknown> | undefined): void {
  try {
    void send()?.catch(() => undefined);
  } catch {
    // Closed before the send started: nothing to deliver to.
  }
}
