import { access, constants } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { PREPROCESSING, perceptualFamilies, preprocessInto } from './preprocessing';
import type { PerceptualFamily } from './preprocessing';

/** Bumped whenever a change could move a score (preprocessing, pooling, the similarity itself). */
export const PERCEPTUAL_VERSION = 1;

export type PerceptualErrorCode = 'MODEL_FILE_MISSING' | 'MODEL_FILE_INVALID' | 'MODEL_SHAPE_UNSUPPORTED';

export class PerceptualModelError extends Error {
  override name = 'PerceptualModelError';
  constructor(
    readonly code: PerceptualErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface PerceptualScorerOptions {
  /** An ONNX vision tower taking one float image tensor [batch, 3, H, W] (the family's preprocessing). */
  modelPath: string;
  family: PerceptualFamily;
  /**
   * The output holding the embedding; default the model's first output. [batch, D] is used as it is (a pooled
   * embedding); [batch, tokens, D] is averaged over the tokens.
   */
  outputName?: string;
  /** Images per inference call (default 8); models with a fixed batch of 1 get 1. */
  batchSize?: number;
  /** onnxruntime's intra-op threads; default: its own choice (all cores). */
  threads?: number;
}

export interface EmbedOptions {
  /** Checked between batches: a cancelled run stops after the batch in flight. */
  signal?: AbortSignal;
}

export interface PerceptualScorer {
  readonly family: PerceptualFamily;
  readonly inputName: string;
  readonly outputName: string;
  /** L2-normalised embeddings of encoded images (PNG, JPEG, …), in order, batched. */
  embed(images: readonly Uint8Array[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Cosine similarity of the two images' embeddings, in [−1, 1]; 1 for the same image. */
  similarity(a: Uint8Array, b: Uint8Array, options?: EmbedOptions): Promise<number>;
  /** Releases the onnxruntime session; the scorer cannot be used afterwards. */
  dispose(): Promise<void>;
}

/** Cosine similarity of two L2-normalised vectors (their dot product), clamped against rounding. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return Math.max(-1, Math.min(1, dot));
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** One embedding per batch row: [B, D] as is, [B, T, D] averaged over T. */
function pool(output: Tensor, batch: number, modelPath: string, outputName: string): Float32Array[] {
  const dims = output.dims;
  if (output.type !== 'float32' || dims[0] !== batch || (dims.length !== 2 && dims.length !== 3))
    throw new PerceptualModelError(
      'MODEL_SHAPE_UNSUPPORTED',
      `Output "${outputName}" of ${modelPath} is a ${output.type} tensor of shape [${dims.join(', ')}]; ` +
        `a perceptual model needs float32 [batch, D] or [batch, tokens, D]. Choose another output (outputName).`,
    );
  const data = output.data as Float32Array;
  const tokens = dims.length === 3 ? dims[1]! : 1;
  const width = dims[dims.length - 1]!;
  const rows: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(width);
    const base = b * tokens * width;
    for (let t = 0; t < tokens; t++) for (let d = 0; d < width; d++) v[d]! += data[base + t * width + d]!;
    rows.push(normalise(v));
  }
  return rows;
}

/**
 * Loads a user-supplied ONNX vision tower (DINOv2, CLIP or SigLIP image encoder) once and scores image pairs by
 * the cosine of their embeddings. The session is created here, so a missing or broken file fails now, naming
 * the file, not at the first item of a run. Inference calls are serialised: one session, one batch at a time,
 * all its threads on that batch.
 */
export async function createPerceptualScorer(options: PerceptualScorerOptions): Promise<PerceptualScorer> {
  const { modelPath, family } = options;
  if (!perceptualFamilies.includes(family))
    throw new Error(
      `Unknown perceptual model family "${family}"; choose one of ${perceptualFamilies.join(', ')}.`,
    );
  const preprocessing = PREPROCESSING[family];
  try {
    await access(modelPath, constants.R_OK);
  } catch (error) {
    throw new PerceptualModelError(
      'MODEL_FILE_MISSING',
      `The perceptual model file ${modelPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). ` +
        'Check the path in the model settings, or export the vision tower to ONNX and place it there.',
      { cause: error },
    );
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(modelPath, {
      graphOptimizationLevel: 'all',
      ...(options.threads !== undefined && { intraOpNumThreads: options.threads }),
    });
  } catch (error) {
    throw new PerceptualModelError(
      'MODEL_FILE_INVALID',
      `onnxruntime could not load ${modelPath} as an ONNX model: ${error instanceof Error ? error.message : String(error)}. ` +
        'The file may be truncated or not an ONNX export; re-export the vision tower (opset ≥ 13) and try again.',
      { cause: error },
    );
  }

  const inputName = session.inputNames[0];
  const outputName = options.outputName ?? session.outputNames[0];
  const fail = (message: string): never => {
    void session.release();
    throw new PerceptualModelError('MODEL_SHAPE_UNSUPPORTED', `${modelPath}: ${message}`);
  };
  if (inputName === undefined || session.inputNames.length !== 1)
    fail(
      `a perceptual model takes exactly one image input; this one takes [${session.inputNames.join(', ')}].`,
    );
  if (outputName === undefined || !session.outputNames.includes(outputName))
    fail(`it has no output "${outputName}"; its outputs are ${session.outputNames.join(', ')}.`);
  const input = session.inputMetadata[0];
  const size = preprocessing.size;
  if (input?.isTensor) {
    const shape = input.shape;
    const fixed = (i: number, want: number) => typeof shape[i] !== 'number' || shape[i] === want;
    if (input.type !== 'float32' || shape.length !== 4 || !fixed(1, 3) || !fixed(2, size) || !fixed(3, size))
      fail(
        `its input "${inputName}" is ${input.type} [${shape.join(', ')}], but ${family} preprocessing gives ` +
          `float32 [batch, 3, ${size}, ${size}]. Check the model family setting.`,
      );
  }
  const fixedBatch = input?.isTensor && typeof input.shape[0] === 'number' ? input.shape[0] : null;
  const batchSize = fixedBatch ?? Math.max(1, options.batchSize ?? 8);

  let queue: Promise<unknown> = Promise.resolve();
  let released = false;
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  const embedBatch = async (images: readonly Uint8Array[]): Promise<Float32Array[]> => {
    const plane = 3 * size * size;
    // A fixed-batch model gets a full batch; unused rows stay zero and are dropped.
    const rows = fixedBatch ?? images.length;
    const pixels = new Float32Array(rows * plane);
    await Promise.all(images.map((image, i) => preprocessInto(image, preprocessing, pixels, i * plane)));
    const feeds = { [inputName!]: new Tensor('float32', pixels, [rows, 3, size, size]) };
    const result = await serialised(() => {
      if (released) throw new Error('The perceptual scorer was disposed.');
      return session.run(feeds, [outputName!]);
    });
    return pool(result[outputName!]!, rows, modelPath, outputName!).slice(0, images.length);
  };

  const embed = async (images: readonly Uint8Array[], embedOptions: EmbedOptions = {}) => {
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += batchSize) {
      embedOptions.signal?.throwIfAborted();
      out.push(...(await embedBatch(images.slice(start, start + batchSize))));
    }
    return out;
  };

  return {
    family,
    inputName: inputName!,
    outputName: outputName!,
    embed,
    async similarity(a, b, embedOptions) {
      const [ea, eb] = await embed([a, b], embedOptions);
      return cosine(ea!, eb!);
    },
    async dispose() {
      if (released) return;
      released = true;
      await queue;
      await session.release();
    },
  };
}
