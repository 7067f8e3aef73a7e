import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../../icc/generators/random';
import { GgmlTensorType, writeGguf } from './ggufWriter';
import type { MetadataValue, TensorSpec } from './ggufWriter';

/**
 * Random-weight models that the real loaders accept (see shared/design/tiny-models.md for what each key is
 * for): a llama-architecture text model with a byte-fallback vocabulary and a chat template, and a LLaVA-style
 * `mlp` vision projector. Their output is noise; they exist so every model path can run without downloads.
 */

export interface TinyTextModelOptions {
  /** n_embd; must equal the projector's output width when paired with one. */
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
  /** f16 halves the file and is how real models ship; norms stay f32 either way. */
  weights?: 'f32' | 'f16';
  seed?: number;
  name?: string;
  /** Leave out keys or bytes on purpose, for crash tests. */
  malformed?: 'missing-feed-forward-length' | 'truncated';
}

export interface TinyProjectorOptions {
  /** The text model's n_embd (the projector's output width). */
  textEmbedding?: number;
  seed?: number;
}

function uniform(random: () => number, scale: number) {
  return (out: Float32Array) => {
    for (let i = 0; i < out.length; i++) out[i] = (random() * 2 - 1) * scale;
  };
}

function constant(value: number) {
  return (out: Float32Array) => out.fill(value);
}

/** Token types of tokenizer.ggml.token_type (llama.cpp's llama_token_type). */
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

const SPECIAL_TOKENS = ['<unk>', '<s>', '</s>', '<|system|>', '<|user|>', '<|assistant|>', '<|end|>'];
const WORDS = [
  'the',
  'a',
  'of',
  'and',
  'to',
  'is',
  'in',
  'plot',
  'figure',
  'axis',
  'line',
  'bar',
  'label',
  'title',
  'color',
  'red',
  'blue',
  'green',
  'x',
  'y',
  'value',
  'data',
  'import',
  'matplotlib',
  'pyplot',
  'as',
  'plt',
  'numpy',
  'np',
  'def',
  'return',
  'for',
  'range',
  'print',
  'circle',
  'triangle',
  'angle',
  'area',
  'answer',
  'yes',
  'no',
  'image',
  'shows',
];

/** A small SentencePiece-style vocabulary: specials, the 256 byte tokens (required), then whole words. */
export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  SPECIAL_TOKENS.forEach((t, i) => {
    tokens.push(t);
    scores.push(0);
    types.push(i === 0 ? TOKEN_UNKNOWN : TOKEN_CONTROL);
  });
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    scores.push(0);
    types.push(TOKEN_BYTE);
  }
  WORDS.forEach((w, i) => {
    tokens.push(`▁${w}`);
    scores.push(-1 - i / 100);
    types.push(TOKEN_NORMAL);
  });
  return { tokens, scores, types };
}

/** Role markers are control tokens, so the template renders to a prompt the vocabulary tokenizes exactly. */
export const TINY_CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>' }}{{ message['content'] }}{{ '<|end|>' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

export function writeTinyTextModel(path: string, options: TinyTextModelOptions = {}): { bytes: number } {
  const embedding = options.embedding ?? 64;
  const layers = options.layers ?? 2;
  const heads = options.heads ?? 4;
  const feedForward = options.feedForward ?? embedding * 2;
  const weightType = options.weights === 'f16' ? GgmlTensorType.F16 : GgmlTensorType.F32;
  // Deterministic weights: the same options always write the same bytes.
  const random = createRandom(options.seed ?? 1).next;
  if (embedding % heads !== 0)
    throw new Error(`embedding (${embedding}) must be a multiple of heads (${heads}).`);
  const vocab = tinyVocabulary();

  const metadata: Record<string, MetadataValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: options.name ?? 'tiny-llama' },
    'general.alignment': { type: 'u32', value: 32 },
    // llama_ftype: 0 = all F32, 1 = mostly F16.
    'general.file_type': { type: 'u32', value: weightType === GgmlTensorType.F16 ? 1 : 0 },
    'llama.context_length': { type: 'u32', value: options.contextLength ?? 4096 },
    'llama.embedding_length': { type: 'u32', value: embedding },
    'llama.block_count': { type: 'u32', value: layers },
    'llama.feed_forward_length': { type: 'u32', value: feedForward },
    'llama.attention.head_count': { type: 'u32', value: heads },
    'llama.attention.head_count_kv': { type: 'u32', value: heads },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.rope.dimension_count': { type: 'u32', value: embedding / heads },
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'f32[]', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: vocab.types },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: 2 },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.chat_template': { type: 'string', value: TINY_CHAT_TEMPLATE },
  };
  if (options.malformed === 'missing-feed-forward-length') delete metadata['llama.feed_forward_length'];

  const scale = 1 / Math.sqrt(embedding);
  const matrix = (name: string, shape: number[]): TensorSpec => ({
    name,
    shape,
    type: weightType,
    fill: uniform(random, scale),
  });
  const norm = (name: string): TensorSpec => ({
    name,
    shape: [embedding],
    type: GgmlTensorType.F32,
    fill: constant(1),
  });
  const n = vocab.tokens.length;
  const tensors: TensorSpec[] = [
    { name: 'token_embd.weight', shape: [embedding, n], type: weightType, fill: uniform(random, 1) },
    norm('output_norm.weight'),
    matrix('output.weight', [embedding, n]),
  ];
  for (let l = 0; l < layers; l++) {
    const blk = `blk.${l}`;
    tensors.push(
      norm(`${blk}.attn_norm.weight`),
      matrix(`${blk}.attn_q.weight`, [embedding, embedding]),
      matrix(`${blk}.attn_k.weight`, [embedding, embedding]),
      matrix(`${blk}.attn_v.weight`, [embedding, embedding]),
      matrix(`${blk}.attn_output.weight`, [embedding, embedding]),
      norm(`${blk}.ffn_norm.weight`),
      matrix(`${blk}.ffn_gate.weight`, [embedding, feedForward]),
      matrix(`${blk}.ffn_down.weight`, [feedForward, embedding]),
      matrix(`${blk}.ffn_up.weight`, [embedding, feedForward]),
    );
  }
  if (options.malformed === 'truncated') {
    // Cut inside the tensor data: the header still parses, the weights are not all there.
    const whole = writeGguf(path, metadata, tensors);
    return writeGguf(path, metadata, tensors, { truncateTo: Math.floor(whole.bytes * 0.6) });
  }
  return writeGguf(path, metadata, tensors);
}

