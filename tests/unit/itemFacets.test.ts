import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerificationStatus } from '../../main/api/datasets';
import { DatasetRepository } from '../../main/datasets/datasetRepository';
import { contentHash } from '../../main/datasets/importers/rowMapping';
import { ItemFacets, itemScope, NONE_VALUE } from '../../main/datasets/itemFacets';
import { ItemRepository } from '../../main/datasets/itemRepository';
import type { NewItem } from '../../main/datasets/itemRepository';
import { VerificationRepository } from '../../main/datasets/verificationRepository';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

function newItem(uid: string, category: string | null, source: string | null): NewItem {
  const base = {
    category,
    source,
    imageSha256: null,
    caption: null,
    code: `# ${uid}`,
    question: null,
    answer: null,
    choices: null,
  };
  return { ...base, uid, metadata: null, contentHash: contentHash(base) };
}

const verdict = (status: VerificationStatus) => ({
  status,
  ssim: null,
  iou: null,
  renderStatus: null,
  renderSha256: null,
  checkedAt: 1,
});

/**
 * 30 items: category by i % 3 (a, b, c), source "web" for even i and null for odd; tag "hot" on i % 5 == 0;
 * verified: i < 10 match, 10 ≤ i < 14 mismatch, i == 14 render_failed; the rest unverified.
 */
