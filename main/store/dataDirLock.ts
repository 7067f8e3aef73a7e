import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../api/errors';
import { openSqlite } from './sqlite';
import type { SqliteDatabase } from './sqlite';

export interface LockOwner {
  pid: number;
  startedAt: number;
  command: string;
  /** Where a running `codepercept serve` can be reached, so the refusal can point there. */
  url?: string;
}

export interface DataDirLock {
  readonly owner: LockOwner;
  /** Records extra facts about the holder (e.g. the serve URL) for the next refusal message. */
  update(extra: Partial<LockOwner>): void;
  release(): void;
}

const LOCK_FILE = 'engine.lock';
const OWNER_FILE = 'engine.json';

/**
 * One engine per data dir. The lock is an exclusive SQLite transaction on a side file: the kernel drops the
 * underlying fcntl lock when the process dies, so a `kill -9` never leaves a stale lock to clean up by hand
 * (unlike pid files or mkdir locks, which need staleness guesses).
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  const db: SqliteDatabase = openSqlite(join(dataDir, LOCK_FILE));
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw lockedError(dataDir);
    throw error;
  }
  const ownerPath = join(dataDir, OWNER_FILE);
  let owner: LockOwner = { pid: process.pid, startedAt: Date.now(), command };
  const writeOwner = () => {
    const tmp = `${ownerPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(owner, null, 2));
    renameSync(tmp, ownerPath);
  };
  writeOwner();
  let released = false;
  return {
    get owner() {
      return owner;
    },
    update(extra) {
      owner = { ...owner, ...extra };
      writeOwner();
    },
    release() {
      if (released) return;
      released = true;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function lockedError(dataDir: string): ApiError {
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as LockOwner;
  } catch {
    owner = undefined;
  }
  const who = owner
    ? `process ${owner.pid} (${owner.command}, started ${new Date(owner.startedAt).toISOString()})`
    : 'another process';
  return new ApiError({
    code: 'DATA_DIR_LOCKED',
    message: `The data dir ${dataDir} is in use by ${who}.`,
    hint: owner?.url
      ? `Open ${owner.url} to use that engine, stop it first, or pass --data-dir to use another data dir.`
      : 'Stop that engine first, or pass --data-dir to use another data dir.',
    details: owner,
  });
}
