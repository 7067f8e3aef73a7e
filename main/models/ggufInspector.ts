import { open, stat } from 'node:fs/promises';
import { GgufFileType, readGgufFileInfo } from 'node-llama-cpp';
import type { GgufFileInfo } from 'node-llama-cpp';

/**
 * Reads what the Models page and the loaders need from a GGUF file without loading it (node-llama-cpp's
 * pure-JS reader: header, metadata and tensor infos only), and checks the file is whole. llama.cpp aborts the
 * process on a file that lies about itself, so this runs in the engine before any host is asked to load.
 */
export interface GgufSummary {
  sizeBytes: number;
  architecture: string | null;
  parameterCount: number;
  /** e.g. "Q4_K_M", "F16"; null when the file does not say. */
  quantization: string | null;
  contextLength: number | null;
  embeddingLength: number | null;
  hasChatTemplate: boolean;
  /** A vision projector (general.architecture "clip"), not a model to load alone. */
  isProjector: boolean;
  /** For projectors: the width of the embeddings it feeds the language model (must equal its n_embd). */
  projectorOutputWidth: number | null;
}

export class GgufFileError extends Error {
  override name = 'GgufFileError';
}

const MAGIC = Buffer.from('GGUF', 'latin1');

/** Bytes per block and elements per block of the ggml types real files use (ggml.c's type_traits). */
const TYPE_SIZES: Record<number, [elements: number, bytes: number]> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  16: [256, 66],
  17: [256, 74],
  18: [256, 98],
  19: [256, 50],
  20: [32, 18],
  21: [256, 110],
  22: [256, 82],
  23: [256, 136],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  29: [256, 56],
  30: [1, 2],
  34: [256, 54],
  35: [256, 66],
  39: [32, 17],
};

function elements(dimensions: readonly (number | bigint)[]): number {
  return dimensions.reduce<number>((a, d) => a * Number(d), 1);
}

/** Fails fast on files that are not GGUF at all, before the parser reads them as if they were. */
async function checkMagic(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead < 8 || !head.subarray(0, 4).equals(MAGIC))
      throw new GgufFileError(`${path} is not a GGUF file (it does not start with "GGUF").`);
    const version = head.readUInt32LE(4);
    if (version < 2 || version > 3)
      throw new GgufFileError(`${path} is GGUF version ${version}; llama.cpp reads versions 2 and 3.`);
  } finally {
    await handle.close();
  }
}

/** Every tensor's bytes must lie inside the file; a cut download otherwise crashes the loader natively. */
function checkComplete(path: string, info: GgufFileInfo, sizeBytes: number): void {
  const dataStart = info.infoEndOffset ?? 0;
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    if (tensor.filePart !== 1) continue;
    const start = dataStart + Number(tensor.offset);
    const type = TYPE_SIZES[tensor.ggmlType];
    const bytes = type ? Math.ceil(elements(tensor.dimensions) / type[0]) * type[1] : 1;
    if (start + bytes > sizeBytes) {
      throw new GgufFileError(
        `${path} is incomplete: tensor ${tensor.name} needs bytes up to ${start + bytes}, the file has ${sizeBytes}. ` +
          'Download or copy it again.',
      );
    }
  }
}

function quantizationName(fileType: number | undefined): string | null {
  if (fileType === undefined) return null;
  const name = GgufFileType[fileType] as string | undefined;
  return name ? name.replace(/^(MOSTLY|ALL)_/, '') : `type ${fileType}`;
}

export async function readGgufSummary(path: string): Promise<GgufSummary> {
  const { size } = await stat(path);
  await checkMagic(path);
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, {
      logWarnings: false,
      spliceSplitFiles: false,
      sourceType: 'filesystem',
      // The vocabulary is most of the metadata and none of what we show.
      ignoreKeys: [
        'tokenizer.ggml.tokens',
        'tokenizer.ggml.scores',
        'tokenizer.ggml.token_type',
        'tokenizer.ggml.merges',
      ],
    });
  } catch (error) {
    throw new GgufFileError(
      `${path} has an unreadable GGUF header: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  checkComplete(path, info, size);
  const tensors = info.tensorInfo ?? [];
  const architecture = info.metadata.general?.architecture ?? null;
  const arch = (info.architectureMetadata ?? {}) as { context_length?: number; embedding_length?: number };
  const isProjector = architecture === 'clip';
  const projection = isProjector
    ? [...tensors].reverse().find((t) => /^mm\.\d+\.weight$/.test(t.name))
    : undefined;
  return {
    sizeBytes: size,
    architecture,
    parameterCount: tensors.reduce((sum, t) => sum + elements(t.dimensions), 0),
    quantization: quantizationName(info.metadata.general?.file_type),
    contextLength: arch.context_length ?? null,
    embeddingLength: arch.embedding_length ?? null,
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === 'string',
    isProjector,
    projectorOutputWidth: projection ? Number(projection.dimensions.at(-1)) : null,
  };
}
