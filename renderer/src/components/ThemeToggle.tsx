import { useSettings } from '../settings/SettingsProvider';
import { Icon } from './Icon';

/** Flips between light and dark (an explicit choice); Settings can hand the choice back to the OS. */
export function ThemeToggle() {
  const { effectiveTheme, update } = useSettings();
  const next = effectiveTheme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="button button--ghost"
      onClick={() => update({ theme: next }).catch(() => undefined)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
      data-theme={effectiveTheme}
    >
      <Icon name={effectiveTheme === 'dark' ? 'moon' : 'sun'} />
      <span>{effectiveTheme === 'dark' ? 'Dark' : 'Light'}</span>
    </button>
  );
}
