import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createParser } from 'eventsource-parser';
import type { ChatMessage, ChatRequest, ChatResult, Endpoint, LoadedModel } from '../api/models';
import type { ChatCallOptions, ChatModel } from './chatEngine';
import { ConcurrencyLimit } from './concurrencyLimit';

/** Failure talking to a remote endpoint; `retryable` says whether another attempt could succeed. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface OpenAiEngineOptions {
  endpoint: Endpoint;
  /** Replaceable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** First backoff delay; doubles per attempt (with jitter), capped at 30 s. */
  backoffMs?: number;
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

// 408/409/425/429 and 5xx are worth another try; other 4xx mean the request itself is wrong.
const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Images travel as data URLs (the OpenAI vision format); local paths are read and encoded here. */
async function toImageUrl(image: string): Promise<string> {
  if (image.startsWith('data:')) return image;
  const type = IMAGE_TYPES[extname(image).toLowerCase()];
  if (!type) throw new Error(`Image ${image}: unsupported type (use PNG, JPEG, WebP or GIF).`);
  const bytes = await readFile(image).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Image ${image}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
  });
  return `data:${type};base64,${bytes.toString('base64')}`;
}

async function toWireMessages(messages: ChatMessage[]): Promise<unknown[]> {
  return Promise.all(
    messages.map(async (m) => {
      if (typeof m.content === 'string') return { role: m.role, content: m.content };
      const content = await Promise.all(
        m.content.map(async (part) =>
          part.type === 'text'
            ? { type: 'text', text: part.text }
            : { type: 'image_url', image_url: { url: await toImageUrl(part.image) } },
        ),
      );
      return { role: m.role, content };
    }),
  );
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** The server's own words when it sends an OpenAI-style error body, else the start of the body. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (message) return message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.slice(0, 300) || response.statusText;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * A model served by an OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, SGLang, llama-server, LM
 * Studio). Streams tokens, limits concurrent requests per endpoint, retries transient failures with
 * exponential backoff (only before the first token: a half-streamed answer is never silently restarted), and
 * times out each attempt.
 */
export class OpenAiChatModel implements ChatModel {
  readonly kind = 'openai' as const;
  readonly vision = true;
  private readonly limit: ConcurrencyLimit;
  private readonly fetch: typeof fetch;
  private readonly backoffMs: number;
  private closed = false;

  constructor(private readonly options: OpenAiEngineOptions) {
    this.limit = new ConcurrencyLimit(options.endpoint.maxConcurrency);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.backoffMs = options.backoffMs ?? 500;
  }

