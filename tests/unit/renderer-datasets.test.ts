import { describe, expect, it } from 'vitest';
import type { Facets } from '../../main/api/datasets';
import { browserKeyAction, moveSelection } from '../../renderer/src/datasets/browserKeys';
import type { BrowserKeyPress } from '../../renderer/src/datasets/browserKeys';
import {
  activeFacets,
  clearFacet,
  facetEntries,
  filterKey,
  selectDataset,
  toggleFacet,
} from '../../renderer/src/datasets/facetFilter';
import { defaultImportForm, parseFieldMap, readImportForm } from '../../renderer/src/datasets/importForm';
import { ItemPageCache } from '../../renderer/src/datasets/itemPageCache';
import { LruMap } from '../../renderer/src/datasets/lruMap';
import { scrollMapping } from '../../renderer/src/datasets/scrollMapping';
import { parseSnippet } from '../../renderer/src/datasets/snippet';
import { ThumbnailLoader } from '../../renderer/src/datasets/thumbnailLoader';
import { fitZoom, panBy, zoomAt } from '../../renderer/src/datasets/zoomModel';

const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));

describe('LruMap', () => {
  it('drops the least recently used entry, and reading counts as use', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.has('b')).toBe(false);
    expect(lru.peek('a')).toBe(1);
    lru.set('d', 4);
    expect(lru.keys()).toEqual(['c', 'd']);
  });
});

describe('ItemPageCache', () => {
  it('finds items by position and asks keyset after a cached full page, offset when jumping', () => {
    const cache = new ItemPageCache<{ id: number }>(10, 3);
    expect(cache.request(0)).toEqual({ after: 0 });
    expect(cache.request(5)).toEqual({ offset: 50 });
    cache.put(0, items(101, 10));
    expect(cache.get(3)).toEqual({ id: 104 });
    expect(cache.get(10)).toBeUndefined();
    expect(cache.request(1)).toEqual({ after: 110 });
  });

  it('lists the pages to fetch for a range, skipping cached and loading ones, within the concurrency', () => {
    const cache = new ItemPageCache<{ id: number }>(10, 10);
    cache.put(1, items(11, 10));
    expect(cache.pagesToFetch(5, 45, 10)).toEqual([0, 2, 3, 4]);
    cache.markLoading(0);
    expect(cache.pagesToFetch(5, 45, 2)).toEqual([2]);
    expect(cache.pagesToFetch(5, 45, 1)).toEqual([]);
    expect(cache.pagesToFetch(5, 4, 5)).toEqual([]);
  });

  it('keeps at most maxPages pages, dropping the least recently read', () => {
    const cache = new ItemPageCache<{ id: number }>(10, 2);
    cache.put(0, items(1, 10));
    cache.put(1, items(11, 10));
    cache.get(0);
    cache.put(2, items(21, 10));
    expect(cache.cachedPages).toBe(2);
    expect(cache.get(15)).toBeUndefined();
    expect(cache.get(5)).toEqual({ id: 6 });
    expect(cache.pagesToFetch(10, 19, 5)).toEqual([1]);
  });

  it('learns the end of the list from a short page and does not retry failed pages until asked', () => {
    const cache = new ItemPageCache<{ id: number }>(10, 5);
    expect(cache.length(1000)).toBe(1000);
    cache.put(3, items(31, 4));
    expect(cache.length(1000)).toBe(34);
    cache.markLoading(2);
    cache.fail(2);
    expect(cache.failedAt(25)).toBe(true);
    expect(cache.pagesToFetch(20, 29, 5)).toEqual([]);
    cache.retryFailed();
    expect(cache.pagesToFetch(20, 29, 5)).toEqual([2]);
  });

  it('replaces an edited item wherever it is cached', () => {
    const cache = new ItemPageCache<{ id: number; tag?: string }>(10, 5);
    cache.put(0, items(1, 10));
    cache.update({ id: 4, tag: 'x' });
    expect(cache.get(3)).toEqual({ id: 4, tag: 'x' });
  });
});

