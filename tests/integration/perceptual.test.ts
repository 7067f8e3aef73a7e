import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosine,
  createPerceptualScorer,
  PerceptualModelError,
} from '../../main/eval/perceptual/perceptualScorer';
import type { PerceptualScorer } from '../../main/eval/perceptual/perceptualScorer';
import { PREPROCESSING } from '../../main/eval/perceptual/preprocessing';
import type { PerceptualFamily } from '../../main/eval/perceptual/preprocessing';
import { tinyVisionModel } from '../fixtures/onnxTinyVision';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const sampleImage = (name: string) =>
  readFileSync(join(repoRoot, 'resources/sample/stem2code-mini/images', `${name}.png`));

const flat = (width: number, height: number, rgb: [number, number, number]) =>
  sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer();

/** The image moved right and down by `px`, the uncovered strip filled with white (what a slightly off render is). */
async function shifted(png: Buffer, px: number): Promise<Buffer> {
  const { width, height } = await sharp(png).metadata();
  return sharp(png)
    .flatten({ background: '#ffffff' })
    .extend({ left: px, top: px, background: '#ffffff' })
    .extract({ left: 0, top: 0, width, height })
    .png()
    .toBuffer();
}

/** L2-normalised v·W for a [rows, K] row-major W. */
function project(v: number[], weights: Float32Array, k: number): Float32Array {
  const out = new Float32Array(k);
  v.forEach((x, r) => {
    for (let j = 0; j < k; j++) out[j]! += x * weights[r * k + j]!;
  });
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

describe('perceptual similarity through onnxruntime-node and a generated tiny vision model', () => {
  const dir = makeTempDir('codepercept-onnx-');
  const model = tinyVisionModel();
  const modelPath = join(dir.path, 'tiny-vision.onnx');
  const scorers: PerceptualScorer[] = [];
  const open = async (family: PerceptualFamily, extra: { outputName?: string; batchSize?: number } = {}) => {
    const scorer = await createPerceptualScorer({ modelPath, family, threads: 1, ...extra });
    scorers.push(scorer);
    return scorer;
  };
  beforeAll(() => writeFileSync(modelPath, model.bytes));
  afterAll(async () => {
    for (const scorer of scorers) await scorer.dispose();
    dir.cleanup();
  });

  it('scores identical figures 1, the figure shifted 3 px high, a different figure lower, its negative lowest', async () => {
    const scorer = await open('clip', { outputName: 'image_embeds' });
    const figure = sampleImage('function_plot-20260310-000');
    const other = sampleImage('chart-20260310-003');
    const negative = await sharp(figure).flatten({ background: '#ffffff' }).negate().png().toBuffer();
    const same = await scorer.similarity(figure, Buffer.from(figure));
    const shift = await scorer.similarity(figure, await shifted(figure, 3));
    const different = await scorer.similarity(figure, other);
    const opposite = await scorer.similarity(figure, negative);
    console.log(
      `tiny model, image_embeds: same ${same.toFixed(6)}, shifted 3 px ${shift.toFixed(4)}, other figure ${different.toFixed(4)}, negative ${opposite.toFixed(4)}`,
    );
    expect(same).toBeCloseTo(1, 6);
    // A linear model on 56 px windows: a 3 px shift keeps most of it, another figure shares little, and the
    // negative (ink and page swapped) points the other way.
    expect(shift).toBeGreaterThan(0.8);
    expect(different).toBeLessThan(0.5);
    expect(opposite).toBeLessThan(-0.9);
  });

  it('preprocesses each family as documented: flat colours give the hand-computed embeddings', async () => {
    const red: [number, number, number] = [255, 0, 0];
    const teal: [number, number, number] = [0, 128, 128];
    // Non-square inputs: the crop or the squash must still give 224 × 224.
    const a = await flat(300, 200, red);
    const b = await flat(180, 260, teal);
    for (const family of ['clip', 'siglip', 'dinov2'] as const) {
      const { mean, std } = PREPROCESSING[family];
      const normalised = (rgb: number[]) => rgb.map((c, i) => (c / 255 - mean[i]!) / std[i]!);
      // Tokens: every cell is the colour, so the mean over tokens is colour·W_tokens.
      const tokens = await open(family);
      expect(tokens.outputName).toBe('last_hidden_state');
      const expectedTokens = cosine(
        project(normalised(red), model.tokenWeights, model.width),
        project(normalised(teal), model.tokenWeights, model.width),
      );
      expect(await tokens.similarity(a, b), family).toBeCloseTo(expectedTokens, 4);
      // Pooled: the flattened grid repeats each channel's value over the G cells.
      const pooled = await open(family, { outputName: 'pooler_output' });
      const repeat = (v: number[]) => v.flatMap((x) => Array<number>(model.grid).fill(x));
      const expectedPooled = cosine(
        project(repeat(normalised(red)), model.pooledWeights, model.width),
        project(repeat(normalised(teal)), model.pooledWeights, model.width),
      );
      expect(await pooled.similarity(a, b), family).toBeCloseTo(expectedPooled, 4);
      expect(Math.abs(expectedPooled - expectedTokens)).toBeGreaterThan(1e-3);
    }
  });

  it('embeds in batches, the same vectors as one by one, and stops between batches when aborted', async () => {
    const images = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => flat(64, 48, [i * 50, 255 - i * 40, (i * 90) % 256])),
    );
    const batched = await (await open('siglip', { batchSize: 2 })).embed(images);
    const single = await (await open('siglip', { batchSize: 1 })).embed(images);
    expect(batched).toHaveLength(5);
    batched.forEach((v, i) => expect(cosine(v, single[i]!)).toBeCloseTo(1, 6));

    const scorer = await open('siglip', { batchSize: 2 });
    const aborted = new AbortController();
    aborted.abort();
    await expect(scorer.embed(images, { signal: aborted.signal })).rejects.toThrow(/abort/i);
    // A signal that turns aborted once the first batch has started: that batch finishes, the next never starts.
    let checks = 0;
    const controller = new AbortController();
    const signal = controller.signal;
    const counting = Object.assign(Object.create(signal) as AbortSignal, {
      throwIfAborted() {
        if (++checks === 2) controller.abort();
        signal.throwIfAborted();
      },
    });
    await expect(scorer.embed(images, { signal: counting })).rejects.toThrow(/abort/i);
    expect(checks).toBe(2);
  });

  it('runs a model with a fixed batch of 1 one image at a time', async () => {
    const fixedPath = join(dir.path, 'fixed-batch.onnx');
    writeFileSync(fixedPath, tinyVisionModel({ batch: 1 }).bytes);
    const scorer = await createPerceptualScorer({ modelPath: fixedPath, family: 'clip', batchSize: 8 });
    scorers.push(scorer);
    const figure = sampleImage('geometry-20260310-000');
    expect(await scorer.similarity(figure, figure)).toBeCloseTo(1, 6);
  });

  it('fails with a clear error naming the file: missing, not ONNX, truncated, wrong input size, unknown output', async () => {
    const missing = join(dir.path, 'nowhere.onnx');
    await expect(createPerceptualScorer({ modelPath: missing, family: 'clip' })).rejects.toMatchObject({
      name: 'PerceptualModelError',
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining(missing),
    });
    const garbage = join(dir.path, 'garbage.onnx');
    writeFileSync(garbage, 'this is not a protobuf, just text\n');
    const truncated = join(dir.path, 'truncated.onnx');
    writeFileSync(truncated, model.bytes.subarray(0, Math.floor(model.bytes.length / 2)));
    for (const path of [garbage, truncated]) {
      const error = await createPerceptualScorer({ modelPath: path, family: 'dinov2' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PerceptualModelError);
      expect(error).toMatchObject({ code: 'MODEL_FILE_INVALID', message: expect.stringContaining(path) });
    }
    const small = join(dir.path, 'small-input.onnx');
    writeFileSync(small, tinyVisionModel({ size: 112 }).bytes);
    await expect(createPerceptualScorer({ modelPath: small, family: 'siglip' })).rejects.toMatchObject({
      code: 'MODEL_SHAPE_UNSUPPORTED',
      message: expect.stringMatching(
        /small-input\.onnx.*\[batch, 3, 112, 112\].*float32 \[batch, 3, 224, 224\]/,
      ),
    });
    await expect(
      createPerceptualScorer({ modelPath, family: 'clip', outputName: 'embeddings' }),
    ).rejects.toMatchObject({
      code: 'MODEL_SHAPE_UNSUPPORTED',
      message: expect.stringMatching(
        /no output "embeddings".*last_hidden_state, pooler_output, image_embeds/,
      ),
    });
  });

  it('refuses work after dispose', async () => {
    const scorer = await createPerceptualScorer({ modelPath, family: 'clip' });
    await scorer.dispose();
    const png = await flat(32, 32, [0, 0, 0]);
    await expect(scorer.similarity(png, png)).rejects.toThrow(/disposed/);
  });
});
