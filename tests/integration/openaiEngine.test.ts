/**
 * The OpenAI-compatible engine against a real HTTP server started here (node:http speaking the
 * /v1/chat/completions streaming protocol), so headers, SSE framing, sockets and timeouts are all real.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatRequestSchema, endpointSchema } from '../../main/api/models';
import type { ChatRequestInput, Endpoint } from '../../main/api/models';
import { OpenAiChatModel } from '../../main/models/openaiEngine';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => void;

interface Seen {
  body: Record<string, unknown>;
  authorization: string | undefined;
  closedEarly: boolean;
}

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
const seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;

function sse(res: ServerResponse, chunks: unknown[], { delayMs = 0, done = true } = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i < chunks.length) {
      res.write(`data: ${JSON.stringify(chunks[i++])}\n\n`);
      if (delayMs > 0) setTimeout(next, delayMs);
      else next();
      return;
    }
    if (done) res.write('data: [DONE]\n\n');
    res.end();
  };
  next();
}

function tokens(
  pieces: string[],
  finish = 'stop',
  usage = { prompt_tokens: 12, completion_tokens: pieces.length },
) {
  return [
    ...pieces.map((p) => ({ choices: [{ delta: { content: p }, finish_reason: null }] })),
    { choices: [{ delta: {}, finish_reason: finish }] },
    { choices: [], usage },
  ];
}

const ok: Behaviour = (_req, res) => sse(res, tokens(['Hel', 'lo', ' world']));

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'tiny-vl' }, { id: 'other' }] }));
        return;
      }
      const entry: Seen = {
        body: JSON.parse(raw) as Record<string, unknown>,
        authorization: req.headers.authorization,
        closedEarly: false,
      };
      seen.push(entry);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => {
        inFlight--;
        if (!res.writableFinished) entry.closedEarly = true;
      });
      behaviour(req, res, entry.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  maxInFlight = 0;
  behaviour = ok;
});

function model(overrides: Partial<Endpoint> = {}): OpenAiChatModel {
  const { timeoutMs, ...rest } = overrides;
  const endpoint = endpointSchema.parse({
    name: 'lab',
    baseUrl,
    apiKey: 'sk-test',
    model: 'tiny-vl',
    ...rest,
  });
  // Tests need timeouts shorter than the schema's 1 s floor.
  return new OpenAiChatModel({
    endpoint: { ...endpoint, ...(timeoutMs ? { timeoutMs } : {}) },
    backoffMs: 5,
  });
}

const ask = (input: Partial<ChatRequestInput> = {}) =>
  chatRequestSchema.parse({ messages: [{ role: 'user', content: 'hi' }], ...input });

describe('OpenAI-compatible engine', () => {
  it('streams tokens, sends images as data URLs and the API key, and reports usage and timings', async () => {
    const dir = makeTempDir('codepercept-openai-');
    const png = join(dir.path, 'figure.png');
    writeFileSync(png, makePng(8, 8));
    const pieces: string[] = [];
    const result = await model().chat(
      ask({
        messages: [
          { role: 'system', content: 'Write matplotlib code.' },
          {
            role: 'user',
            content: [
              { type: 'image', image: png },
              { type: 'text', text: 'Redraw this.' },
            ],
          },
        ],
        maxTokens: 64,
        seed: 7,
      }),
      { onToken: (t) => pieces.push(t) },
    );
    expect(pieces).toEqual(['Hel', 'lo', ' world']);
    expect(result.text).toBe('Hello world');
    expect(result.stopReason).toBe('eos');
    expect(result.tokens).toEqual({ prompt: 12, completion: 3 });
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.firstTokenMs).not.toBeNull();

    expect(seen).toHaveLength(1);
    const body = seen[0]!.body as {
      messages: { content: unknown }[];
      max_tokens: number;
      seed: number;
      stream: boolean;
    };
    expect(seen[0]!.authorization).toBe('Bearer sk-test');
    expect(body.max_tokens).toBe(64);
    expect(body.seed).toBe(7);
    expect(body.stream).toBe(true);
    const parts = body.messages[1]!.content as { type: string; image_url?: { url: string } }[];
    expect(parts[0]!.type).toBe('image_url');
    expect(parts[0]!.image_url!.url).toMatch(/^data:image\/png;base64,iVBOR/);
    dir.cleanup();
  });

  it('asks for JSON-schema output through response_format', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    await model().chat(ask({ jsonSchema: schema }));
    expect(seen[0]!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
  });

  it('reports a length stop as maxTokens', async () => {
    behaviour = (_req, res) => sse(res, tokens(['a', 'b'], 'length'));
    const result = await model().chat(ask({ maxTokens: 2 }));
    expect(result.stopReason).toBe('maxTokens');
  });

  it('retries 503s with backoff (honouring Retry-After) and then succeeds', async () => {
    let calls = 0;
    behaviour = (req, res, body) => {
      if (++calls <= 2) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ error: { message: 'model is loading' } }));
      } else ok(req, res, body);
    };
    const result = await model({ retries: 3 }).chat(ask());
    expect(result.text).toBe('Hello world');
    expect(seen).toHaveLength(3);
  });

  it('gives up after the configured retries and says how many attempts it made', async () => {
    behaviour = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model is loading' } }));
    };
    await expect(model({ retries: 1 }).chat(ask())).rejects.toThrow(
      'lab: HTTP 503: model is loading (after 2 attempts)',
    );
    expect(seen).toHaveLength(2);
  });

  it('does not retry a refused API key and says what to check', async () => {
    behaviour = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'invalid api key' } }));
    };
    await expect(model({ retries: 3 }).chat(ask())).rejects.toThrow(
      /HTTP 401: invalid api key — check the API key/,
    );
    expect(seen).toHaveLength(1);
  });

  it('times out each attempt and retries it', async () => {
    behaviour = () => undefined; // never answers
    await expect(model({ timeoutMs: 300, retries: 1 }).chat(ask())).rejects.toThrow(
      'lab: no response within 300 ms (after 2 attempts)',
    );
    expect(seen).toHaveLength(2);
  });

  it('aborts mid-stream: returns the text so far and the server sees the connection close', async () => {
    behaviour = (_req, res) =>
      sse(
        res,
        Array.from({ length: 200 }, (_, i) => ({ choices: [{ delta: { content: `t${i} ` } }] })),
        {
          delayMs: 20,
        },
      );
    const controller = new AbortController();
    let count = 0;
    const result = await model().chat(ask(), {
      signal: controller.signal,
      onToken: () => {
        if (++count === 3) controller.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.text.startsWith('t0 t1 t2 ')).toBe(true);
    expect(result.tokens.completion).toBeLessThan(200);
    await expect.poll(() => seen[0]!.closedEarly).toBe(true);
  });

  it('never retries once text has streamed (a broken stream is an error, not a silent restart)', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'partial' } }] })}\n\n`);
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(model({ retries: 3 }).chat(ask())).rejects.toThrow(/lab: the stream broke/);
    expect(seen).toHaveLength(1);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    behaviour = (_req, res) => sse(res, tokens(['x', 'y']), { delayMs: 30 });
    const m = model({ maxConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => m.chat(ask())));
    expect(results.every((r) => r.text === 'xy')).toBe(true);
    expect(seen).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  it('says when the server cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(model({ baseUrl: `http://127.0.0.1:${port}/v1`, retries: 0 }).chat(ask())).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(ECONNREFUSED\)/,
    );
  });

  it('tests the connection: lists served models and checks the configured one is among them', async () => {
    const good = await model().testConnection();
    expect(good).toMatchObject({ ok: true, models: ['tiny-vl', 'other'] });
    const wrong = await model({ model: 'missing' }).testConnection();
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain('"missing" is not among the served models (tiny-vl, other)');
  });
});
