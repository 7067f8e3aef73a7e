import type { Channel } from '../../api/protocol';

type Listener = (data: unknown) => void;

/**
 * Two channels joined back to back in one process. Messages are structured-cloned and delivered on a later
 * tick, so in-process callers meet the same copy and ordering semantics as the other transports.
 */
export function inProcessChannelPair(): [Channel, Channel] {
  const listeners: [Set<Listener>, Set<Listener>] = [new Set(), new Set()];
  const closeListeners: [(() => void)[], (() => void)[]] = [[], []];
  let closed = false;
  const closeBoth = () => {
    if (closed) return;
    closed = true;
    for (const side of closeListeners) for (const l of side) l();
  };
  const make = (self: 0 | 1): Channel => {
    const peer = self === 0 ? 1 : 0;
    return {
      post: (data) => {
        if (closed) return;
        const copy = structuredClone(data);
        setImmediate(() => {
          if (!closed) for (const l of listeners[peer]) l(copy);
        });
      },
      on: (l) => listeners[self].add(l),
      off: (l) => listeners[self].delete(l),
      onClose: (l) => closeListeners[self].push(l),
      close: closeBoth,
    };
  };
  return [make(0), make(1)];
}
