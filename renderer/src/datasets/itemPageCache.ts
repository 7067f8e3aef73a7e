import { LruMap } from './lruMap';

/** How a page is asked for: keyset (`after` the previous page's last id) when that page is known, else offset. */
export type PageRequest = { after: number } | { offset: number };

/**
 * The rows of one filtered item list, fetched a page at a time and kept in a bounded LRU, so a million-item
 * dataset costs the memory of `maxPages` pages. Pure bookkeeping: the caller does the fetching.
 */
export class ItemPageCache<T extends { id: number }> {
  private readonly pages: LruMap<number, T[]>;
  private readonly loading = new Set<number>();
  private readonly failed = new Set<number>();
  /** Items that exist: learnt from a short page (the list ended earlier than the facets said). */
  private knownEnd: number | null = null;

  constructor(
    readonly pageSize: number,
    maxPages: number,
  ) {
    this.pages = new LruMap(maxPages);
  }

  pageOf(index: number): number {
    return Math.floor(index / this.pageSize);
  }

  /** The item at a position, or undefined while its page is not here. */
  get(index: number): T | undefined {
    return this.pages.get(this.pageOf(index))?.[index % this.pageSize];
  }

  /** Whether the page holding `index` could not be loaded (the row shows an error, not a spinner). */
  failedAt(index: number): boolean {
    return this.failed.has(this.pageOf(index));
  }

  /** The list's length: the facets' total, or less when a short page showed the list ends earlier. */
  length(total: number): number {
    return this.knownEnd === null ? total : Math.min(total, this.knownEnd);
  }

  /** Keyset continues from the previous page's last id when that page is cached and full; otherwise jump. */
  request(page: number): PageRequest {
    if (page === 0) return { after: 0 };
    const previous = this.pages.peek(page - 1);
    if (previous && previous.length === this.pageSize) return { after: previous.at(-1)!.id };
    return { offset: page * this.pageSize };
  }

  /**
   * The pages to fetch now for the rows `first..last` (inclusive), in order, skipping cached, loading
   * and failed pages, so that no more than `concurrency` requests are in flight.
   */
  pagesToFetch(first: number, last: number, concurrency: number): number[] {
    if (last < first) return [];
    const wanted: number[] = [];
    for (let p = this.pageOf(first); p <= this.pageOf(last); p++) {
      if (!this.pages.has(p) && !this.loading.has(p) && !this.failed.has(p)) wanted.push(p);
    }
    return wanted.slice(0, Math.max(0, concurrency - this.loading.size));
  }

  markLoading(page: number): void {
    this.loading.add(page);
  }

  put(page: number, items: T[]): void {
    this.loading.delete(page);
    this.failed.delete(page);
    this.pages.set(page, items);
    if (items.length < this.pageSize) {
      const end = page * this.pageSize + items.length;
      this.knownEnd = this.knownEnd === null ? end : Math.min(this.knownEnd, end);
    }
  }

  fail(page: number): void {
    this.loading.delete(page);
    this.failed.add(page);
  }

  /** Forget failures so the next scroll asks again. */
  retryFailed(): void {
    this.failed.clear();
  }

  /** Replaces one item wherever it is cached (after a tag or note edit). */
  update(item: T): void {
    for (const page of this.pages.keys()) {
      const items = this.pages.peek(page)!;
      const at = items.findIndex((i) => i.id === item.id);
      if (at >= 0) items[at] = item;
    }
  }

  get cachedPages(): number {
    return this.pages.size;
  }
}
