import type { Settings } from '../../../main/api/system';

export type ThemeSetting = Settings['theme'];
export type EffectiveTheme = 'light' | 'dark';

const STORAGE_KEY = 'codepercept.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function resolveTheme(setting: ThemeSetting, prefersDark: boolean): EffectiveTheme {
  if (setting === 'system') return prefersDark ? 'dark' : 'light';
  return setting;
}

export function systemPrefersDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches;
}

export function watchSystemTheme(listener: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** The last theme the engine reported, so the first paint already has the right colours. */
export function storedThemeSetting(): ThemeSetting {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyTheme(setting: ThemeSetting, effective: EffectiveTheme): void {
  const root = document.documentElement;
  root.dataset.theme = effective;
  root.style.colorScheme = effective;
  window.localStorage.setItem(STORAGE_KEY, setting);
}
