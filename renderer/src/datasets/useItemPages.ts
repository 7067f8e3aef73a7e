import { useCallback, useMemo, useRef, useState } from 'react';
import type { Item, ItemFilter } from '../../../main/api/datasets';
import { useEngine } from '../api/EngineContext';
import { useToasts } from '../notifications/ToastProvider';
import { filterKey } from './facetFilter';
import { ItemPageCache } from './itemPageCache';

export const PAGE_SIZE = 100;
/** 300 pages of 100: 30,000 items, a few MB of text, whatever the dataset's size. */
const MAX_PAGES = 300;
const CONCURRENCY = 2;

export interface ItemPages {
  /** The item at a position, or undefined while its page loads. */
  itemAt(index: number): Item | undefined;
  failedAt(index: number): boolean;
  /** The rows on screen: fetch their pages (and one page either side). */
  show(first: number, last: number): void;
  /** An item changed (tag, note, verification): every cached copy takes the new one. */
  update(item: Item): void;
  /** The list length given the facets' total. */
  length(total: number): number;
  /** Changes when a page arrives, so the grid re-renders. */
  version: number;
}

/** Pages of the filtered list, fetched as rows come into view, keyset when continuing and offset when jumping. */
export function useItemPages(filter: ItemFilter | null): ItemPages {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [version, setVersion] = useState(0);
  const key = filter ? filterKey(filter) : null;
  // One cache per filter: a new filter starts empty, and answers for the old one land in the old cache.
  const current = useMemo(
    () => ({ filter, cache: new ItemPageCache<Item>(PAGE_SIZE, MAX_PAGES), reported: false }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const wanted = useRef<[number, number]>([0, -1]);

  const pump = useCallback(() => {
    const { cache, filter: f } = current;
    if (!f) return;
    const fetchWanted = () => {
      const [first, last] = wanted.current;
      // The rows on screen first; once they are loaded or loading, a page either side.
      const visible = cache.pagesToFetch(first, last, CONCURRENCY);
      const pages =
        visible.length > 0 || last < first
          ? visible
          : cache.pagesToFetch(Math.max(0, first - PAGE_SIZE), last + PAGE_SIZE, CONCURRENCY);
      for (const page of pages) {
        cache.markLoading(page);
        client.call('items.page', { ...f, ...cache.request(page), limit: PAGE_SIZE }).then(
          (result) => {
            cache.put(page, result.items);
            setVersion((v) => v + 1);
            fetchWanted();
          },
          (error: unknown) => {
            cache.fail(page);
            setVersion((v) => v + 1);
            // One toast per list, not one per page of a failing scroll.
            if (!current.reported) reportError('Could not load items', error);
            current.reported = true;
          },
        );
      }
    };
    fetchWanted();
  }, [client, current, reportError]);

  const show = useCallback(
    (first: number, last: number) => {
      wanted.current = [first, last];
      pump();
    },
    [pump],
  );

  return useMemo(
    () => ({
      itemAt: (index: number) => current.cache.get(index),
      failedAt: (index: number) => current.cache.failedAt(index),
      show,
      update: (item: Item) => {
        current.cache.update(item);
        setVersion((v) => v + 1);
      },
      length: (total: number) => current.cache.length(total),
      version,
    }),
    [current, show, version],
  );
}