describe('browser keys', () => {
  const press = (key: string, extra: Partial<BrowserKeyPress> = {}): BrowserKeyPress => ({
    key,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    ...extra,
  });

  it.each([
    ['j', { type: 'move', by: 'next' }],
    ['k', { type: 'move', by: 'prev' }],
    ['ArrowDown', { type: 'move', by: 'down' }],
    ['ArrowUp', { type: 'move', by: 'up' }],
    ['ArrowRight', { type: 'move', by: 'next' }],
    ['Enter', { type: 'open' }],
    ['Escape', { type: 'none' }],
    ['/', { type: 'focus-search' }],
    ['x', { type: 'none' }],
  ])('%s in the list → %j', (key, action) => {
    expect(browserKeyAction(press(key), false)).toEqual(action);
  });

  it('in the detail view: j/k still move, Escape closes, Enter and / do nothing', () => {
    expect(browserKeyAction(press('j'), true)).toEqual({ type: 'move', by: 'next' });
    expect(browserKeyAction(press('Escape'), true)).toEqual({ type: 'close' });
    expect(browserKeyAction(press('Enter'), true)).toEqual({ type: 'none' });
    expect(browserKeyAction(press('/'), true)).toEqual({ type: 'none' });
    expect(browserKeyAction(press('PageDown'), true)).toEqual({ type: 'none' });
  });

  it('ignores keys with Ctrl, Meta or Alt (page shortcuts, copy)', () => {
    expect(browserKeyAction(press('j', { ctrlKey: true }), false)).toEqual({ type: 'none' });
    expect(browserKeyAction(press('k', { altKey: true }), false)).toEqual({ type: 'none' });
  });

  const grid = { count: 23, columns: 5, rowsPerPage: 2 };
  it('moves by one item, a grid row, or a screen, clamped to the list', () => {
    expect(moveSelection(null, 'next', grid)).toBe(0);
    expect(moveSelection(null, 'last', grid)).toBe(22);
    expect(moveSelection(7, 'next', grid)).toBe(8);
    expect(moveSelection(7, 'down', grid)).toBe(12);
    expect(moveSelection(7, 'up', grid)).toBe(2);
    expect(moveSelection(2, 'up', grid)).toBe(0);
    expect(moveSelection(19, 'down', grid)).toBe(22);
    expect(moveSelection(3, 'pageDown', grid)).toBe(13);
    expect(moveSelection(13, 'pageUp', grid)).toBe(3);
    expect(moveSelection(13, 'first', grid)).toBe(0);
    expect(moveSelection(0, 'prev', grid)).toBe(0);
    expect(moveSelection(null, 'next', { ...grid, count: 0 })).toBeNull();
  });

  it('in the detail view, up and down are previous and next', () => {
    expect(moveSelection(7, 'down', grid, true)).toBe(8);
    expect(moveSelection(7, 'up', grid, true)).toBe(6);
  });
});

describe('parseSnippet', () => {
  it('splits hits between « and » from plain text', () => {
    expect(parseSnippet('a «sine» wave with «two» peaks')).toEqual([
      { text: 'a ', hit: false },
      { text: 'sine', hit: true },
      { text: ' wave with ', hit: false },
      { text: 'two', hit: true },
      { text: ' peaks', hit: false },
    ]);
  });

  it('keeps markup as text: nothing in a snippet is HTML', () => {
    expect(parseSnippet('<b>«x»</b>')).toEqual([
      { text: '<b>', hit: false },
      { text: 'x', hit: true },
      { text: '</b>', hit: false },
    ]);
  });

  it('handles no hits, adjacent hits, an unclosed « and a stray »', () => {
    expect(parseSnippet('plain')).toEqual([{ text: 'plain', hit: false }]);
    expect(parseSnippet('«a»«b»')).toEqual([{ text: 'ab', hit: true }]);
    expect(parseSnippet('x «open')).toEqual([
      { text: 'x ', hit: false },
      { text: 'open', hit: true },
    ]);
    expect(parseSnippet('a » b')).toEqual([{ text: 'a » b', hit: false }]);
    expect(parseSnippet('')).toEqual([]);
  });
});

