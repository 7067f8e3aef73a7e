/**
 * eval.auditJudge through the engine: the judge is an OpenAI-compatible endpoint (a local node:http server
 * replaying recorded replies), the items a few mini-benchmark references and a predictions run's candidates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { auditTable } from '../../main/cli/commands/judgeAudit';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { isImageRequest, requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini');
const quiet = { log: () => {}, environmentChecks: async () => [] };
const recorded = (name: string) =>
  readFileSync(join(repoRoot, 'tests/fixtures/judgeReplies', `${name}.txt`), 'utf8');

interface MiniLine {
  messages: { content: { image?: string; text?: string }[] }[];
}

describe('eval.auditJudge through the OpenAI-compatible engine', () => {
  const dir = makeTempDir('codepercept-judge-audit-');
  let server: Awaited<ReturnType<typeof startFakeJudgeServer>>;
  let engine: Engine;
  let client: ApiClient;
  let benchmarkId: number;
  let runId: string;

  beforeAll(async () => {
    // Code: the recorded "Score: 68/100" reply, or "**Score:** 85/100" (image-bold-score) when both codes in
    // the prompt are the same; images: the recorded "Score: 86/100" reply.
    server = await startFakeJudgeServer((body) => {
      if (isImageRequest(body)) return recorded('image-score-line');
      const blocks = [...requestText(body).matchAll(/```python\n([\s\S]*?)\n```/g)].map((m) => m[1]);
      return blocks.length === 2 && blocks[0] === blocks[1]
        ? recorded('image-bold-score')
        : recorded('code-score-line');
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
    // Item 0 exact, item 1 recoloured, item 2 no code at all.
    writeFileSync(
      predictions,
      [
        { uid: '0', response: `\`\`\`python\n${codes[0]}\n\`\`\`` },
        {
          uid: '1',
          response: `\`\`\`python\n${codes[1]!.replace("edgecolor='red'", "edgecolor='blue'")}\n\`\`\``,
        },
        { uid: '2', response: 'I cannot draw this.' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    engine = createEngine({ dataDir: join(dir.path, 'data'), command: 'judge audit test', ...quiet });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', {
      path: bench,
      format: 'stem2code',
      name: 'three',
      imagesRoot: MINI,
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    benchmarkId = engine.catalog.datasets.resolve('three').id;
    await client.call('endpoints.save', {
      name: 'judge',
      baseUrl: server.baseUrl,
      model: 'judge-vl',
      apiKey: null,
    });
    const started = await client.call('eval.start', {
      name: 'candidates',
      benchmarkDatasetId: benchmarkId,
      subject: { kind: 'predictions', path: predictions, format: 'ours' },
      settings: { timeoutS: 10 },
    });
    expect((await engine.jobs.waitFor(started.job.id)).state).toBe('done');
    runId = started.runId;
  }, 240_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    await server.close();
    dir.cleanup();
  });

  it('audits the code judge on a run: four judgments per item with code, progress, metrics for Spearman', async () => {
    server.bodies.length = 0;
    const progress: number[] = [];
    const report = await client.call(
      'eval.auditJudge',
      {
        benchmarkDatasetId: benchmarkId,
        judge: { kind: 'endpoint', endpoint: 'judge' },
        kind: 'code',
        runId: runId.slice(0, 8),
      },
      { onChunk: ({ done, total }) => progress.push(done / total) },
    );
    // Item 2 has no code, so only items 0 and 1 are audited.
    expect(report.perItem.map((r) => r.id)).toEqual(['0', '1']);
    expect(report).toMatchObject({
      kind: 'code',
      items: 2,
      judgments: 8,
      failedJudgments: 0,
      fallbackScores: 0,
    });
    expect(server.bodies).toHaveLength(8);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toHaveLength(8);
    // Self: both codes equal → 85; the exact copy (item 0) is the reference too.
    expect(report.self).toEqual({ scored: 2, mean: 85, min: 85 });
    expect(report.perItem[0]!.first.score).toBe(85);
    expect(report.perItem[1]!.first.score).toBe(68);
    expect(report.repeat).toMatchObject({ pairs: 2, meanAbsDiff: 0, exactShare: 1 });
    expect(report.perItem[1]!.metrics.ssim).toBeLessThan(1);
    expect(report.perItem[0]!.metrics.ssim).toBe(1);
    expect(report.metricAgreement.find((m) => m.metric === 'ssim')).toMatchObject({ pairs: 2, spearman: 1 });
    const table = auditTable(report);
    for (const check of ['self', 'repeat', 'swapped', 'metrics', 'failures', 'format'])
      expect(table).toMatch(new RegExp(`^${check}\\s`, 'm'));
    expect(table).toContain('ssim 1.00');
  });

  it('audits the image judge on the references alone, with a limit', async () => {
    server.bodies.length = 0;
    const report = await client.call('eval.auditJudge', {
      benchmarkDatasetId: benchmarkId,
      judge: { kind: 'endpoint', endpoint: 'judge' },
      kind: 'image',
      limit: 2,
    });
    expect(report).toMatchObject({ kind: 'image', items: 2, judgments: 8, failedJudgments: 0 });
    expect(report.self).toEqual({ scored: 2, mean: 86, min: 86 });
    expect(server.bodies.every(isImageRequest)).toBe(true);
    expect(report.findings.find((f) => f.check === 'metrics')!.level).toBe('unknown');
  });

  it('refuses an unknown endpoint and a cancelled audit stops', async () => {
    await expect(
      client.call('eval.auditJudge', {
        benchmarkDatasetId: benchmarkId,
        judge: { kind: 'endpoint', endpoint: 'nowhere' },
        kind: 'code',
      }),
    ).rejects.toThrow(/nowhere/);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.call(
        'eval.auditJudge',
        { benchmarkDatasetId: benchmarkId, judge: { kind: 'endpoint', endpoint: 'judge' }, kind: 'code' },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
