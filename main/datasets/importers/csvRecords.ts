import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Info } from 'csv-parse';

export interface CsvRecord {
  /** 0-based index among data records (the header is not a record). */
  index: number;
  /** 1-based line where the record ends, counting the header. */
  line: number;
  record: Record<string, string>;
}

/** Where a batch of records starts, so it can be parsed without reading anything before it. */
export interface CsvBatch {
  /** Byte offset of the first record of the batch. */
  start: number;
  /** Lines (header included) before `start`. */
  linesBefore: number;
  /** Index of the batch's first record. */
  index: number;
  count: number;
}

export function csvBatchKey(batch: CsvBatch): string {
  return `csv:${batch.start}:${batch.linesBefore}:${batch.index}:${batch.count}`;
}

export function parseCsvBatchKey(key: string): CsvBatch {
  const m = /^csv:(\d+):(\d+):(\d+):(\d+)$/.exec(key);
  if (!m) throw new Error(`Bad import batch key "${key}".`);
  return { start: Number(m[1]), linesBefore: Number(m[2]), index: Number(m[3]), count: Number(m[4]) };
}

type Entry = { record: Record<string, string>; info: Info };

/**
 * Splits a CSV file into batches of `perBatch` records in one pass, noting the byte offset where each batch
 * starts (the parser's byte count after the previous record), so reading a batch is a seek, not a re-parse of
 * everything before it. Quoted fields may span lines, which is why CSV is not split by newlines.
 */
export async function planCsvBatches(
  path: string,
  perBatch: number,
  signal: AbortSignal,
): Promise<CsvBatch[]> {
  const batches: CsvBatch[] = [];
  let current: CsvBatch | null = null;
  let endOfPrevious = { bytes: 0, lines: 1 };
  let index = 0;
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  try {
    for await (const { info } of parser as AsyncIterable<Entry>) {
      signal.throwIfAborted();
      if (!current) {
        // The first batch starts at 0 and reads the header itself; the others start after a record.
        current =
          index === 0
            ? { start: 0, linesBefore: 0, index, count: 0 }
            : { start: endOfPrevious.bytes, linesBefore: endOfPrevious.lines, index, count: 0 };
      }
      current.count++;
      index++;
      endOfPrevious = { bytes: info.bytes_records, lines: info.lines };
      if (current.count === perBatch) {
        batches.push(current);
        current = null;
      }
    }
  } finally {
    parser.destroy();
  }
  if (current) batches.push(current);
  return batches;
}

async function csvHeader(path: string): Promise<string[]> {
  const parser = createReadStream(path).pipe(parse({ bom: true, to_line: 1 }));
  try {
    for await (const row of parser as AsyncIterable<string[]>) return row;
  } finally {
    parser.destroy();
  }
  throw new Error(`${path} has no header line.`);
}

/** Streams one batch's records, seeking to its first byte; the header is read from the file's first line. */
export async function* csvRecords(
  path: string,
  batch: CsvBatch,
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord> {
  const columns = batch.start === 0 ? true : await csvHeader(path);
  const parser = createReadStream(path, { start: batch.start }).pipe(
    parse({ columns, bom: batch.start === 0, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let n = 0;
  try {
    for await (const entry of parser as AsyncIterable<Entry>) {
      signal?.throwIfAborted();
      if (n >= batch.count) break;
      yield { index: batch.index + n, line: batch.linesBefore + entry.info.lines, record: entry.record };
      n++;
    }
  } finally {
    parser.destroy();
  }
}
