import type { Facets, ItemFilter, VerificationFilter } from '../api/datasets';
import type { SqliteDatabase } from '../store/sqlite';
import type { Statement } from 'better-sqlite3';

/** How a null category or source is shown as a facet value, and how a filter asks for it. */
export const NONE_VALUE = '(none)';
export const FACET_LIMIT = 200;
const CACHE_ENTRIES = 256;

export type FacetDimension = 'category' | 'source' | 'tag' | 'verification';

/**
 * The items a filter selects, as FROM + WHERE over alias `i`, driven by the most selective index the filter
 * allows: a tag (tags_by_tag), a verification status (verifications_by_status), a category or source
 * ((dataset_id, column, id) indexes), else the dataset's (dataset_id, id). `key` is the driving id column, in
 * whose order rows come, so keyset pages and GROUP BY need no sort.
 */
export interface ItemScope {
  from: string;
  key: string;
  where: string[];
  args: unknown[];
}

type Filter = Omit<ItemFilter, FacetDimension> & Partial<Pick<ItemFilter, FacetDimension>>;

/** The filter's conditions on items `i` (the dataset's always), leaving out `skip`. */
export function itemConditions(
  filter: Filter,
  ...skip: FacetDimension[]
): { where: string[]; args: unknown[] } {
  const where = ['i.dataset_id = ?'];
  const args: unknown[] = [filter.datasetId];
  const wanted = (d: FacetDimension) => filter[d] !== undefined && !skip.includes(d);
  for (const column of ['category', 'source'] as const) {
    if (!wanted(column)) continue;
    if (filter[column] === NONE_VALUE) where.push(`i.${column} IS NULL`);
    else {
      where.push(`i.${column} = ?`);
      args.push(filter[column]);
    }
  }
  if (wanted('tag')) {
    where.push('EXISTS (SELECT 1 FROM tags tg WHERE tg.item_id = i.id AND tg.tag = ?)');
    args.push(filter.tag);
  }
  if (wanted('verification')) {
    if (filter.verification === 'unverified')
      where.push('NOT EXISTS (SELECT 1 FROM verifications v WHERE v.item_id = i.id)');
    else {
      where.push('EXISTS (SELECT 1 FROM verifications v WHERE v.item_id = i.id AND v.status = ?)');
      args.push(filter.verification);
    }
  }
  return { where, args };
}

/**
 * The items index that answers the filter's column conditions without reading rows (items are kilobytes of
 * text each: at a million rows, reading them is seconds, scanning an index is milliseconds).
 * `counted`: the column a facet groups by, preferred when nothing else decides and the scan is the driver.
 * `joined`: items are looked up by id from tags or verifications; null means by rowid.
 */
function itemsIndex(
  filter: Filter,
  counted: 'category' | 'source' | undefined,
  joined: boolean,
): string | null {
  if (filter.category !== undefined) return 'items_by_category';
  if (filter.source !== undefined) return 'items_by_source';
  if (counted) return joined ? null : `items_by_${counted}`;
  return 'items_by_dataset';
}

const itemsFrom = (index: string | null) => `items i${index ? ` INDEXED BY ${index}` : ''}`;

export function itemScope(filter: Filter, counted?: 'category' | 'source'): ItemScope {
  // CROSS JOIN pins the driving table first: the planner, without statistics, may otherwise walk the items.
  const joinedItems = itemsFrom(itemsIndex(filter, counted, true));
  if (filter.tag !== undefined) {
    const rest = itemConditions(filter, 'tag');
    return {
      from: `tags tg CROSS JOIN ${joinedItems} ON i.id = tg.item_id`,
      key: 'tg.item_id',
      where: ['tg.tag = ?', ...rest.where],
      args: [filter.tag, ...rest.args],
    };
  }
  if (filter.verification !== undefined && filter.verification !== 'unverified') {
    const rest = itemConditions(filter, 'verification');
    return {
      from: `verifications vs INDEXED BY verifications_by_status CROSS JOIN ${joinedItems} ON i.id = vs.item_id`,
      key: 'vs.item_id',
      where: ['vs.status = ?', ...rest.where],
      args: [filter.verification, ...rest.args],
    };
  }
  return { from: itemsFrom(itemsIndex(filter, counted, false)), key: 'i.id', ...itemConditions(filter) };
}

/** The filter without one facet: what that facet's counts are taken over. */
function without(filter: ItemFilter, dimension: FacetDimension): Filter {
  const rest: Filter = { ...filter };
  delete rest[dimension];
  return rest;
}

