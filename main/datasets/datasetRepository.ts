import { ApiError } from '../api/errors';
import type { Dataset, DatasetKind } from '../api/datasets';
import type { SqliteDatabase } from '../store/sqlite';

interface DatasetRow {
  id: number;
  name: string;
  kind: DatasetKind;
  source: string;
  created_at: number;
  item_count: number;
}

function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    source: row.source,
    createdAt: row.created_at,
    itemCount: row.item_count,
  };
}

export class DatasetRepository {
  constructor(private readonly db: SqliteDatabase) {}

  list(): Dataset[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY name').all() as DatasetRow[]).map(toDataset);
  }

  get(id: number): Dataset {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    if (!row) throw new ApiError({ code: 'NOT_FOUND', message: `No dataset with id ${id}.` });
    return toDataset(row);
  }

  resolve(name: string): Dataset {
    const row = this.db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
    if (!row)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No dataset named "${name}".`,
        hint: 'List them with: codepercept datasets',
      });
    return toDataset(row);
  }

  /** Re-importing into an existing name adds to that dataset (duplicates are skipped by content hash). */
  ensure(name: string, kind: DatasetKind, source: string): Dataset {
    this.db
      .prepare('INSERT OR IGNORE INTO datasets (name, kind, source, created_at) VALUES (?, ?, ?, ?)')
      .run(name, kind, source, Date.now());
    return this.resolve(name);
  }

  addToCount(id: number, delta: number): void {
    if (delta !== 0)
      this.db.prepare('UPDATE datasets SET item_count = item_count + ? WHERE id = ?').run(delta, id);
  }
}
