import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../main/store/migrations';
import type { Migration } from '../../main/store/migrations';
import { makeTempDir } from '../support/tempDir';

describe('migrate', () => {
  const dirs: { cleanup: () => void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const fresh = () => {
    const d = makeTempDir();
    dirs.push(d);
    const path = join(d.path, 'workbench.db');
    return { path, db: new Database(path) };
  };

  it('numbers migrations 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('creates the schema on a new database without a backup', () => {
    const { path, db } = fresh();
    const outcome = migrate(db, path);
    expect(outcome).toMatchObject({ from: 0, to: migrations.length, backupPath: null });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'blobs', 'jobs', 'job_items']));
    expect(migrate(db, path).applied).toEqual([]);
    db.close();
  });

  it('backs up an existing database before upgrading it, and keeps its data', () => {
    const { path, db } = fresh();
    migrate(db, path);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    const next: Migration = {
      version: migrations.length + 1,
      name: 'test: notes',
      up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY) STRICT;',
    };
    const outcome = migrate(db, path, [...migrations, next]);
    expect(outcome.applied).toEqual([`${next.version} test: notes`]);
    expect(outcome.backupPath).not.toBeNull();
    expect(existsSync(outcome.backupPath!)).toBe(true);
    const backup = new Database(outcome.backupPath!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(backup.prepare('SELECT value FROM settings').get()).toEqual({ value: '"dark"' });
    backup.close();
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const { path, db } = fresh();
    migrate(db, path);
    const broken: Migration = {
      version: migrations.length + 1,
      name: 'broken',
      up: 'CREATE TABLE half (x); SELECT * FROM no_such_table;',
    };
    expect(() => migrate(db, path, [...migrations, broken])).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database from a newer build', () => {
    const { path, db } = fresh();
    db.pragma('user_version = 999');
    expect(() => migrate(db, path)).toThrow(/schema version 999, newer than this build/);
    db.close();
  });
});
