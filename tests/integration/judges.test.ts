/**
 * The judges for real through the OpenAI-compatible engine, against a node:http server started here that
 * streams recorded judge replies (tests/fixtures/judgeReplies) and records what it was sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointSchema } from '../../main/api/models';
import { judgeCode } from '../../main/eval/judges/codeJudge';
import { judgeImage } from '../../main/eval/judges/imageJudge';
import { auditJudge } from '../../main/eval/judges/judgeAudit';
import { JUDGE_MAX_TOKENS } from '../../main/eval/judges/judgeRunner';
import { OpenAiChatModel } from '../../main/models/openaiEngine';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

const reply = (name: string) => readFileSync(join('tests/fixtures/judgeReplies', `${name}.txt`), 'utf8');

interface WireBody {
  model: string;
  temperature: number;
  seed: number;
  max_tokens: number;
  messages: {
    role: string;
    content: string | { type: string; text?: string; image_url?: { url: string } }[];
  }[];
}

/** What the server answers to one request: a recorded reply (streamed) or an HTTP error. */
type Answer = { text: string; delayMs?: number } | { status: number; message: string };

let server: Server;
let baseUrl: string;
const bodies: WireBody[] = [];
const closedEarly: boolean[] = [];
let answer: (body: WireBody, index: number) => Answer;

/** Streams `text` in small pieces as OpenAI-style SSE chunks, as a real server does. */
function stream(res: ServerResponse, text: string, delayMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const pieces = text.match(/[\s\S]{1,12}/g) ?? [];
  let i = 0;
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const next = () => {
    if (res.destroyed) return;
    if (i < pieces.length) {
      send({ choices: [{ delta: { content: pieces[i++] }, finish_reason: null }] });
      if (delayMs > 0) setTimeout(next, delayMs);
      else setImmediate(next);
      return;
    }
    send({ choices: [{ delta: {}, finish_reason: 'stop' }] });
    send({ choices: [], usage: { prompt_tokens: 900, completion_tokens: pieces.length } });
    res.end('data: [DONE]\n\n');
  };
  next();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as WireBody;
      const index = bodies.push(body) - 1;
      closedEarly.push(false);
      res.on('close', () => {
        if (!res.writableFinished) closedEarly[index] = true;
      });
      const a = answer(body, index);
      if ('status' in a) {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: a.message } }));
        return;
      }
      stream(res, a.text, a.delayMs ?? 0);
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
  bodies.length = 0;
  closedEarly.length = 0;
});

/** Answers requests in order from `answers` (the last one repeats). */
function script(...answers: Answer[]): void {
  answer = (_body, index) => answers[Math.min(index, answers.length - 1)]!;
}

function judgeModel(): OpenAiChatModel {
  // retries: 0 so every failed call reaches the judge's own accounting instead of the engine's retries.
  const endpoint = endpointSchema.parse({
    name: 'judge',
    baseUrl,
    apiKey: null,
    model: 'judge-vl',
    retries: 0,
  });
  return new OpenAiChatModel({ endpoint, backoffMs: 5 });
}

const dir = makeTempDir('codepercept-judges-');
const referencePath = join(dir.path, 'reference.png');
const candidatePath = join(dir.path, 'candidate.png');
writeFileSync(referencePath, makePng(16, 12, 1));
writeFileSync(candidatePath, makePng(16, 12, 2));
const dataUrl = (path: string) => `data:image/png;base64,${readFileSync(path).toString('base64')}`;
afterAll(() => dir.cleanup());

const imageUrls = (body: WireBody) => {
  const content = body.messages[1]!.content;
  return (Array.isArray(content) ? content : []).flatMap((p) => (p.image_url ? [p.image_url.url] : []));
};

const codes = {
  referenceCode:
    'import numpy as np\nimport matplotlib.pyplot as plt\nx = np.linspace(0, 2 * np.pi, 200)\nplt.plot(x, np.sin(x))',
  candidateCode:
    'import numpy as np\nimport matplotlib.pyplot as plt\nx = np.linspace(0, 6.283, 50)\nplt.plot(x, np.sin(x), "r")',
};

