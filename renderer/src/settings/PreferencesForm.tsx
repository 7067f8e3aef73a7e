import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings } from '../../../main/api/system';
import { formatTimestamp } from '../format/timestamp';
import { useSystemInfo } from '../system/SystemInfoProvider';
import type { ThemeSetting } from '../theme/theme';
import { useSettings } from './SettingsProvider';

const themeOptions: { value: ThemeSetting; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Edits are kept as overrides of the saved settings, so a theme flipped in the header meanwhile still shows. */
export function PreferencesForm({ settings }: { settings: Settings }) {
  const { update } = useSettings();
  const { recheck } = useSystemInfo();
  const [theme, setTheme] = useState<ThemeSetting | null>(null);
  const [pythonPath, setPythonPath] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const id = useId();

  const shownTheme = theme ?? settings.theme;
  const shownPython = pythonPath ?? settings.pythonPath ?? '';
  const nextPython = shownPython.trim() === '' ? null : shownPython.trim();
  const dirty = shownTheme !== settings.theme || nextPython !== settings.pythonPath;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      await update({ theme: shownTheme, pythonPath: nextPython });
      setTheme(null);
      setPythonPath(null);
      setSavedAt(Date.now());
      // The Python check depends on the interpreter just chosen.
      if (nextPython !== settings.pythonPath) void recheck();
    } catch {
      // update() already reported it; the edits stay in the form.
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="settings-form">
      <div className="card__header">
        <h2 className="card__title" id={`${id}-title`}>
          Preferences
        </h2>
      </div>
      <div className="form-grid">
        <label className="field__label" htmlFor={`${id}-theme`}>
          Theme
        </label>
        <div>
          <select
            id={`${id}-theme`}
            className="input"
            value={shownTheme}
            onChange={(e) => setTheme(e.target.value as ThemeSetting)}
            data-testid="settings-theme"
          >
            {themeOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <label className="field__label" htmlFor={`${id}-python`}>
          Python interpreter
        </label>
        <div>
          <input
            id={`${id}-python`}
            className="input input--wide mono"
            type="text"
            spellCheck={false}
            placeholder="Auto-detect"
            value={shownPython}
            onChange={(e) => setPythonPath(e.target.value)}
            aria-describedby={`${id}-python-help`}
            data-testid="settings-python"
          />
          <p className="field__help" id={`${id}-python-help`}>
            Used by the render workers. Leave empty to detect it (Debian's /usr/bin/python3 first); it needs
            matplotlib and numpy.
          </p>
        </div>
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={!dirty || saving}
          data-testid="settings-save"
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
        {dirty ? (
          <span className="muted">Unsaved changes</span>
        ) : (
          savedAt !== null && (
            <span className="form-confirmation" role="status" data-testid="settings-saved">
              Saved at {formatTimestamp(savedAt)}
            </span>
          )
        )}
      </div>
    </form>
  );
}
