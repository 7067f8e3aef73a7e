import { useEffect, useSyncExternalStore } from 'react';
import { applyTheme, resolveTheme, systemPrefersDark, watchSystemTheme } from './theme';
import type { EffectiveTheme, ThemeSetting } from './theme';

/** Applies the theme to the document and follows the OS while the setting is 'system'. */
export function useEffectiveTheme(setting: ThemeSetting): EffectiveTheme {
  const prefersDark = useSyncExternalStore(watchSystemTheme, systemPrefersDark);
  const effective = resolveTheme(setting, prefersDark);
  useEffect(() => applyTheme(setting, effective), [setting, effective]);
  return effective;
}
