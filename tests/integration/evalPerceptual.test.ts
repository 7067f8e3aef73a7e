/**
 * Perceptual similarity inside a run: predictions mode on two mini-benchmark items, scored with a tiny ONNX
 * vision tower generated here (tests/fixtures/onnxTinyVision), through the real renderer and onnxruntime-node.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { EvalItemResult } from '../../main/api/eval';
import { evalConfigFromFlags } from '../../main/cli/commands/eval';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { tinyVisionModel } from '../fixtures/onnxTinyVision';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini');
const quiet = { log: () => {}, environmentChecks: async () => [] };

interface MiniLine {
  messages: { content: { image?: string; text?: string }[] }[];
}

const fenced = (code: string) => `\`\`\`python\n${code}\n\`\`\`\n`;

describe('perceptual similarity in a run (predictions mode, tiny ONNX model)', () => {
  const dir = makeTempDir('codepercept-eval-perceptual-');
  const modelPath = join(dir.path, 'tiny-vision.onnx');
  // image_embeds sees where the ink is; the token average of two mostly white pages is nearly the same.
  const PERCEPTUAL = { modelPath, family: 'clip', outputName: 'image_embeds' } as const;
  let engine: Engine;
  let client: ApiClient;
  let benchmarkId: number;
  const codes: string[] = [];

  function predictions(name: string, responses: string[]): string {
    const file = join(dir.path, `${name}.jsonl`);
    writeFileSync(file, responses.map((r, i) => JSON.stringify({ uid: String(i), response: r })).join('\n'));
    return file;
  }

  async function scoreRun(name: string, file: string, perceptual: boolean) {
    const { runId, job } = await client.call('eval.start', {
      name,
      benchmarkDatasetId: benchmarkId,
      subject: { kind: 'predictions', path: file, format: 'ours' },
      settings: { timeoutS: 10, ...(perceptual && { perceptual: PERCEPTUAL }) },
    });
    const final = await engine.jobs.waitFor(job.id);
    expect(final, `${name}: ${final.error}`).toMatchObject({ state: 'done', failed: 0, done: 2 });
    const { items } = await client.call('eval.items', { runId });
    const byUid = Object.fromEntries(items.map((i) => [i.uid, i])) as Record<string, EvalItemResult>;
    return { runId, items: byUid, detail: await client.call('eval.run', { id: runId }) };
  }

  let exact: Awaited<ReturnType<typeof scoreRun>>;
  let variant: Awaited<ReturnType<typeof scoreRun>>;

  beforeAll(async () => {
    writeFileSync(modelPath, tinyVisionModel().bytes);
    const lines = readFileSync(join(MINI, 'benchmark.jsonl'), 'utf8').trim().split('\n');
    const picked = [lines[1]!, lines[13]!].map((l) => JSON.parse(l) as MiniLine);
    for (const line of picked) {
      const part = line.messages[1]!.content[0]!;
      part.image = join(MINI, part.image!);
      codes.push(line.messages[3]!.content[0]!.text!);
    }
    const bench = join(dir.path, 'two.jsonl');
    writeFileSync(bench, `${picked.map((l) => JSON.stringify(l)).join('\n')}\n`);
    engine = createEngine({ dataDir: join(dir.path, 'data'), command: 'eval test', ...quiet });
    client = connectInProcess(engine);
    const job = await client.call('datasets.import', {
      path: bench,
      format: 'stem2code',
      name: 'two',
      imagesRoot: MINI,
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    benchmarkId = engine.catalog.datasets.resolve('two').id;

    exact = await scoreRun('exact', predictions('exact', codes.map(fenced)), true);
    const [plot, circle] = codes as [string, string];
    expect(plot).toContain("color='teal'");
    expect(circle).toContain('Circle((-2, 1), 6');
    variant = await scoreRun(
      'variant',
      predictions('variant', [
        fenced(
          plot
            .split('\n')
            .filter((l) => !l.includes("color='teal'"))
            .join('\n'),
        ),
        fenced(circle.replace('Circle((-2, 1), 6', 'Circle((1, -1), 3')),
      ]),
      true,
    );
  }, 240_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('an exact copy scores 1 and a damaged answer lower, and the run records the model', () => {
    for (const uid of ['0', '1']) {
      expect(exact.items[uid]!.metrics!.perceptual, uid).toBeCloseTo(1, 5);
      const damaged = variant.items[uid]!.metrics!.perceptual!;
      expect(damaged, uid).toBeLessThan(exact.items[uid]!.metrics!.perceptual! - 1e-4);
      expect(damaged).toBeGreaterThan(-1);
    }
    const sha = exact.detail.environment.perceptual!.modelSha256;
    expect(exact.detail.environment.perceptual).toEqual({
      family: 'clip',
      modelSha256: sha,
      outputName: 'image_embeds',
    });
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(exact.detail.environment.metricVersions.perceptual).toBeGreaterThan(0);
    expect(exact.detail.config.settings.perceptual).toEqual(PERCEPTUAL);
  });

  it('the model is part of the metrics cache key: the same renders without it get no perceptual value', async () => {
    const same = await scoreRun('exact again', predictions('exact-again', codes.map(fenced)), true);
    const stages = await client.call('eval.item', { runId: same.runId, itemId: same.items['0']!.itemId });
    expect(stages.stages.find((s) => s.stage === 'metrics')!.cached).toBe(true);
    expect(same.items['0']!.metrics!.perceptual).toBe(exact.items['0']!.metrics!.perceptual);

    const without = await scoreRun('no perceptual', predictions('no-perceptual', codes.map(fenced)), false);
    expect(without.items['0']!.metrics!.perceptual).toBeNull();
    expect(without.items['0']!.metrics!.ssim).toBe(1);
    expect(without.detail.environment.perceptual).toBeNull();
  });

  it('a bad model path fails eval.start naming the file, and stores no run', async () => {
    const before = (await client.call('eval.runs', {})).length;
    const missing = join(dir.path, 'nowhere.onnx');
    const notOnnx = join(dir.path, 'not-a-model.onnx');
    writeFileSync(notOnnx, 'not an onnx graph');
    for (const path of [missing, notOnnx])
      await expect(
        client.call('eval.start', {
          name: 'bad model',
          benchmarkDatasetId: benchmarkId,
          subject: { kind: 'predictions', path: join(dir.path, 'exact.jsonl'), format: 'ours' },
          settings: { perceptual: { modelPath: path, family: 'dinov2' } },
        }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining(path) });
    expect(await client.call('eval.runs', {})).toHaveLength(before);
  });

  it('the CLI flags build the perceptual and prompt-variant settings', () => {
    const config = evalConfigFromFlags(
      {
        benchmark: 'two',
        predictions: 'p.jsonl',
        perceptualModel: 'tower.onnx',
        perceptualFamily: 'siglip',
        promptVariant: 'no-system',
      },
      1,
    );
    expect(config.settings).toMatchObject({
      promptVariant: 'no-system',
      perceptual: { modelPath: join(process.cwd(), 'tower.onnx'), family: 'siglip' },
    });
    expect(() =>
      evalConfigFromFlags({ benchmark: 'two', predictions: 'p', perceptualModel: 'x' }, 1),
    ).toThrow(/go together/);
  });
});
