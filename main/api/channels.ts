import type { Channel } from './protocol';

type Listener = (data: unknown) => void;

/** Minimal shape shared by the browser's WebSocket and the `ws` package's client socket. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const WS_OPEN = 1;

/** JSON over a WebSocket. A binary frame is read as UTF-8 text too; what is not valid JSON gets INVALID_MESSAGE. */
export function webSocketChannel(socket: WebSocketLike): Channel {
  const wrapped = new Map<Listener, (event: { data: unknown }) => void>();
  return {
    post: (data) => {
      if (socket.readyState === WS_OPEN) socket.send(data as string);
    },
    on: (listener) => {
      const handler = (event: { data: unknown }) => listener(event.data);
      wrapped.set(listener, handler);
      socket.addEventListener('message', handler);
    },
    off: (listener) => {
      const handler = wrapped.get(listener);
      if (handler) socket.removeEventListener('message', handler);
      wrapped.delete(listener);
    },
    onClose: (listener) => socket.addEventListener('close', listener),
    close: () => socket.close(1000, 'client closed'),
    serialize: (value) => JSON.stringify(value),
    deserialize: (raw) => JSON.parse(typeof raw === 'string' ? raw : String(raw)) as unknown,
  };
}

/**
 * A DOM-style MessagePort (the renderer's, and Node's worker_threads port, which is an EventTarget too) or
 * Electron's MessagePortMain (an EventEmitter whose events carry `data`). Structured clone, no JSON.
 */
export interface MessagePortLike {
  postMessage(data: unknown): void;
  start?(): void;
  close(): void;
  addEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
  on?(type: 'message' | 'close', listener: (event: { data: unknown }) => void): void;
  off?(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export function messagePortChannel(port: MessagePortLike): Channel {
  const wrapped = new Map<Listener, (event: { data: unknown }) => void>();
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l();
  };
  const eventTarget = typeof port.addEventListener === 'function';
  if (eventTarget) port.addEventListener?.('close' as 'message', fireClose);
  else port.on?.('close', fireClose);
  return {
    post: (data) => {
      if (!closed) port.postMessage(data);
    },
    on: (listener) => {
      const handler = (event: { data: unknown }) => listener(event.data);
      wrapped.set(listener, handler);
      if (eventTarget) port.addEventListener?.('message', handler);
      else port.on?.('message', handler);
      port.start?.();
    },
    off: (listener) => {
      const handler = wrapped.get(listener);
      if (handler) {
        if (eventTarget) port.removeEventListener?.('message', handler);
        else port.off?.('message', handler);
      }
      wrapped.delete(listener);
    },
    onClose: (listener) => closeListeners.push(listener),
    close: () => {
      port.close();
      fireClose();
    },
  };
}