  private get url(): string {
    return `${this.options.endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  describe(): LoadedModel {
    return {
      id: `openai:${this.options.endpoint.name}`,
      name: `${this.options.endpoint.name} (${this.options.endpoint.model})`,
      engine: 'openai',
      state: this.closed ? 'unloaded' : 'ready',
      progress: 1,
      vision: this.vision,
      gpu: null,
      memory: null,
      pid: null,
      error: null,
    };
  }

  async chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    if (this.closed) throw new Error(`Endpoint ${this.options.endpoint.name} was closed.`);
    const { signal } = options;
    const body = JSON.stringify({
      model: this.options.endpoint.model,
      messages: await toWireMessages(request.messages),
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'answer', schema: request.jsonSchema, strict: true },
            },
          }
        : {}),
      stream: true,
      stream_options: { include_usage: true },
    });

    const release = await this.limit.acquire(signal).catch((error: unknown) => {
      if (signal?.aborted) return null;
      throw error;
    });
    if (!release) return aborted('', 0, Date.now());
    try {
      const { retries } = this.options.endpoint;
      for (let attempt = 0; ; attempt++) {
        const state = { text: '', tokens: 0 };
        try {
          return await this.attempt(body, state, options);
        } catch (error) {
          if (signal?.aborted) return aborted(state.text, state.tokens, Date.now());
          const failure = error instanceof EndpointError ? error : new EndpointError(String(error), false);
          // Once text has streamed the caller has seen it: retrying would duplicate it.
          if (!failure.retryable || state.text !== '' || attempt >= retries) {
            const tries = attempt + 1;
            throw new EndpointError(
              `${this.options.endpoint.name}: ${failure.message}${tries > 1 ? ` (after ${tries} attempts)` : ''}`,
              false,
              failure.status,
            );
          }
          const backoff = Math.min(30_000, this.backoffMs * 2 ** attempt * (0.75 + Math.random() / 2));
          await sleep(Math.max(backoff, failure.retryAfterMs ?? 0), signal).catch(() => undefined);
          if (signal?.aborted) return aborted('', 0, Date.now());
        }
      }
    } finally {
      release();
    }
  }

  private async attempt(
    body: string,
    state: { text: string; tokens: number },
    options: ChatCallOptions,
  ): Promise<ChatResult> {
    const { endpoint } = this.options;
    const started = Date.now();
    const timeout = AbortSignal.timeout(endpoint.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const timedOut = () => timeout.aborted && !options.signal?.aborted;
    let response: Response;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
        },
        body,
        signal,
      });
    } catch (error) {
      if (timedOut()) throw new EndpointError(`no response within ${endpoint.timeoutMs} ms`, true);
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new EndpointError(
        `cannot reach ${this.url} (${cause?.code ?? cause?.message ?? String(error)})`,
        true,
      );
    }
    if (!response.ok) {
      const detail = await errorDetail(response);
      const hint =
        response.status === 401 || response.status === 403
          ? ' — check the API key in the endpoint settings'
          : response.status === 404
            ? ` — check the base URL (it should end in /v1) and the model name "${endpoint.model}"`
            : '';
      throw new EndpointError(
        `HTTP ${response.status}: ${detail}${hint}`,
        RETRYABLE_STATUS.has(response.status),
        response.status,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (!response.body) throw new EndpointError('the response has no body', true);

    let firstTokenAt: number | null = null;
    let finish: string | null = null;
    let usage: StreamChunk['usage'] = null;
    let badEvent: string | null = null;
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === '[DONE]') return;
        let chunk: StreamChunk;
        try {
          chunk = JSON.parse(event.data) as StreamChunk;
        } catch {
          badEvent = event.data.slice(0, 200);
          return;
        }
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finish = choice.finish_reason;
        const piece = choice?.delta?.content;
        if (piece) {
          firstTokenAt ??= Date.now();
          state.text += piece;
          state.tokens++;
          options.onToken?.(piece);
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(bytes, { stream: true }));
        if (badEvent !== null)
          throw new EndpointError(`the stream sent something that is not JSON: ${badEvent}`, false);
      }
    } catch (error) {
      if (error instanceof EndpointError) throw error;
      if (options.signal?.aborted) return aborted(state.text, state.tokens, started, firstTokenAt);
      if (timedOut())
        throw new EndpointError(`the answer did not finish within ${endpoint.timeoutMs} ms`, true);
      throw new EndpointError(`the stream broke: ${(error as Error).message}`, true);
    }
    const finishedUsage = usage as StreamChunk['usage'];
    const completion = finishedUsage?.completion_tokens ?? state.tokens;
    const end = Date.now();
    return {
      text: state.text,
      stopReason: finish === 'length' ? 'maxTokens' : 'eos',
      tokens: { prompt: finishedUsage?.prompt_tokens ?? 0, completion },
      timings: timingsOf(started, firstTokenAt, end, completion),
    };
  }

  /** Lists the server's models: the "test connection" button. Never retries; says what failed. */
  async testConnection(
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; latencyMs: number; models: string[]; message: string }> {
    const { endpoint } = this.options;
    const started = Date.now();
    const timeout = AbortSignal.timeout(Math.min(endpoint.timeoutMs, 15_000));
    try {
      const response = await this.fetch(`${endpoint.baseUrl.replace(/\/+$/, '')}/models`, {
        headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const latencyMs = Date.now() - started;
      if (!response.ok)
        return {
          ok: false,
          latencyMs,
          models: [],
          message: `HTTP ${response.status}: ${await errorDetail(response)}`,
        };
      const body = (await response.json()) as { data?: { id?: string }[] };
      const models = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
      const served = models.includes(endpoint.model);
      return {
        ok: served,
        latencyMs,
        models,
        message: served
          ? `Connected in ${latencyMs} ms; "${endpoint.model}" is served.`
          : `Connected, but "${endpoint.model}" is not among the served models (${models.join(', ') || 'none'}).`,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return {
        ok: false,
        latencyMs: Date.now() - started,
        models: [],
        message: timeout.aborted
          ? 'No answer within 15 s.'
          : `Cannot reach ${endpoint.baseUrl} (${cause?.code ?? (error as Error).message}).`,
      };
    }
  }

  unload(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function timingsOf(
  started: number,
  firstTokenAt: number | null,
  end: number,
  completion: number,
): ChatResult['timings'] {
  const generationMs = firstTokenAt === null ? 0 : end - firstTokenAt;
  return {
    firstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
    totalMs: end - started,
    // The first token ends prompt processing; the rest is generation speed.
    tokensPerSecond: generationMs > 0 && completion > 1 ? ((completion - 1) * 1000) / generationMs : null,
  };
}

function aborted(
  text: string,
  tokens: number,
  started: number,
  firstTokenAt: number | null = null,
): ChatResult {
  return {
    text,
    stopReason: 'aborted',
    tokens: { prompt: 0, completion: tokens },
    timings: timingsOf(started, firstTokenAt, Date.now(), tokens),
  };
}
