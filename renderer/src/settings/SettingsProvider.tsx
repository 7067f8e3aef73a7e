import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Settings } from '../../../main/api/system';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';
import { storedThemeSetting } from '../theme/theme';
import type { EffectiveTheme } from '../theme/theme';
import { useEffectiveTheme } from '../theme/useEffectiveTheme';

export interface SettingsState {
  /** null until settings.get answered. */
  settings: Settings | null;
  effectiveTheme: EffectiveTheme;
  /** Saves a change; rejects (after reporting it) when the engine refuses it. */
  update(patch: Partial<Settings>): Promise<Settings>;
}

const SettingsContext = createContext<SettingsState | null>(null);

export function SettingsProvider({ children }: { children: ReactNode }) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [pendingTheme, setPendingTheme] = useState<Settings['theme'] | null>(null);

  useEffect(() => {
    let live = true;
    client.call('settings.get', {}).then(
      (loaded) => live && setSettings(loaded),
      (error: unknown) => reportError('Could not load settings', error),
    );
    return () => {
      live = false;
    };
  }, [client, reportError]);

  const update = useCallback(
    async (patch: Partial<Settings>) => {
      // The theme changes at once; it falls back if the engine refuses the change.
      if (patch.theme) setPendingTheme(patch.theme);
      try {
        const saved = await client.call('settings.update', patch);
        setSettings(saved);
        return saved;
      } catch (error) {
        reportError('Could not save settings', error);
        throw error;
      } finally {
        setPendingTheme(null);
      }
    },
    [client, reportError],
  );

  const effectiveTheme = useEffectiveTheme(pendingTheme ?? settings?.theme ?? storedThemeSetting());
  const state = useMemo(() => ({ settings, effectiveTheme, update }), [settings, effectiveTheme, update]);
  return <SettingsContext.Provider value={state}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsState {
  const state = useContext(SettingsContext);
  if (!state) throw new Error('useSettings() used outside SettingsProvider.');
  return state;
}