describe('judges through the OpenAI-compatible engine', () => {
  it('image judge: both images as data URLs, reference first, temperature 0, the score line parsed', async () => {
    script({ text: reply('image-score-line') });
    const judgment = await judgeImage(
      judgeModel(),
      { referenceImage: referencePath, candidateImage: candidatePath },
      { attempts: 3 },
    );
    expect(judgment).toEqual({
      score: 86,
      reply: reply('image-score-line'),
      attempts: 1,
      failures: 0,
      error: null,
    });
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body).toMatchObject({ model: 'judge-vl', temperature: 0, seed: 0, max_tokens: JUDGE_MAX_TOKENS });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const parts = body.messages[1]!.content as { type: string }[];
    expect(parts.map((p) => p.type)).toEqual(['text', 'image_url', 'text', 'image_url', 'text']);
    expect(imageUrls(body)).toEqual([dataUrl(referencePath), dataUrl(candidatePath)]);
  });

  it('image judge: data URLs pass through unchanged; "**Score:** 85/100" is read', async () => {
    script({ text: reply('image-bold-score') });
    const input = { referenceImage: dataUrl(referencePath), candidateImage: dataUrl(candidatePath) };
    const judgment = await judgeImage(judgeModel(), input, { attempts: 1 });
    expect(judgment).toMatchObject({ score: 85, attempts: 1, failures: 0, error: null });
    expect(imageUrls(bodies[0]!)).toEqual([input.referenceImage, input.candidateImage]);
  });

  it('a reasoning judge is graded on its answer, not on a score it mused about while thinking', async () => {
    script({ text: reply('thinking') });
    const judgment = await judgeImage(
      judgeModel(),
      { referenceImage: referencePath, candidateImage: candidatePath },
      { attempts: 1 },
    );
    expect(judgment).toMatchObject({ score: 74, failures: 0 });
  });

  it('code judge: a reply without a score is retried and counted, the second one scores', async () => {
    script({ text: reply('no-score') }, { text: reply('code-score-line') });
    const judgment = await judgeCode(judgeModel(), codes, { attempts: 3 });
    expect(judgment).toEqual({
      score: 68,
      reply: reply('code-score-line'),
      attempts: 2,
      failures: 1,
      error: null,
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual({ ...bodies[0], seed: 1 });
    expect(bodies[0]!.temperature).toBe(0);
    const text = bodies[0]!.messages[1]!.content as string;
    expect(text.indexOf(codes.referenceCode)).toBeLessThan(text.indexOf(codes.candidateCode));
    expect(text.indexOf(codes.referenceCode)).toBeGreaterThan(-1);
  });

  it('code judge: only "7/10" sub-scores — the published rule takes the last integer not followed by "/"', async () => {
    script({ text: reply('seven-of-ten') });
    // Every 7 is a numerator; the final "10" is the last integer not followed by "/", so the score is 10.
    // That is the protocol's rule as published (and as the reference scores were computed), kept on purpose.
    const judgment = await judgeCode(judgeModel(), codes, { attempts: 3 });
    expect(judgment).toMatchObject({ score: 10, attempts: 1, failures: 0 });
  });

  it('a judge that never yields a score: null score, every attempt counted, the reason kept', async () => {
    script({ text: reply('no-score') });
    const judgment = await judgeCode(judgeModel(), codes, { attempts: 3 });
    expect(judgment.score).toBeNull();
    expect(judgment).toMatchObject({ attempts: 3, failures: 3, reply: reply('no-score') });
    expect(judgment.error).toMatch(/^No score after 3 attempts/);
    expect(bodies).toHaveLength(3);
  });

  it('a failed call (HTTP 400) is a counted failure, and the retry scores', async () => {
    script({ status: 400, message: 'image too large for this model' }, { text: reply('image-bold-score') });
    const judgment = await judgeImage(
      judgeModel(),
      { referenceImage: referencePath, candidateImage: candidatePath },
      { attempts: 2 },
    );
    expect(judgment).toMatchObject({ score: 85, attempts: 2, failures: 1, error: null });
    script({ status: 400, message: 'image too large for this model' });
    const failed = await judgeImage(
      judgeModel(),
      { referenceImage: referencePath, candidateImage: candidatePath },
      { attempts: 2 },
    );
    expect(failed).toMatchObject({ score: null, attempts: 2, failures: 2, reply: '' });
    expect(failed.error).toMatch(/the call failed \(judge: HTTP 400: image too large for this model\)/);
  });

  it('cancelling mid-answer rejects and closes the request; nothing is counted as a judgment', async () => {
    script({ text: reply('image-score-line'), delayMs: 20 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    await expect(
      judgeImage(
        judgeModel(),
        { referenceImage: referencePath, candidateImage: candidatePath },
        { attempts: 3, signal: controller.signal },
      ),
    ).rejects.toThrow('run cancelled');
    expect(bodies).toHaveLength(1);
    await expect.poll(() => closedEarly[0]).toBe(true);
  });

  it('audits the image judge over HTTP: self, repeat and swapped order seen by the server', async () => {
    const reference = dataUrl(referencePath);
    const candidate = dataUrl(candidatePath);
    // A judge that is perfect on identical images and leans 6 points towards the image shown first.
    answer = (body) => {
      const [first, second] = imageUrls(body);
      if (first === second) return { text: 'Identical.\nScore: 100/100' };
      return { text: first === reference ? '**Score:** 70/100' : 'Score: 76/100' };
    };
    const report = await auditJudge(
      judgeModel(),
      [{ id: 'fig-1', reference, candidate, metrics: { ssim: 0.8 } }],
      { kind: 'image', attempts: 2, concurrency: 2 },
    );
    expect(bodies.map(imageUrls).sort()).toEqual(
      [
        [reference, reference],
        [reference, candidate],
        [reference, candidate],
        [candidate, reference],
      ].sort(),
    );
    expect(report).toMatchObject({
      judge: 'judge (judge-vl)',
      judgments: 4,
      failedJudgments: 0,
      self: { scored: 1, mean: 100 },
      repeat: { pairs: 1, meanAbsDiff: 0, exactShare: 1 },
      swapped: { pairs: 1, meanAbsDiff: 6, meanDiff: 6, exactShare: 0 },
      metricAgreement: [{ metric: 'ssim', pairs: 1, spearman: null }],
    });
  });
});