describe('facet filters', () => {
  const base = selectDataset(3);
  const facets: Facets = {
    total: 10,
    categories: [
      { value: 'plot', count: 7 },
      { value: 'geometry', count: 3 },
    ],
    sources: [],
    tags: [{ value: 'good', count: 2 }],
    verification: [{ value: 'unverified', count: 10 }],
  };

  it('a click filters, a second click on the same value clears it', () => {
    const byPlot = toggleFacet(base, 'category', 'plot');
    expect(byPlot).toEqual({ datasetId: 3, category: 'plot' });
    expect(toggleFacet(byPlot, 'category', 'geometry')).toEqual({ datasetId: 3, category: 'geometry' });
    expect(toggleFacet(byPlot, 'category', 'plot')).toEqual({ datasetId: 3 });
    const both = toggleFacet(byPlot, 'verification', 'mismatch');
    expect(both).toEqual({ datasetId: 3, category: 'plot', verification: 'mismatch' });
    expect(activeFacets(both)).toEqual([
      { facet: 'category', value: 'plot' },
      { facet: 'verification', value: 'mismatch' },
    ]);
    expect(clearFacet(both, 'category')).toEqual({ datasetId: 3, verification: 'mismatch' });
  });

  it('marks the active value, and keeps an active value the counts no longer list', () => {
    expect(facetEntries(facets, { datasetId: 3, category: 'plot' }, 'category')).toEqual([
      { value: 'plot', count: 7, active: true },
      { value: 'geometry', count: 3, active: false },
    ]);
    expect(facetEntries(facets, { datasetId: 3, tag: 'gone' }, 'tag')).toEqual([
      { value: 'gone', count: 0, active: true },
      { value: 'good', count: 2, active: false },
    ]);
    expect(facetEntries(null, base, 'source')).toEqual([]);
  });

  it('gives the same key to equal filters whatever the property order', () => {
    expect(filterKey({ datasetId: 1, tag: 'a', category: 'b' })).toBe(
      filterKey({ category: 'b', datasetId: 1, tag: 'a' }),
    );
    expect(filterKey({ datasetId: 1 })).not.toBe(filterKey({ datasetId: 2 }));
  });
});

describe('scrollMapping', () => {
  it('is the identity while the list fits under the cap', () => {
    const m = scrollMapping(50_000, 600, 1_000_000);
    expect(m.realTotal).toBe(50_000);
    expect(m.toVirtual(1234)).toBe(1234);
    expect(m.rowTop(4000, 3900)).toBe(4000);
  });

  it('maps a capped scroll range end to end onto the whole list, rows keeping their spacing', () => {
    // 1,000,000 rows of 40 px with a 600 px viewport, capped at 8,000,000 px.
    const m = scrollMapping(40_000_000, 600, 8_000_000);
    expect(m.realTotal).toBe(8_000_000);
    expect(m.toVirtual(0)).toBe(0);
    expect(m.toVirtual(8_000_000 - 600)).toBeCloseTo(40_000_000 - 600, 3);
    expect(m.toReal(m.toVirtual(123_456))).toBeCloseTo(123_456, 6);
    const offset = m.toVirtual(4_000_000);
    // The row at the top of the viewport is drawn at the real scrollTop; the next one 40 px lower.
    expect(m.rowTop(offset, offset)).toBeCloseTo(4_000_000, 6);
    expect(m.rowTop(offset + 40, offset)).toBeCloseTo(4_000_040, 6);
    // The last row ends at the bottom of the spacer.
    const end = m.toVirtual(8_000_000 - 600);
    expect(m.rowTop(40_000_000 - 40, end) + 40).toBeCloseTo(8_000_000, 3);
  });
});