/** Geometry of the tiny projector (LLaVA-1.5 `mlp`): a 28-px image in 14-px patches is 4 image tokens. */
const VISION = {
  imageSize: 28,
  patchSize: 14,
  width: 32,
  feedForward: 64,
  projection: 64,
  blocks: 2,
  heads: 2,
};

export function writeTinyProjector(path: string, options: TinyProjectorOptions = {}): { bytes: number } {
  const textEmbedding = options.textEmbedding ?? 64;
  const random = createRandom(options.seed ?? 2).next;
  const v = VISION;
  const patches = (v.imageSize / v.patchSize) ** 2;
  const metadata: Record<string, MetadataValue> = {
    'general.architecture': { type: 'string', value: 'clip' },
    'general.name': { type: 'string', value: 'tiny-mmproj' },
    'general.alignment': { type: 'u32', value: 32 },
    'general.file_type': { type: 'u32', value: 0 },
    'clip.has_vision_encoder': { type: 'bool', value: true },
    'clip.projector_type': { type: 'string', value: 'mlp' },
    'clip.vision.image_size': { type: 'u32', value: v.imageSize },
    'clip.vision.patch_size': { type: 'u32', value: v.patchSize },
    'clip.vision.embedding_length': { type: 'u32', value: v.width },
    'clip.vision.feed_forward_length': { type: 'u32', value: v.feedForward },
    'clip.vision.projection_dim': { type: 'u32', value: v.projection },
    'clip.vision.block_count': { type: 'u32', value: v.blocks },
    'clip.vision.attention.head_count': { type: 'u32', value: v.heads },
    'clip.vision.attention.layer_norm_epsilon': { type: 'f32', value: 1e-6 },
    'clip.vision.image_mean': { type: 'f32[]', value: [0.5, 0.5, 0.5] },
    'clip.vision.image_std': { type: 'f32[]', value: [0.5, 0.5, 0.5] },
  };
  const t = (name: string, shape: number[], scale = 0.1): TensorSpec => ({
    name,
    shape,
    type: GgmlTensorType.F32,
    fill: uniform(random, scale),
  });
  const tensors: TensorSpec[] = [
    t('v.patch_embd.weight', [v.patchSize, v.patchSize, 3, v.width]),
    t('v.position_embd.weight', [v.width, patches]),
  ];
  for (let b = 0; b < v.blocks; b++) {
    const blk = `v.blk.${b}`;
    tensors.push(
      t(`${blk}.attn_q.weight`, [v.width, v.width]),
      t(`${blk}.attn_k.weight`, [v.width, v.width]),
      t(`${blk}.attn_v.weight`, [v.width, v.width]),
      t(`${blk}.attn_out.weight`, [v.width, v.width]),
      t(`${blk}.ffn_up.weight`, [v.width, v.feedForward]),
      t(`${blk}.ffn_down.weight`, [v.feedForward, v.width]),
    );
  }
  tensors.push(
    t('mm.0.weight', [v.width, v.projection]),
    t('mm.0.bias', [v.projection]),
    t('mm.2.weight', [v.projection, textEmbedding]),
    t('mm.2.bias', [textEmbedding]),
  );
  return writeGguf(path, metadata, tensors);
}

export interface TestModelSet {
  /** A text-only model. */
  text: string;
  /** The language half of a vision model, and its projector (paired by the `mmproj-<name>` convention). */
  vision: string;
  mmproj: string;
}

/**
 * Writes the test model set into `dir`. The vision model's width differs from the text model's so a folder
 * scan cannot mistake the projector for the text model's (pairing falls back to matching widths).
 */
export function writeTestModels(dir: string): TestModelSet {
  mkdirSync(dir, { recursive: true });
  const set: TestModelSet = {
    text: join(dir, 'tiny-text.gguf'),
    vision: join(dir, 'tiny-vision.gguf'),
    mmproj: join(dir, 'mmproj-tiny-vision.gguf'),
  };
  writeTinyTextModel(set.text, { name: 'tiny-text', embedding: 64, seed: 1 });
  writeTinyTextModel(set.vision, { name: 'tiny-vision', embedding: 48, heads: 4, seed: 3 });
  writeTinyProjector(set.mmproj, { textEmbedding: 48, seed: 4 });
  return set;
}