interface CacheEntry {
  changes: number;
  value: unknown;
}

/**
 * Facet counts for the dataset browser. Each facet counts the items matching every filter but its own, so the
 * list still offers the other values of a facet that is set (click "physics", still see "geometry"). Counting
 * a million items takes a scan of an index range (SQLite keeps no counts: 50–500 ms cold), so every count is
 * cached, keyed by dataset and filter, and dropped on any write to the database (total_changes(): never stale, and no writer
 * has to remember to invalidate).
 */
export class ItemFacets {
  private readonly cache = new Map<string, CacheEntry>();
  private totalChanges: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  facets(filter: ItemFilter): Facets {
    const verified = this.cached('verification', filter, () => this.verificationCounts(filter));
    const withoutVerification =
      filter.verification === undefined ? null : this.count(without(filter, 'verification'));
    const total = this.count(filter);
    const unverified = (withoutVerification ?? total) - verified.reduce((sum, v) => sum + v.count, 0);
    return {
      total,
      categories: this.cached('category', filter, () => this.columnCounts('category', filter)),
      sources: this.cached('source', filter, () => this.columnCounts('source', filter)),
      tags: this.cached('tag', filter, () => this.tagCounts(filter)),
      verification: [
        ...verified,
        ...(unverified > 0 ? [{ value: 'unverified' as const, count: unverified }] : []),
      ].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    };
  }

  /** Items matching the whole filter. */
  count(filter: Filter): number {
    return this.cached(null, filter, () => {
      const scope = itemScope(filter);
      return this.db
        .prepare(`SELECT COUNT(*) FROM ${scope.from} WHERE ${scope.where.join(' AND ')}`)
        .pluck()
        .get(...scope.args) as number;
    });
  }

  private columnCounts(column: 'category' | 'source', filter: ItemFilter) {
    const scope = itemScope(without(filter, column), column);
    const rows = this.db
      .prepare(
        `SELECT i.${column} AS value, COUNT(*) AS count FROM ${scope.from} WHERE ${scope.where.join(' AND ')}
         GROUP BY i.${column} ORDER BY count DESC, value LIMIT ${FACET_LIMIT}`,
      )
      .all(...scope.args) as { value: string | null; count: number }[];
    return rows.map((r) => ({ value: r.value ?? NONE_VALUE, count: r.count }));
  }

  /** Driven from the tags: usually far fewer rows than items, and tags_by_tag yields them grouped. */
  private tagCounts(filter: ItemFilter) {
    const { where, args } = itemConditions(filter, 'tag');
    return this.db
      .prepare(
        `SELECT t.tag AS value, COUNT(*) AS count
         FROM tags t INDEXED BY tags_by_tag CROSS JOIN ${itemsFrom(itemsIndex(filter, undefined, true))} ON i.id = t.item_id
         WHERE ${where.join(' AND ')} GROUP BY t.tag ORDER BY count DESC, value LIMIT ${FACET_LIMIT}`,
      )
      .all(...args) as { value: string; count: number }[];
  }

  /** Verified items by status, driven from the verifications; "unverified" is the rest of the total. */
  private verificationCounts(filter: ItemFilter) {
    const { where, args } = itemConditions(filter, 'verification');
    return this.db
      .prepare(
        `SELECT v.status AS value, COUNT(*) AS count
         FROM verifications v INDEXED BY verifications_by_status CROSS JOIN ${itemsFrom(itemsIndex(filter, undefined, true))} ON i.id = v.item_id
         WHERE ${where.join(' AND ')} GROUP BY v.status`,
      )
      .all(...args) as { value: Exclude<VerificationFilter, 'unverified'>; count: number }[];
  }

  private cached<T>(dimension: FacetDimension | null, filter: Filter, compute: () => T): T {
    const key = JSON.stringify([
      dimension,
      filter.datasetId,
      dimension === 'category' ? null : (filter.category ?? null),
      dimension === 'source' ? null : (filter.source ?? null),
      dimension === 'tag' ? null : (filter.tag ?? null),
      dimension === 'verification' ? null : (filter.verification ?? null),
    ]);
    this.totalChanges ??= this.db.prepare('SELECT total_changes()').pluck();
    const changes = this.totalChanges.get() as number;
    const hit = this.cache.get(key);
    if (hit && hit.changes === changes) return hit.value as T;
    const value = compute();
    this.cache.delete(key);
    this.cache.set(key, { changes, value });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}
