import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { RenderHealth } from '../../../main/api/render';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';

const RenderHealthContext = createContext<RenderHealth | null | undefined>(undefined);

/**
 * The Python renderer's health for the status bar and the playground: asked once (without starting Python),
 * then kept current by the engine's `render.health` event.
 */
export function RenderHealthProvider({ children }: { children: ReactNode }) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [health, setHealth] = useState<RenderHealth | null>(null);

  useEffect(() => {
    let live = true;
    let pushed = false;
    // Subscribe before asking so no change between the two is lost; a pushed state is never rolled back.
    const unsubscribe = client.on('render.health', (next) => {
      pushed = true;
      if (live) setHealth(next);
    });
    client.call('render.health', {}).then(
      (first) => live && !pushed && setHealth(first),
      (error: unknown) => reportError('Could not read the renderer status', error),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, reportError]);

  return <RenderHealthContext.Provider value={health}>{children}</RenderHealthContext.Provider>;
}

/** null until the engine answered. */
export function useRenderHealth(): RenderHealth | null {
  const health = useContext(RenderHealthContext);
  if (health === undefined) throw new Error('useRenderHealth() used outside RenderHealthProvider.');
  return health;
}
