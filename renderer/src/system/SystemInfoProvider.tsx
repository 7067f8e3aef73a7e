import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { SystemInfo } from '../../../main/api/system';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';

export interface SystemInfoState {
  /** null until system.info answered. */
  info: SystemInfo | null;
  rechecking: boolean;
  /** Runs the environment checks again (they are cached by the engine otherwise). */
  recheck(): Promise<void>;
}

const SystemInfoContext = createContext<SystemInfoState | null>(null);

/** One copy of system.info for the status bar and the Settings page, so a re-check updates both. */
export function SystemInfoProvider({ children }: { children: ReactNode }) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [rechecking, setRechecking] = useState(false);

  useEffect(() => {
    let live = true;
    client.call('system.info', {}).then(
      (loaded) => live && setInfo(loaded),
      (error: unknown) => reportError('Could not read the engine environment', error),
    );
    return () => {
      live = false;
    };
  }, [client, reportError]);

  const recheck = useCallback(async () => {
    setRechecking(true);
    try {
      setInfo(await client.call('system.info', { recheck: true }));
    } catch (error) {
      reportError('Re-check failed', error);
    } finally {
      setRechecking(false);
    }
  }, [client, reportError]);

  const state = useMemo(() => ({ info, rechecking, recheck }), [info, rechecking, recheck]);
  return <SystemInfoContext.Provider value={state}>{children}</SystemInfoContext.Provider>;
}

export function useSystemInfo(): SystemInfoState {
  const state = useContext(SystemInfoContext);
  if (!state) throw new Error('useSystemInfo() used outside SystemInfoProvider.');
  return state;
}
