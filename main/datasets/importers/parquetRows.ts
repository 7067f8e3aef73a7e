import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';

/** A parquet batch: a row range inside one row group, so reading it touches only that group's pages. */
export interface ParquetBatch {
  /** 0-based first row. */
  from: number;
  count: number;
}

/** Keep a batch's decoded rows (embedded images included) around this size. */
const TARGET_BATCH_BYTES = 64 * 1024 * 1024;

export function parquetBatchKey(batch: ParquetBatch): string {
  return `rows:${batch.from}:${batch.count}`;
}

export function parseParquetBatchKey(key: string): ParquetBatch {
  const m = /^rows:(\d+):(\d+)$/.exec(key);
  if (!m) throw new Error(`Bad import batch key "${key}".`);
  return { from: Number(m[1]), count: Number(m[2]) };
}

/** A cell that could not be decoded (text that is not UTF-8, JSON that does not parse): a row error, not a crash. */
export class UnreadableCell {
  constructor(readonly reason: string) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const parsers = {
  stringFromBytes(bytes: Uint8Array | undefined): unknown {
    if (!bytes) return bytes;
    try {
      return utf8.decode(bytes);
    } catch {
      return new UnreadableCell('not valid UTF-8');
    }
  },
  jsonFromBytes(bytes: Uint8Array | undefined): unknown {
    if (!bytes) return bytes;
    try {
      return JSON.parse(utf8.decode(bytes)) as unknown;
    } catch (error) {
      return new UnreadableCell(`bad JSON: ${(error as Error).message}`);
    }
  },
};

async function open(path: string): Promise<{ file: AsyncBuffer; metadata: FileMetaData }> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new Error(`${path} is not a readable Parquet file: ${(error as Error).message}`, { cause: error });
  }
  return { file, metadata };
}

/**
 * Batches follow the row groups (a batch never spans two), split so that a batch's decoded size stays near
 * TARGET_BATCH_BYTES: image datasets with large embedded images get small batches, text tables large ones.
 */
export async function planParquetBatches(path: string, maxRows: number): Promise<ParquetBatch[]> {
  const { metadata } = await open(path);
  const batches: ParquetBatch[] = [];
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const bytes = Math.max(1, Number(group.total_byte_size));
    const perBatch = Math.max(1, Math.min(maxRows, Math.floor((rows * TARGET_BATCH_BYTES) / bytes)));
    for (let from = 0; from < rows; from += perBatch)
      batches.push({ from: groupStart + from, count: Math.min(perBatch, rows - from) });
    groupStart += rows;
  }
  return batches;
}

export interface ParquetRow {
  /** 0-based row number in the file. */
  index: number;
  value: Record<string, unknown>;
  /** The first column whose cell could not be decoded, and why. */
  unreadable: { field: string; reason: string } | null;
}

function findUnreadable(value: unknown, path: string): { field: string; reason: string } | null {
  if (value instanceof UnreadableCell) return { field: path, reason: value.reason };
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findUnreadable(v, path);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findUnreadable(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

/** Reads one batch's rows. Binary columns stay bytes (utf8: false); only UTF8-annotated columns become text. */
export async function readParquetBatch(path: string, batch: ParquetBatch): Promise<ParquetRow[]> {
  const { file, metadata } = await open(path);
  const rows = await parquetReadObjects({
    file,
    metadata,
    rowStart: batch.from,
    rowEnd: batch.from + batch.count,
    utf8: false,
    parsers,
    useOffsetIndex: true,
  });
  return rows.map((value, i) => {
    let unreadable: ParquetRow['unreadable'] = null;
    for (const [column, cell] of Object.entries(value)) {
      unreadable = findUnreadable(cell, column);
      if (unreadable) break;
    }
    return { index: batch.from + i, value, unreadable };
  });
}
