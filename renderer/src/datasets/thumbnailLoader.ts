import { LruMap } from './lruMap';

/** A thumbnail's data URL, or null when there is none to show (missing blob, not generated, failed). */
export type Thumbnail = string | null;
type Listener = (thumbnail: Thumbnail) => void;

/**
 * Fetches thumbnails at most `concurrency` at a time, newest request first (the rows just scrolled into
 * view), keeps results in a bounded LRU, and drops requests whose rows left the screen before they started.
 */
export class ThumbnailLoader {
  private readonly cache: LruMap<string, Thumbnail>;
  private readonly waiting = new Map<string, Set<Listener>>();
  private readonly running = new Map<string, Set<Listener>>();

  constructor(
    private readonly fetchThumbnail: (sha256: string) => Promise<string>,
    private readonly options: { capacity: number; concurrency: number },
  ) {
    this.cache = new LruMap(options.capacity);
  }

  /** A cached result (undefined when not fetched yet). */
  peek(sha256: string): Thumbnail | undefined {
    return this.cache.get(sha256);
  }

  /** Asks for a thumbnail; the listener is called once with it. Returns a cancel for when the row goes. */
  request(sha256: string, listener: Listener): () => void {
    const cached = this.cache.get(sha256);
    if (cached !== undefined) {
      listener(cached);
      return () => undefined;
    }
    const listeners = this.running.get(sha256) ?? this.waiting.get(sha256) ?? new Set<Listener>();
    listeners.add(listener);
    if (!this.running.has(sha256)) {
      // Re-inserting moves it to the newest end of the queue.
      this.waiting.delete(sha256);
      this.waiting.set(sha256, listeners);
    }
    this.pump();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.waiting.delete(sha256);
    };
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.waiting.size > 0) {
      const sha256 = [...this.waiting.keys()].at(-1)!;
      const listeners = this.waiting.get(sha256)!;
      this.waiting.delete(sha256);
      this.running.set(sha256, listeners);
      const settle = (thumbnail: Thumbnail) => {
        this.cache.set(sha256, thumbnail);
        this.running.delete(sha256);
        for (const l of listeners) l(thumbnail);
        this.pump();
      };
      this.fetchThumbnail(sha256).then(settle, () => settle(null));
    }
  }
}
