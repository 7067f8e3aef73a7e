import type { SqliteDatabase } from './sqlite';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

/** Numbered, append-only. Never edit a shipped migration: add the next number. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'core: settings, blobs, jobs',
    up: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        ext TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        params TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued','running','paused','cancelled','done','failed')),
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX jobs_by_state ON jobs (state, created_at);

      -- One row per unit of work, so a resumed job skips what is already done.
      CREATE TABLE job_items (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending','running','done','failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        result TEXT,
        error TEXT,
        finished_at INTEGER,
        PRIMARY KEY (job_id, idx)
      ) STRICT;
      CREATE INDEX job_items_pending ON job_items (job_id, state, idx);
    `,
  },
  {
    version: 2,
    name: 'render cache',
    up: `
      -- One row per distinct render (hash of code + options + renderer and library versions).
      CREATE TABLE renders (
        key TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        failure TEXT,
        partial INTEGER NOT NULL,
        image_sha256 TEXT REFERENCES blobs (sha256),
        trace_sha256 TEXT REFERENCES blobs (sha256),
        width INTEGER,
        height INTEGER,
        stdout TEXT NOT NULL,
        stderr TEXT NOT NULL,
        stdout_truncated INTEGER NOT NULL,
        stderr_truncated INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        environment TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export interface MigrationOutcome {
  from: number;
  to: number;
  applied: string[];
  /** Copy of the database taken before an existing database was migrated. */
  backupPath: string | null;
}

/**
 * Brings the schema to the newest version, each migration in its own transaction. An existing database is
 * copied first (VACUUM INTO) so a failed or regretted upgrade never costs the user their data.
 */
export function migrate(
  db: SqliteDatabase,
  dbPath: string,
  list: readonly Migration[] = migrations,
): MigrationOutcome {
  const from = db.pragma('user_version', { simple: true }) as number;
  const newest = list.at(-1)?.version ?? 0;
  if (from > newest) {
    throw new Error(
      `${dbPath} has schema version ${from}, newer than this build knows (${newest}). ` +
        'Update CodePercept Workbench, or point --data-dir elsewhere.',
    );
  }
  const pending = list.filter((m) => m.version > from);
  let backupPath: string | null = null;
  if (pending.length > 0 && from > 0 && dbPath !== ':memory:') {
    backupPath = `${dbPath}.before-v${pending[0]!.version}.bak`;
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return {
    from,
    to: Math.max(from, newest),
    applied: pending.map((m) => `${m.version} ${m.name}`),
    backupPath,
  };
}
