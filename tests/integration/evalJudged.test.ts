/**
 * A judged run end to end: predictions on three mini-benchmark items, both judges an OpenAI-compatible
 * endpoint (a local node:http server replaying recorded replies), through the real renderer and the engine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { EvalItemResult } from '../../main/api/eval';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { summarizeRun } from '../../main/eval/report/summarize';
import { isImageRequest, requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini');
const quiet = { log: () => {}, environmentChecks: async () => [] };
const recorded = (name: string) =>
  readFileSync(join(repoRoot, 'tests/fixtures/judgeReplies', `${name}.txt`), 'utf8');
const BROKEN = '# broken on purpose';

interface MiniLine {
  messages: { content: { image?: string; text?: string }[] }[];
}

describe('a judged run: both judges through an OpenAI-compatible endpoint', () => {
  const dir = makeTempDir('codepercept-eval-judged-');
  let server: Awaited<ReturnType<typeof startFakeJudgeServer>>;
  let engine: Engine;
  let client: ApiClient;
  let items: Record<string, EvalItemResult>;
  let imageRequests = 0;

  beforeAll(async () => {
    // Image: the first request gets an unscored reply (retried), every other "Score: 80/100".
    // Code: "**Score:** 70/100", except 40 for the broken code.
    server = await startFakeJudgeServer((body) => {
      if (isImageRequest(body))
        return imageRequests++ === 0 ? recorded('no-score') : 'Close match overall.\nScore: 80/100';
      return requestText(body).includes(BROKEN)
        ? 'The code does not run.\n**Score:** 40/100'
        : 'Same figure, minor style differences.\n**Score:** 70/100';
    });
    const lines = readFileSync(join(MINI, 'benchmark.jsonl'), 'utf8').trim().split('\n');
    const picked = [lines[1]!, lines[13]!, lines[5]!].map((l) => JSON.parse(l) as MiniLine);
    const codes = picked.map((line) => {
      const part = line.messages[1]!.content[0]!;
      part.image = join(MINI, part.image!);
      return line.messages[3]!.content[0]!.text!;
    });
    const bench = join(dir.path, 'three.jsonl');
    writeFileSync(bench, `${picked.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const predictions = join(dir.path, 'predictions.jsonl');
    const responses = [codes[0]!, codes[1]!, `${BROKEN}\nimport matplotlib.pyplot as plt\nplt.plot([1, 2]`];
    writeFileSync(
      predictions,
      responses
        .map((code, i) => JSON.stringify({ uid: String(i), response: `\`\`\`python\n${code}\n\`\`\`` }))
        .join('\n'),
    );

    engine = createEngine({ dataDir: join(dir.path, 'data'), command: 'eval judged test', ...quiet });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', {
      path: bench,
      format: 'stem2code',
      name: 'three',
      imagesRoot: MINI,
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    await client.call('endpoints.save', {
      name: 'judge',
      baseUrl: server.baseUrl,
      model: 'judge-vl',
      apiKey: null,
    });
    const started = await client.call('eval.start', {
      name: 'judged',
      benchmarkDatasetId: engine.catalog.datasets.resolve('three').id,
      subject: { kind: 'predictions', path: predictions, format: 'ours' },
      imageJudge: { kind: 'endpoint', endpoint: 'judge' },
      codeJudge: { kind: 'endpoint', endpoint: 'judge' },
      settings: { timeoutS: 10, judgeAttempts: 3 },
    });
    const final = await engine.jobs.waitFor(started.job.id);
    expect(final, final.error ?? '').toMatchObject({ state: 'done', failed: 0, done: 3 });
    const page = await client.call('eval.items', { runId: started.runId });
    items = Object.fromEntries(page.items.map((i) => [i.uid, i]));
  }, 240_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    await server.close();
    dir.cleanup();
  });

  it('stores each judgment with its reply, attempts and failures', () => {
    expect(items['0']!.official!.executed).toBe(true);
    expect(items['1']!.official!.executed).toBe(true);
    const images = [items['0']!.imageJudgment!, items['1']!.imageJudgment!];
    expect(images.map((j) => j.score)).toEqual([80, 80]);
    // Exactly one image judgment needed a retry after the unscored reply.
    expect(images.map((j) => j.failures).sort()).toEqual([0, 1]);
    expect(images.find((j) => j.failures === 1)).toMatchObject({ attempts: 2, error: null });
    for (const uid of ['0', '1'])
      expect(items[uid]!.codeJudgment).toMatchObject({ score: 70, attempts: 1, failures: 0 });
  });

  it('a failed execution gets Image Score 0 without a judge call, while the code judge still runs', () => {
    const broken = items['2']!;
    expect(broken.failure).toBe('syntax');
    expect(broken.imageJudgment).toMatchObject({ score: 0, attempts: 0, failures: 0 });
    expect(broken.imageJudgment!.reply).toMatch(/judge was not asked/);
    expect(broken.codeJudgment).toMatchObject({ score: 40, attempts: 1 });
    // 2 executed items × 1 image call + 1 retry; 3 code calls.
    expect(server.bodies.filter(isImageRequest)).toHaveLength(3);
    expect(server.bodies.filter((b) => !isImageRequest(b))).toHaveLength(3);
    expect(server.bodies.filter((b) => requestText(b).includes(BROKEN))).toHaveLength(1);
  });

  it('Image, Code, Exec and Final in both variants match the hand-computed values', async () => {
    const runs = await client.call('eval.runs', {});
    const results = engine.evals.itemResults(runs[0]!.id);
    const { overall } = summarizeRun({ info: { id: runs[0]!.id, name: 'judged' }, items: results });
    expect(overall.execRate.mean).toBeCloseTo(200 / 3, 9);
    // Conditional: the executed, scored items (80, 80; 70, 70). Strict: every item, a failure 0.
    expect(overall.imageScore!.conditional).toMatchObject({ mean: 80, n: 2 });
    expect(overall.imageScore!.strict.mean).toBeCloseTo(160 / 3, 9);
    expect(overall.imageScore).toMatchObject({ unscored: 0, failedAttempts: 1 });
    expect(overall.codeScore!.conditional).toMatchObject({ mean: 70, n: 2 });
    expect(overall.codeScore!.strict.mean).toBeCloseTo(60, 9);
    expect(overall.codeScore).toMatchObject({ unscored: 0, failedAttempts: 0 });
    // Published: (80 + 70 + 66.67) / 3 = 72.22; strict: (53.33 + 60 + 66.67) / 3 = 60.
    expect(overall.final!.conditional.mean).toBeCloseTo((80 + 70 + 200 / 3) / 3, 9);
    expect(overall.final!.strict.mean).toBeCloseTo(60, 9);
    // eval.run shows the same summary.
    const detail = await client.call('eval.run', { id: runs[0]!.id });
    expect(detail.summary.overall.final!.conditional.mean).toBeCloseTo((80 + 70 + 200 / 3) / 3, 9);
    expect(detail.summary.overall.imageScore!.failedAttempts).toBe(1);
  });
});
