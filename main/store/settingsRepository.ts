import { settingsSchema } from '../api/system';
import type { Settings } from '../api/system';
import type { SqliteDatabase } from './sqlite';

export const defaultSettings: Settings = { theme: 'system', pythonPath: null };

/** Settings as one validated object; stored key by key so later issues can add keys without a migration. */
export class SettingsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value) as unknown;
    const parsed = settingsSchema.safeParse({ ...defaultSettings, ...stored });
    return parsed.success ? parsed.data : defaultSettings;
  }

  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) upsert.run(key, JSON.stringify(value));
    })();
    return next;
  }
}
