import { open } from 'node:fs/promises';
import { GgufFileType } from 'node-llama-cpp';
import { GgufFileError, GgufValueType, readGgufHeader } from './ggufHeader';
import type { GgufEntry, GgufHeader } from './ggufHeader';

export { GgufFileError };

/**
 * Reads what the Models page and the loaders need from a GGUF file without loading it (header, metadata and
 * tensor infos only, through the bounded parser in ggufHeader.ts), and checks the file is whole. llama.cpp
 * aborts the process on a file that lies about itself, so this runs in the engine before any host is asked to load.
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

function elements(dimensions: readonly number[]): number {
  return dimensions.reduce((a, d) => a * d, 1);
}

/** Every tensor's bytes must lie inside the file; a cut download otherwise crashes the loader natively. */
function checkComplete(path: string, header: GgufHeader): void {
  const { sizeBytes } = header;
  for (const tensor of header.tensors) {
    const start = header.dataOffset + tensor.offset;
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

function quantizationName(fileType: number | null): string | null {
  if (fileType === null) return null;
  const name = GgufFileType[fileType] as string | undefined;
  return name ? name.replace(/^(MOSTLY|ALL)_/, '') : `type ${fileType}`;
}

function numberValue(entry: GgufEntry | undefined): number | null {
  const value = entry?.value;
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null;
}

export async function readGgufSummary(path: string): Promise<GgufSummary> {
  const handle = await open(path, 'r');
  let header: GgufHeader;
  try {
    header = await readGgufHeader(handle, path);
  } finally {
    await handle.close();
  }
  checkComplete(path, header);
  const { sizeBytes, metadata, tensors } = header;
  const archValue = metadata.get('general.architecture')?.value;
  const architecture = typeof archValue === 'string' ? archValue : null;
  const isProjector = architecture === 'clip';
  const projection = isProjector
    ? [...tensors].reverse().find((t) => /^mm\.\d+\.weight$/.test(t.name))
    : undefined;
  return {
    sizeBytes,
    architecture,
    parameterCount: tensors.reduce((sum, t) => sum + elements(t.dimensions), 0),
    quantization: quantizationName(numberValue(metadata.get('general.file_type'))),
    contextLength: architecture ? numberValue(metadata.get(`${architecture}.context_length`)) : null,
    embeddingLength: architecture ? numberValue(metadata.get(`${architecture}.embedding_length`)) : null,
    hasChatTemplate: metadata.get('tokenizer.chat_template')?.type === GgufValueType.String,
    isProjector,
    projectorOutputWidth: projection ? (projection.dimensions.at(-1) ?? null) : null,
  };
}
