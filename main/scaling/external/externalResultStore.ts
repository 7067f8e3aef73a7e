import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { externalResultSchema } from '../../api/scaling';
import type { ExternalResult, ExternalResultSet } from '../../api/scaling';
import type { SqliteDatabase } from '../../store/sqlite';
import { parseExternalResultsCsv } from './externalResultsCsv';

interface Row {
  id: string;
  name: string;
  source: string;
  results: string;
  created_at: number;
}

const storedResults = z.array(externalResultSchema);

/** External result sets (published numbers) in the v8 table `scaling_external_sets`, one row per set. */
export class ExternalResultStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  private static toSet(row: Row): ExternalResultSet {
    return {
      id: row.id,
      name: row.name,
      source: row.source,
      results: storedResults.parse(JSON.parse(row.results)),
      createdAt: row.created_at,
    };
  }

  /** Oldest first, so the sample's published numbers stay the first set a new user sees. */
  list(): ExternalResultSet[] {
    const rows = this.db
      .prepare(
        'SELECT id, name, source, results, created_at FROM scaling_external_sets ORDER BY created_at, rowid',
      )
      .all() as Row[];
    return rows.map((row) => ExternalResultStore.toSet(row));
  }

  /** Stores already-validated results as one set (one INSERT: the set is there whole or not at all). */
  add(input: { name: string; source: string; results: ExternalResult[] }): ExternalResultSet {
    const set: ExternalResultSet = {
      id: randomUUID(),
      name: input.name,
      source: input.source,
      results: storedResults.parse(input.results),
      createdAt: this.now(),
    };
    this.db
      .prepare(
        'INSERT INTO scaling_external_sets (id, name, source, results, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(set.id, set.name, set.source, JSON.stringify(set.results), set.createdAt);
    return set;
  }

  /** Parses the CSV (an ApiError lists every bad line and column) and stores it; nothing is stored on error. */
  import(input: { name: string; source: string; csv: string }): ExternalResultSet {
    const results = parseExternalResultsCsv(input.csv, `"${input.name}"`);
    return this.db.transaction(() => this.add({ name: input.name, source: input.source, results }))();
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM scaling_external_sets WHERE id = ?').run(id).changes > 0;
  }
}
