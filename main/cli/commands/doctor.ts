import { mkdirSync } from 'node:fs';
import type { EnvironmentCheck } from '../../api/system';
import { toApiErrorData } from '../../api/errors';
import { runEnvironmentChecks } from '../../engine/environmentChecks';
import { resolveDataDir } from '../../store/dataDir';
import { acquireDataDirLock } from '../../store/dataDirLock';
import { SettingsRepository } from '../../store/settingsRepository';
import { openSqlite } from '../../store/sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { printJson } from '../output';

export interface DoctorOptions {
  dataDir?: string;
  python?: string;
  json?: boolean;
}

const ICON: Record<EnvironmentCheck['status'], string> = { ok: '✓', warn: '!', error: '✗' };

/** The interpreter the engine would use: --python, else the one saved in Settings, else auto. */
function configuredPython(dataDir: string, flag: string | undefined): string | null {
  if (flag) return flag;
  const dbPath = join(dataDir, 'workbench.db');
  if (!existsSync(dbPath)) return null;
  try {
    const db = openSqlite(dbPath, { readonly: true });
    try {
      return new SettingsRepository(db).get().pythonPath;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Reports whether an engine holds the data dir; doctor itself never keeps the lock. */
function checkEngineLock(dataDir: string): EnvironmentCheck {
  try {
    acquireDataDirLock(dataDir, 'codepercept doctor').release();
    return { id: 'engine', label: 'Engine', status: 'ok', detail: 'no engine running on this data dir' };
  } catch (error) {
    const data = toApiErrorData(error);
    if (data.code !== 'DATA_DIR_LOCKED')
      return { id: 'engine', label: 'Engine', status: 'error', detail: data.message };
    return { id: 'engine', label: 'Engine', status: 'ok', detail: `running: ${data.message}` };
  }
}

export async function doctorCommand(options: DoctorOptions): Promise<number> {
  const { path: dataDir, source } = resolveDataDir({ flag: options.dataDir });
  mkdirSync(dataDir, { recursive: true });
  const checks = await runEnvironmentChecks({
    dataDir,
    pythonPath: configuredPython(dataDir, options.python),
  });
  checks.push(checkEngineLock(dataDir));
  const failed = checks.filter((c) => c.status === 'error').length;
  if (options.json) {
    printJson({ dataDir, dataDirSource: source, ok: failed === 0, checks });
  } else {
    process.stdout.write(`CodePercept doctor — data dir ${dataDir} (from ${source})\n\n`);
    for (const c of checks) {
      process.stdout.write(`${ICON[c.status]} ${c.label.padEnd(20)} ${c.detail}\n`);
      if (c.fix) process.stdout.write(`  ${' '.repeat(20)} fix: ${c.fix}\n`);
    }
    process.stdout.write(
      failed === 0 ? '\nAll required checks passed.\n' : `\n${failed} required check(s) failed.\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}
