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
  {
    version: 3,
    name: 'datasets: datasets, items, tags, notes, full-text search',
    up: `
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('icc','stem2code','vqa')),
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        item_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        category TEXT,
        source TEXT,
        image_sha256 TEXT REFERENCES blobs (sha256),
        caption TEXT,
        code TEXT,
        question TEXT,
        answer TEXT,
        choices TEXT,
        metadata TEXT,
        -- Hash of the normalized row and its image: the same content imported twice is stored once.
        content_hash TEXT NOT NULL,
        -- The import job that stored the row, so a resumed import tells its own rows from true duplicates.
        import_job TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (dataset_id, uid),
        UNIQUE (dataset_id, content_hash)
      ) STRICT;
      -- Keyset pagination walks (dataset_id, id) and (dataset_id, category, id) without sorting.
      CREATE INDEX items_by_dataset ON items (dataset_id, id);
      CREATE INDEX items_by_category ON items (dataset_id, category, id);

      CREATE TABLE tags (
        item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (item_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX tags_by_tag ON tags (tag, item_id);

      CREATE TABLE item_notes (
        item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- External content: the text lives once, in items; triggers keep the index in step.
      CREATE VIRTUAL TABLE items_fts USING fts5 (
        caption, code, question,
        content = 'items', content_rowid = 'id', tokenize = 'unicode61'
      );
      CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_fts (rowid, caption, code, question) VALUES (new.id, new.caption, new.code, new.question);
      END;
      CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, caption, code, question)
        VALUES ('delete', old.id, old.caption, old.code, old.question);
      END;
      CREATE TRIGGER items_fts_update AFTER UPDATE OF caption, code, question ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, caption, code, question)
        VALUES ('delete', old.id, old.caption, old.code, old.question);
        INSERT INTO items_fts (rowid, caption, code, question) VALUES (new.id, new.caption, new.code, new.question);
      END;
    `,
  },
  {
    version: 4,
    name: 'datasets: thumbnails, verification results, source facet index',
    up: `
      -- Small WebP thumbnails, one per distinct image, made at import (the decode doubles as validation).
      CREATE TABLE thumbnails (
        sha256 TEXT PRIMARY KEY REFERENCES blobs (sha256),
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        mime TEXT NOT NULL,
        data BLOB NOT NULL
      ) STRICT;

      -- The latest verification of each item (re-render its code, compare with its image).
      CREATE TABLE verifications (
        item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('match','mismatch','render_failed','no_code','no_image')),
        ssim REAL,
        iou REAL,
        render_status TEXT,
        render_sha256 TEXT,
        job_id TEXT,
        checked_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX verifications_by_status ON verifications (status, item_id);

      CREATE INDEX items_by_source ON items (dataset_id, source, id);

      -- ItemRepository indexes each inserted batch with one INSERT … SELECT, at less than half the cost of
      -- this per-row trigger; the delete and update triggers stay.
      DROP TRIGGER items_fts_insert;
    `,
  },
  {
    version: 5,
    name: 'models: registered models and added models folders',
    up: `
      -- A model registered under a name (models add PATH --name N), with its vision projector if any.
      CREATE TABLE models (
        name TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        mmproj_path TEXT,
        added_at INTEGER NOT NULL
      ) STRICT;

      -- Folders scanned for .gguf/.onnx files besides <dataDir>/models.
      CREATE TABLE model_folders (
        path TEXT PRIMARY KEY,
        added_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'eval: runs, per-item stages, stage cache, stage attempts, item results',
    up: `
      -- A STEM2Code-Eval run: its config and the environment its numbers were made in.
      CREATE TABLE eval_runs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id INTEGER NOT NULL REFERENCES datasets (id),
        config TEXT NOT NULL,
        environment TEXT NOT NULL,
        job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX eval_runs_by_created ON eval_runs (created_at);

      -- One row per finished stage of an item: a resumed run never redoes a stage that has a row.
      CREATE TABLE eval_stages (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        stage TEXT NOT NULL,
        value TEXT NOT NULL,
        -- Served from the cross-run cache (or the render cache) rather than computed for this run.
        cached INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, item_id, stage)
      ) STRICT, WITHOUT ROWID;

      -- Every start of a stage's work (audit, and proof that a resume recomputes nothing finished).
      CREATE TABLE eval_stage_attempts (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        stage TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX eval_stage_attempts_by_item ON eval_stage_attempts (run_id, item_id, stage);

      -- Deterministic stage results by content hash of their inputs, shared across runs.
      CREATE TABLE eval_stage_cache (
        key TEXT PRIMARY KEY,
        stage TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- The assembled per-item record (evalItemResultSchema), rewritten as stages finish: paging, filters
      -- and sorting read this, never the stage rows.
      CREATE TABLE eval_results (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        uid TEXT NOT NULL,
        category TEXT,
        failure TEXT,
        complete INTEGER NOT NULL,
        result TEXT NOT NULL,
        PRIMARY KEY (run_id, item_id)
      ) STRICT;
      CREATE INDEX eval_results_by_failure ON eval_results (run_id, failure);
      CREATE INDEX eval_results_by_category ON eval_results (run_id, category);
    `,
  },
  {
    version: 7,
    name: 'eval: samples per item (stages, attempts and results keyed by sample)',
    up: `
      -- A run may draw N answers per item (settings.samples). Every stage, attempt and result row now names
      -- its sample; rows of earlier runs become sample 0. SQLite cannot change a primary key in place, so
      -- each table is rebuilt and its rows copied.
      CREATE TABLE eval_stages_v7 (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        sample INTEGER NOT NULL DEFAULT 0,
        stage TEXT NOT NULL,
        value TEXT NOT NULL,
        cached INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, item_id, sample, stage)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO eval_stages_v7 (run_id, item_id, sample, stage, value, cached, duration_ms, created_at)
        SELECT run_id, item_id, 0, stage, value, cached, duration_ms, created_at FROM eval_stages;
      DROP TABLE eval_stages;
      ALTER TABLE eval_stages_v7 RENAME TO eval_stages;

      CREATE TABLE eval_stage_attempts_v7 (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        sample INTEGER NOT NULL DEFAULT 0,
        stage TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO eval_stage_attempts_v7 (run_id, item_id, sample, stage, pid, started_at)
        SELECT run_id, item_id, 0, stage, pid, started_at FROM eval_stage_attempts;
      DROP TABLE eval_stage_attempts;
      ALTER TABLE eval_stage_attempts_v7 RENAME TO eval_stage_attempts;
      CREATE INDEX eval_stage_attempts_by_item ON eval_stage_attempts (run_id, item_id, sample, stage);

      CREATE TABLE eval_results_v7 (
        run_id TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL,
        sample INTEGER NOT NULL DEFAULT 0,
        uid TEXT NOT NULL,
        category TEXT,
        failure TEXT,
        complete INTEGER NOT NULL,
        result TEXT NOT NULL,
        PRIMARY KEY (run_id, item_id, sample)
      ) STRICT;
      INSERT INTO eval_results_v7 (run_id, item_id, sample, uid, category, failure, complete, result)
        SELECT run_id, item_id, 0, uid, category, failure, complete, result FROM eval_results;
      DROP TABLE eval_results;
      ALTER TABLE eval_results_v7 RENAME TO eval_results;
      CREATE INDEX eval_results_by_failure ON eval_results (run_id, failure);
      CREATE INDEX eval_results_by_category ON eval_results (run_id, category);
    `,
  },
  {
    version: 8,
    name: 'scaling: external result sets (published numbers overlaid on charts)',
    up: `
      -- An imported external-results CSV, parsed and validated (externalResultSchema[] as JSON).
      CREATE TABLE scaling_external_sets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        results TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'scaling: studies, the cross-study caption cache, per-cell answers, attempts, parameter overrides',
    up: `
      -- A perception/reasoning study: its validated config (models with their identities and GGUF sizes) and
      -- the item ids it covers, fixed at start so a resume plans the same work.
      CREATE TABLE scaling_studies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        config TEXT NOT NULL,
        item_ids TEXT NOT NULL,
        job_id TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- Captions shared by every study: key = hash of model identity, prompt (text, variant, version), image
      -- and sampling settings. Only successful captions are stored, so a failure is retried by the next study.
      CREATE TABLE scaling_captions (
        cache_key TEXT PRIMARY KEY,
        model_identity TEXT NOT NULL,
        variant TEXT NOT NULL,
        prompt_version INTEGER NOT NULL,
        image_sha256 TEXT NOT NULL,
        text TEXT NOT NULL,
        raw TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- What one study got for each (captioner, item): computed here, served from the cache, or failed.
      CREATE TABLE scaling_study_captions (
        study_id TEXT NOT NULL REFERENCES scaling_studies (id) ON DELETE CASCADE,
        captioner TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        cache_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('computed','cached','failed')),
        error TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (study_id, captioner, item_id)
      ) STRICT, WITHOUT ROWID;

      -- One answer per cell and item; solver '' is the direct baseline (the captioner answers from the image).
      CREATE TABLE scaling_answers (
        study_id TEXT NOT NULL REFERENCES scaling_studies (id) ON DELETE CASCADE,
        captioner TEXT NOT NULL,
        solver TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        response TEXT,
        extracted TEXT,
        correct INTEGER NOT NULL,
        error TEXT,
        duration_ms REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (study_id, captioner, solver, item_id)
      ) STRICT, WITHOUT ROWID;

      -- Every model call, written before it starts and stamped when it ends: counts calls, and shows that a
      -- resumed study repeats only the calls a crash interrupted (finished_at NULL).
      CREATE TABLE scaling_attempts (
        id INTEGER PRIMARY KEY,
        study_id TEXT NOT NULL REFERENCES scaling_studies (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('caption','answer','direct')),
        captioner TEXT NOT NULL,
        solver TEXT,
        item_id INTEGER NOT NULL,
        pid INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX scaling_attempts_by_study ON scaling_attempts (study_id, kind);

      -- Parameter counts a person set for a study's model (endpoints have no GGUF to read).
      CREATE TABLE scaling_parameters (
        study_id TEXT NOT NULL REFERENCES scaling_studies (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('captioner','solver')),
        label TEXT NOT NULL,
        parameters REAL NOT NULL,
        PRIMARY KEY (study_id, role, label)
      ) STRICT, WITHOUT ROWID;
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
