import { endpointSchema } from '../api/models';
import type { Endpoint } from '../api/models';
import type { EndpointInput, EndpointView } from '../api/endpoints';
import { endpointInputSchema } from '../api/endpoints';
import { ApiError } from '../api/errors';
import type { SqliteDatabase } from '../store/sqlite';
import { OpenAiChatModel } from './openaiEngine';

// Stored as one settings row (settings are key by key, so no migration); settings.get never returns it.
const KEY = 'endpoints';

/**
 * The lab's OpenAI-compatible servers, by name. One engine instance per endpoint, shared by every caller, so
 * its concurrency limit holds across a benchmark run, a judge and the playground together.
 */
export class EndpointRegistry {
  private readonly engines = new Map<string, OpenAiChatModel>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  private read(): Endpoint[] {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as
      { value: string } | undefined;
    if (!row) return [];
    const parsed = endpointSchema.array().safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : [];
  }

  private write(list: Endpoint[]): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(KEY, JSON.stringify(list));
  }

  static view(endpoint: Endpoint): EndpointView {
    const { apiKey, ...rest } = endpoint;
    return { ...rest, hasApiKey: apiKey !== null };
  }

  list(): EndpointView[] {
    return this.read().map((e) => EndpointRegistry.view(e));
  }

  get(name: string): Endpoint {
    const found = this.read().find((e) => e.name === name);
    if (!found)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No endpoint named "${name}". Add it under Models → Endpoints.`,
      });
    return found;
  }

  /** Merges the stored key when the input leaves it out, validates, and stores. */
  resolve(input: EndpointInput): Endpoint {
    const parsed = endpointInputSchema.parse(input);
    const stored = this.read().find((e) => e.name === parsed.name);
    return endpointSchema.parse({
      ...parsed,
      apiKey: parsed.apiKey === undefined ? (stored?.apiKey ?? null) : parsed.apiKey,
    });
  }

  save(input: EndpointInput): EndpointView {
    const endpoint = this.resolve(input);
    this.db.transaction(() => {
      const list = this.read().filter((e) => e.name !== endpoint.name);
      this.write([...list, endpoint].sort((a, b) => a.name.localeCompare(b.name)));
    })();
    // New settings (URL, key, concurrency) take effect for the next call; calls in flight finish as they were.
    this.engines.delete(endpoint.name);
    return EndpointRegistry.view(endpoint);
  }

  remove(name: string): boolean {
    const list = this.read();
    const next = list.filter((e) => e.name !== name);
    if (next.length === list.length) return false;
    this.write(next);
    this.engines.delete(name);
    return true;
  }

  /** The shared engine for a stored endpoint. */
  engine(name: string): OpenAiChatModel {
    let engine = this.engines.get(name);
    if (!engine) {
      engine = new OpenAiChatModel({ endpoint: this.get(name), fetch: this.fetchImpl });
      this.engines.set(name, engine);
    }
    return engine;
  }

  test(target: { name: string } | EndpointInput, signal?: AbortSignal) {
    const endpoint = 'baseUrl' in target ? this.resolve(target) : this.get(target.name);
    return new OpenAiChatModel({ endpoint, fetch: this.fetchImpl }).testConnection(signal);
  }
}
