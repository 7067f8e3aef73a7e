import { useSyncExternalStore } from 'react';
import type { EngineSession } from '../api/engineSession';
import { EngineContext } from '../api/EngineContext';
import { ConnectionErrorScreen } from './ConnectionErrorScreen';
import { Shell } from './Shell';
import { FullPageMessage } from '../components/FullPageMessage';

/** Shows the shell only with a live engine; otherwise a clear full-page state, never a blank window. */
export function ConnectionGate({ session }: { session: EngineSession }) {
  const state = useSyncExternalStore(session.subscribe, session.getState);
  if (state.phase === 'connecting') {
    return (
      <FullPageMessage icon="plug" title="Connecting to the engine…" tone="neutral" testId="connecting">
        <p className="full-page__text">
          CodePercept Workbench is opening its connection to the local engine.
        </p>
      </FullPageMessage>
    );
  }
  if (state.phase === 'failed') {
    return <ConnectionErrorScreen failure={state.failure} onReconnect={() => session.reconnect()} />;
  }
  return (
    <EngineContext.Provider value={state.connection}>
      {/* A new connection starts every page's state afresh. */}
      <Shell key={state.generation} />
    </EngineContext.Provider>
  );
}
