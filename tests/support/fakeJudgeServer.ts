import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JudgeRequestBody {
  model: string;
  messages: {
    role: string;
    content: string | { type: string; text?: string; image_url?: { url: string } }[];
  }[];
}

/** Whether a request is the image judge's (it carries images) rather than the code judge's. */
export const isImageRequest = (body: JudgeRequestBody) =>
  body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));

/** The text of a request's user turn (for telling items apart). */
export const requestText = (body: JudgeRequestBody) =>
  body.messages
    .flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((p) => p.text ?? '')))
    .join('\n');

/**
 * An OpenAI-compatible chat server on 127.0.0.1 answering each request with `reply(body, index)` as one SSE
 * stream, recording every request body (tests count the judge calls). `delayMs` holds each reply back, for
 * tests that cancel while judge calls are in flight.
 */
export async function startFakeJudgeServer(
  reply: (body: JudgeRequestBody, index: number) => string,
  options: { delayMs?: number } = {},
): Promise<{ baseUrl: string; bodies: JudgeRequestBody[]; close: () => Promise<void> }> {
  const bodies: JudgeRequestBody[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as JudgeRequestBody;
      const text = reply(body, bodies.push(body) - 1);
      if (options.delayMs) setTimeout(() => respond(res, text), options.delayMs);
      else respond(res, text);
    });
  });
  const respond = (res: ServerResponse, text: string) => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    send({ choices: [{ delta: { content: text }, finish_reason: null }] });
    send({ choices: [{ delta: {}, finish_reason: 'stop' }] });
    send({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 10 } });
    res.end('data: [DONE]\n\n');
  };
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
