import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetRepository } from '../../main/datasets/datasetRepository';
import { ItemRepository } from '../../main/datasets/itemRepository';
import type { NewItem } from '../../main/datasets/itemRepository';
import { ItemSearch, toFtsQuery } from '../../main/datasets/itemSearch';
import { contentHash } from '../../main/datasets/importers/rowMapping';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

function newItem(uid: string, fields: Partial<NewItem> = {}): NewItem {
  const base = {
    category: null,
    source: null,
    imageSha256: null,
    caption: null,
    code: `# item ${uid}\nplt.plot([1, 2])`,
    question: null,
    answer: null,
    choices: null,
    ...fields,
  };
  return { ...base, uid, metadata: null, contentHash: contentHash(base) };
}

describe('items: keyset pages, tags, notes and search', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: WorkbenchStore;
  let items: ItemRepository;
  let search: ItemSearch;
  let datasetId: number;
  let otherId: number;

  beforeEach(() => {
    dir = makeTempDir();
    store = openWorkbenchStore(dir.path, 'test');
    const datasets = new DatasetRepository(store.db);
    items = new ItemRepository(store.db, store.blobs);
    search = new ItemSearch(store.db, items);
    datasetId = datasets.ensure('main', 'stem2code', 'x').id;
    otherId = datasets.ensure('other', 'icc', 'y').id;
    for (let i = 0; i < 25; i++)
      items.insert(
        datasetId,
        newItem(String(i), {
          category: i % 2 === 0 ? 'even' : 'odd',
          caption: i === 7 ? 'A parabola opening upward' : `Line chart number ${i}`,
        }),
        'job',
        1,
      );
    items.insert(otherId, newItem('p', { caption: 'Another parabola' }), 'job', 1);
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  it('walks a dataset page by page with no gaps or repeats, filtered by category', () => {
    const seen: string[] = [];
    let after: number | undefined;
    for (;;) {
      const page = items.page({ datasetId, limit: 10, ...(after ? { after } : {}) });
      seen.push(...page.items.map((i) => i.uid));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    const odd = items.page({ datasetId, category: 'odd', limit: 5 });
    expect(odd.items.map((i) => i.uid)).toEqual(['1', '3', '5', '7', '9']);
    const rest = items.page({ datasetId, category: 'odd', after: odd.next!, limit: 100 });
    expect(rest.items.map((i) => i.uid)).toEqual(['11', '13', '15', '17', '19', '21', '23']);
    expect(rest.next).toBeNull();
  });

  it('uses the keyset indexes, not a scan', () => {
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(datasetId) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    expect(plan('SELECT id FROM items WHERE dataset_id = ? AND id > 0 ORDER BY id LIMIT 5')).toMatch(
      /USING (COVERING )?INDEX items_by_dataset/,
    );
  });

  it('deduplicates by uid and by content, and tells its own resumed rows apart', () => {
    expect(
      items.insert(datasetId, newItem('0', { category: 'even', caption: 'Line chart number 0' }), 'job', 2),
    ).toBe('already-imported');
    expect(
      items.insert(datasetId, newItem('0', { category: 'even', caption: 'Line chart number 0' }), 'job2', 2),
    ).toBe('duplicate');
    // Same content under another uid is still a duplicate.
    expect(items.insert(datasetId, newItem('0', { caption: 'new' }), 'job2', 2)).toBe('duplicate');
    expect(
      items.insert(datasetId, newItem('99', { category: 'even', caption: 'Line chart number 0' }), 'job2', 2),
    ).toBe('inserted');
  });

  it('tags, untags, pages by tag and keeps a note', () => {
    const { items: firstTwo } = items.page({ datasetId, limit: 3 });
    items.tag(firstTwo[0]!.id, 'check');
    items.tag(firstTwo[2]!.id, 'check');
    expect(items.tag(firstTwo[2]!.id, 'axis').tags).toEqual(['axis', 'check']);
    expect(items.page({ datasetId, tag: 'check' }).items.map((i) => i.uid)).toEqual(['0', '2']);
    expect(items.untag(firstTwo[0]!.id, 'check').tags).toEqual([]);
    expect(items.page({ datasetId, tag: 'check' }).items.map((i) => i.uid)).toEqual(['2']);
    expect(items.setNote(firstTwo[1]!.id, 'wrong axis range').note).toBe('wrong axis range');
    expect(items.setNote(firstTwo[1]!.id, null).note).toBeNull();
  });

  it('searches one dataset, with highlighted snippets, and ranks the rare match first', () => {
    const hits = search.search(datasetId, 'parabola');
    expect(hits.map((h) => h.item.uid)).toEqual(['7']);
    expect(hits[0]!.snippet).toBe('A «parabola» opening upward');
    expect(search.search(otherId, 'parabola').map((h) => h.item.uid)).toEqual(['p']);
    // Every item matches "chart"; results stay bounded by the limit.
    const charts = search.search(datasetId, 'chart', 5);
    expect(charts).toHaveLength(5);
    // Each hit carries its own snippet (a REAL-bound rowid once gave every hit the first one's).
    for (const hit of charts) expect(hit.snippet).toContain(hit.item.caption!.replace('chart', '«chart»'));
    expect(search.search(datasetId, '"(*)"')).toEqual([]);
    expect(toFtsQuery('plt.plot AND "x"')).toBe('"plt" "plot" "AND" "x"');
  });
});