describe('zoom', () => {
  it('fits an image inside the viewport, centred, never enlarged', () => {
    expect(fitZoom({ width: 800, height: 600 }, { width: 400, height: 400 })).toEqual({
      scale: 0.5,
      x: 0,
      y: 50,
    });
    expect(fitZoom({ width: 100, height: 50 }, { width: 400, height: 400 })).toEqual({
      scale: 1,
      x: 150,
      y: 175,
    });
  });

  it('zooms around a point, keeping the image point under it still, within limits', () => {
    const z = zoomAt({ scale: 1, x: 0, y: 0 }, 2, { x: 100, y: 50 });
    expect(z).toEqual({ scale: 2, x: -100, y: -50 });
    // Image point under (100, 50) was (100, 50) and still is: (100 - x) / scale.
    expect((100 - z.x) / z.scale).toBe(100);
    expect(zoomAt({ scale: 10, x: 0, y: 0 }, 10, { x: 0, y: 0 }).scale).toBe(16);
    expect(panBy(z, 5, -5)).toEqual({ scale: 2, x: -95, y: -55 });
  });
});

describe('import form', () => {
  it('parses a field map and names what is wrong with one', () => {
    expect(parseFieldMap('image=img_path, code = gt_code\ncaption=desc')).toEqual({
      map: { image: 'img_path', code: 'gt_code', caption: 'desc' },
    });
    expect(parseFieldMap('')).toEqual({ map: {} });
    expect(parseFieldMap('image')).toEqual({ problem: '"image" is not field=column.' });
    expect(parseFieldMap('picture=img')).toMatchObject({
      problem: expect.stringContaining('"picture" is not a field'),
    });
    expect(parseFieldMap('constructor=x')).toMatchObject({
      problem: expect.stringContaining('is not a field'),
    });
    expect(parseFieldMap('code=a,code=b')).toEqual({ problem: '"code" is mapped twice.' });
  });

  it('turns the form into datasets.import params, leaving out what is empty', () => {
    expect(readImportForm(defaultImportForm)).toEqual({
      problem: 'Enter the path of the file or folder to import.',
    });
    expect(
      readImportForm({ ...defaultImportForm, path: ' /d/a.jsonl ', name: 'A', fieldMap: 'image=img' }),
    ).toEqual({ request: { path: '/d/a.jsonl', format: 'jsonl', name: 'A', map: { image: 'img' } } });
    expect(
      readImportForm({
        path: '/d',
        format: 'folder',
        name: '',
        imagesRoot: '/imgs',
        allowOutsideRoot: true,
        fieldMap: 'junk',
      }),
    ).toEqual({ request: { path: '/d', format: 'folder', imagesRoot: '/imgs', allowOutsideRoot: true } });
  });
});

describe('ThumbnailLoader', () => {
  const deferred = () => {
    const calls: { sha: string; resolve: (url: string) => void; reject: (e: Error) => void }[] = [];
    const fetch = (sha: string) =>
      new Promise<string>((resolve, reject) => {
        calls.push({ sha, resolve, reject });
      });
    return { calls, fetch };
  };
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('fetches newest requests first within the concurrency, caches, and drops cancelled waiters', async () => {
    const { calls, fetch } = deferred();
    const loader = new ThumbnailLoader(fetch, { capacity: 10, concurrency: 1 });
    const got: string[] = [];
    loader.request('a', (t) => got.push(`a:${t}`));
    loader.request('b', (t) => got.push(`b:${t}`));
    const cancelC = loader.request('c', (t) => got.push(`c:${t}`));
    loader.request('d', (t) => got.push(`d:${t}`));
    cancelC();
    expect(calls.map((c) => c.sha)).toEqual(['a']);
    calls[0]!.resolve('A');
    await flush();
    expect(calls.map((c) => c.sha)).toEqual(['a', 'd']);
    calls[1]!.reject(new Error('no blob'));
    await flush();
    expect(calls.map((c) => c.sha)).toEqual(['a', 'd', 'b']);
    calls[2]!.resolve('B');
    await flush();
    expect(got).toEqual(['a:A', 'd:null', 'b:B']);
    expect(loader.peek('a')).toBe('A');
    expect(loader.peek('d')).toBeNull();
    expect(loader.peek('c')).toBeUndefined();
    const again: unknown[] = [];
    loader.request('a', (t) => again.push(t));
    expect(again).toEqual(['A']);
    expect(calls).toHaveLength(3);
  });
});
