import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BlobStore } from './blobStore';
import { acquireDataDirLock } from './dataDirLock';
import type { DataDirLock } from './dataDirLock';
import { migrate } from './migrations';
import type { MigrationOutcome } from './migrations';
import { SettingsRepository } from './settingsRepository';
import { openSqlite } from './sqlite';
import type { SqliteDatabase } from './sqlite';

export interface WorkbenchStore {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly db: SqliteDatabase;
  readonly blobs: BlobStore;
  readonly settings: SettingsRepository;
  readonly lock: DataDirLock;
  readonly migration: MigrationOutcome;
  close(): void;
}

/** Opens (creating if needed) a data dir: takes the lock, opens the WAL database, runs migrations. */
export function openWorkbenchStore(dataDir: string, command: string): WorkbenchStore {
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireDataDirLock(dataDir, command);
  let db: SqliteDatabase | undefined;
  try {
    const dbPath = join(dataDir, 'workbench.db');
    db = openSqlite(dbPath);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL keeps every committed transaction across a process crash; only a power loss can drop the last few.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Up to 256 MiB of page cache (default 2 MiB; pages are only allocated as used): a million-row import
    // inserts into a content-hash index with random keys, which thrashes a small cache.
    db.pragma('cache_size = -262144');
    const migration = migrate(db, dbPath);
    const opened = db;
    return {
      dataDir,
      dbPath,
      db: opened,
      blobs: new BlobStore(join(dataDir, 'blobs'), opened),
      settings: new SettingsRepository(opened),
      lock,
      migration,
      close() {
        opened.close();
        lock.release();
      },
    };
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}
