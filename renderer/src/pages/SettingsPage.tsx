import { Page } from '../components/Page';
import { PreferencesForm } from '../settings/PreferencesForm';
import { useSettings } from '../settings/SettingsProvider';
import { EngineDetails } from '../system/EngineDetails';
import { EnvironmentChecks } from '../system/EnvironmentChecks';

export function SettingsPage() {
  const { settings } = useSettings();
  return (
    <Page
      title="Settings"
      description="Preferences saved in this data directory, and what the engine found on this machine."
    >
      {settings ? (
        <PreferencesForm settings={settings} />
      ) : (
        <p className="card card__empty">Loading settings…</p>
      )}
      <EnvironmentChecks />
      <EngineDetails />
    </Page>
  );
}