describe('facets and filtered pages', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: WorkbenchStore;
  let items: ItemRepository;
  let facets: ItemFacets;
  let datasetId: number;
  let ids: number[];

  beforeEach(() => {
    dir = makeTempDir();
    store = openWorkbenchStore(dir.path, 'test');
    const datasets = new DatasetRepository(store.db);
    items = new ItemRepository(store.db, store.blobs);
    facets = new ItemFacets(store.db);
    datasetId = datasets.ensure('main', 'icc', 'x').id;
    const other = datasets.ensure('other', 'icc', 'y').id;
    for (let i = 0; i < 30; i++)
      items.insert(datasetId, newItem(String(i), 'abc'[i % 3]!, i % 2 === 0 ? 'web' : null), 'job', 1);
    // Another dataset with the same values must never leak into the counts.
    for (let i = 0; i < 5; i++) items.insert(other, newItem(`o${i}`, 'a', 'web'), 'job', 1);
    ids = items.page({ datasetId, limit: 500 }).items.map((i) => i.id);
    ids.forEach((id, i) => i % 5 === 0 && items.tag(id, 'hot'));
    items.tag(items.page({ datasetId: other }).items[0]!.id, 'hot');
    new VerificationRepository(store.db).saveAll(
      ids.slice(0, 15).map((id, i) => ({
        itemId: id,
        verification: verdict(i < 10 ? 'match' : i < 14 ? 'mismatch' : 'render_failed'),
      })),
      'job',
    );
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  const uids = (page: { items: { uid: string }[] }) => page.items.map((i) => i.uid);

  it('counts every facet of a dataset, nulls as "(none)", unverified as the rest', () => {
    expect(facets.facets({ datasetId })).toEqual({
      total: 30,
      categories: [
        { value: 'a', count: 10 },
        { value: 'b', count: 10 },
        { value: 'c', count: 10 },
      ],
      sources: [
        { value: NONE_VALUE, count: 15 },
        { value: 'web', count: 15 },
      ],
      tags: [{ value: 'hot', count: 6 }],
      verification: [
        { value: 'unverified', count: 15 },
        { value: 'match', count: 10 },
        { value: 'mismatch', count: 4 },
        { value: 'render_failed', count: 1 },
      ],
    });
  });

  it('counts each facet over the filter without its own value, so a set facet still offers the others', () => {
    const f = facets.facets({ datasetId, category: 'a', verification: 'match' });
    // category a: 0, 3, 6, 9, ...; of those, match (i < 10): 0, 3, 6, 9.
    expect(f.total).toBe(4);
    expect(f.categories).toEqual([
      { value: 'a', count: 4 },
      { value: 'b', count: 3 },
      { value: 'c', count: 3 },
    ]);
    // Category a, any status: 0, 3, …, 27; match 0–9 (4), mismatch 12 (1), unverified 15–27 (5).
    expect(f.verification).toEqual([
      { value: 'unverified', count: 5 },
      { value: 'match', count: 4 },
      { value: 'mismatch', count: 1 },
    ]);
    // Ties go by value: "(none)" sorts before letters.
    expect(f.sources).toEqual([
      { value: NONE_VALUE, count: 2 },
      { value: 'web', count: 2 },
    ]);
    // Of 0, 3, 6, 9 only 0 is tagged (every fifth item).
    expect(f.tags).toEqual([{ value: 'hot', count: 1 }]);
    expect(facets.facets({ datasetId, source: NONE_VALUE, tag: 'hot' }).total).toBe(3);
    expect(facets.facets({ datasetId, verification: 'unverified', category: 'b' }).total).toBe(5);
  });

  it('pages by source, "(none)", verification and "unverified", alone and combined, in id order', () => {
    expect(uids(items.page({ datasetId, source: NONE_VALUE, limit: 3 }))).toEqual(['1', '3', '5']);
    expect(uids(items.page({ datasetId, verification: 'mismatch' }))).toEqual(['10', '11', '12', '13']);
    expect(uids(items.page({ datasetId, verification: 'unverified', category: 'a' }))).toEqual([
      '15',
      '18',
      '21',
      '24',
      '27',
    ]);
    expect(uids(items.page({ datasetId, tag: 'hot', verification: 'match' }))).toEqual(['0', '5']);
    // Category b is 1, 4, 7, …; of those even (web) and unverified (≥ 15): 16, 22, 28.
    expect(uids(items.page({ datasetId, source: 'web', category: 'b', verification: 'unverified' }))).toEqual(
      ['16', '22', '28'],
    );
    expect(uids(items.page({ datasetId: datasetId + 1, verification: 'unverified' }))).toHaveLength(5);
  });

  it('jumps to an offset and continues with keyset pages from there, with no gap or repeat', () => {
    const jump = items.page({ datasetId, offset: 12, limit: 5 });
    expect(uids(jump)).toEqual(['12', '13', '14', '15', '16']);
    const nextPage = items.page({ datasetId, after: jump.next!, limit: 5 });
    expect(uids(nextPage)).toEqual(['17', '18', '19', '20', '21']);
    // Offset within a filter counts filtered positions; offset after `after` counts from there.
    expect(uids(items.page({ datasetId, category: 'c', offset: 2, limit: 2 }))).toEqual(['8', '11']);
    expect(uids(items.page({ datasetId, after: ids[20], offset: 2, limit: 2 }))).toEqual(['23', '24']);
    expect(items.page({ datasetId, offset: 30 })).toEqual({ items: [], next: null });
    expect(uids(items.page({ datasetId, offset: 29 }))).toEqual(['29']);
  });

  it('drives every filter from an index, never a scan of the items table', () => {
    const filters = [
      { datasetId },
      { datasetId, category: 'a' },
      { datasetId, source: 'web' },
      { datasetId, tag: 'hot', category: 'a' },
      { datasetId, verification: 'mismatch' as const, source: 'web' },
      { datasetId, verification: 'unverified' as const },
    ];
    for (const filter of filters) {
      const scope = itemScope(filter);
      const plan = (
        store.db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT ${scope.key} FROM ${scope.from} WHERE ${scope.where.join(' AND ')}`,
          )
          .all(...scope.args) as { detail: string }[]
      ).map((r) => r.detail);
      expect(plan[0], JSON.stringify(filter)).toMatch(/^SEARCH .* USING (COVERING )?INDEX /);
    }
    // Counting never reads item rows when an index holds the columns (rows are kilobytes of text each).
    const covering = (scope: ReturnType<typeof itemScope>, column: string) =>
      (
        store.db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT ${column}, COUNT(*) FROM ${scope.from} WHERE ${scope.where.join(' AND ')} GROUP BY ${column}`,
          )
          .all(...scope.args) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
    expect(covering(itemScope({ datasetId }, 'category'), 'i.category')).toMatch(
      /COVERING INDEX items_by_category/,
    );
    expect(covering(itemScope({ datasetId }, 'source'), 'i.source')).not.toMatch(/TEMP B-TREE/);
    expect(covering(itemScope({ datasetId, category: 'a', verification: 'mismatch' }), 'vs.status')).toMatch(
      /COVERING INDEX items_by_category/,
    );
  });

  it('serves counts from the cache until the next write, and never a stale count', () => {
    const db = store.db;
    const before = facets.facets({ datasetId });
    const prepare = db.prepare.bind(db);
    let counted = 0;
    db.prepare = ((sql: string) => {
      if (/COUNT\(\*\)/.test(sql)) counted++;
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      expect(facets.facets({ datasetId })).toEqual(before);
      expect(counted).toBe(0);
      items.tag(ids[1]!, 'hot');
      expect(facets.facets({ datasetId }).tags).toEqual([{ value: 'hot', count: 7 }]);
      expect(counted).toBeGreaterThan(0);
    } finally {
      db.prepare = prepare;
    }
  });
});
