import type { Item } from '../api/datasets';
import type { SqliteDatabase } from '../store/sqlite';
import { ITEM_COLUMNS, ITEM_FROM } from './itemRepository';
import type { ItemRepository, ItemRow } from './itemRepository';

export interface SearchHit {
  item: Item;
  snippet: string;
  rank: number;
}

/**
 * How many matches (in rowid order) are ranked at most. bm25 over every row holding a very common term would
 * cost a full scan of its posting list; ranking the first N keeps the first page fast whatever the query.
 */
export const RANK_WINDOW = 2000;

/** Turns free text into an FTS5 query: each word quoted (no syntax errors from user input), all required. */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words.map((w) => `"${w}"`).join(' ');
}

export class ItemSearch {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly items: ItemRepository,
  ) {}

  search(datasetId: number, text: string, limit = 20): SearchHit[] {
    const match = toFtsQuery(text);
    if (match === null) return [];
    // The dataset's rowid range narrows the FTS scan itself (FTS5 seeks on rowid bounds); joining items
    // inside the window instead would let the planner walk every item of the dataset and probe the index.
    const range = this.db
      // Two ordered lookups, not MIN()+MAX() in one SELECT: that form scans the dataset's whole index range.
      .prepare(
        `SELECT (SELECT id FROM items WHERE dataset_id = ? ORDER BY id LIMIT 1) AS lo,
                (SELECT id FROM items WHERE dataset_id = ? ORDER BY id DESC LIMIT 1) AS hi`,
      )
      .get(datasetId, datasetId) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return [];
    const ranked = this.db
      .prepare(
        `WITH window AS MATERIALIZED (
           SELECT rowid AS id, bm25(items_fts) AS rank FROM items_fts
           WHERE items_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?
         )
         -- CROSS JOIN fixes the order: window first. Otherwise the planner may walk the dataset's items and
         -- probe the window, which costs time in proportion to the dataset.
         SELECT w.id, w.rank FROM window w CROSS JOIN items i ON i.id = w.id
         WHERE i.dataset_id = ? ORDER BY w.rank, w.id LIMIT ?`,
      )
      .all(match, range.lo, range.hi, RANK_WINDOW, datasetId, limit) as { id: number; rank: number }[];
    // snippet() only for the page: it re-tokenizes each row's text, too costly for the whole window.
    // The CAST matters: JS numbers bind as REAL, and FTS5 (SQLite 3.51) ignores a REAL `rowid =` constraint,
    // so every page row got the first match's snippet.
    const snippetOf = this.db.prepare(
      `SELECT snippet(items_fts, -1, '«', '»', '…', 16) AS snippet FROM items_fts
       WHERE items_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
    );
    const rowOf = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE i.id = ?`);
    return ranked.map(({ id, rank }) => ({
      item: this.items.toItem(rowOf.get(id) as ItemRow),
      snippet: (snippetOf.get(match, id) as { snippet: string }).snippet,
      rank,
    }));
  }
}
