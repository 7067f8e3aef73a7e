import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { InfoRecord } from 'csv-parse';

/**
 * The most a CSV row may hold, in bytes: room for the largest caption, code and text fields the import takes
 * (see fieldLimits.ts) plus an inline base64 image of about 11 MB. It also bounds what a quote that never
 * closes can swallow before the parser gives up on that row.
 */
export const CSV_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Rows whose opening quote runs on past their own line before failing. Each one makes the parser read up to
 * CSV_MAX_RECORD_BYTES again; past this many the file's quoting is broken throughout and the import stops.
 */
const MAX_CSV_REWINDS = 64;

/** A data record with its fields named by the header, or why the text where a record should be is not one. */
export type CsvRecord = {
  /** 0-based index among data records (the header is not a record); bad rows count too. */
  index: number;
  /** 1-based line where the record ends, counting the header; for a bad row, where its bad field starts. */
  line: number;
} & ({ record: Record<string, string> } | { error: { field: string | null; reason: string } });

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

/** A point between rows: its byte offset and the lines before it. */
interface CsvPosition {
  bytes: number;
  lines: number;
}

/** One row as the parser left it: its fields, or the parse error and the field (by index) it was in. */
type CsvEntry = { line: number; end: CsvPosition } & (
  { fields: string[] } | { failure: { column: number | null; reason: string } }
);

const START: CsvPosition = { bytes: 0, lines: 0 };

function failureReason(error: CsvError, swallowedLines: boolean): string {
  switch (error.code as string) {
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field: quote the whole field and write each quote in it as ""';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return swallowedLines
        ? "the field's opening quote does not close (a quote on a later line does not end it); reading went on at the next line"
        : 'a quote inside a quoted field is not doubled: write each quote in it as ""';
    case 'CSV_QUOTE_NOT_CLOSED':
      return "the field's opening quote never closes before the end of the file; reading went on at the next line";
    case 'CSV_MAX_RECORD_SIZE':
      return `the row runs past ${CSV_MAX_RECORD_BYTES / 1024 / 1024} MiB: a quote that never closes, or a field too large for a CSV cell`;
    default:
      return error.message;
  }
}

/**
 * Finds the line on which a bad field starts (`fieldStart` lies after `from`, a row boundary) and the start of
 * the line after it, where parsing resumes. Line ends are counted as the parser counts them outside quotes:
 * \n, \r\n or a lone \r.
 */
async function lineAfterField(
  path: string,
  from: CsvPosition,
  fieldStart: number,
): Promise<{ line: number; next: CsvPosition }> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let lines = from.lines;
    let position = from.bytes;
    // A field starts after a delimiter or at a row boundary, where empty lines may come first.
    let skippingEmpty = true;
    let lastWasCr = false;
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, position);
      if (bytesRead === 0) return { line: lines + 1, next: { bytes: position, lines: lines + 1 } };
      for (let i = 0; i < bytesRead; i++, position++) {
        const byte = buf[i]!;
        if (lastWasCr && byte === 0x0a) {
          lastWasCr = false;
          continue;
        }
        lastWasCr = byte === 0x0d;
        if (byte !== 0x0a && byte !== 0x0d) {
          if (position >= fieldStart) skippingEmpty = false;
          continue;
        }
        lines++;
        if (position >= fieldStart && !skippingEmpty) {
          let crlf = false;
          if (byte === 0x0d) {
            if (i + 1 < bytesRead) crlf = buf[i + 1] === 0x0a;
            else crlf = (await file.read(buf, 0, 1, position + 1)).bytesRead === 1 && buf[0] === 0x0a;
          }
          return { line: lines, next: { bytes: position + (crlf ? 2 : 1), lines } };
        }
      }
    }
  } finally {
    await file.close();
  }
}

/**
 * Every row from `from` on, in order. A row the parser rejects (a stray or unclosed quote, a row past
 * CSV_MAX_RECORD_BYTES) becomes a failure entry, and parsing starts again, fresh, on the line after the one
 * where its bad field starts: the rows before and after it are kept, and an unclosed quote costs one row, not
 * the rest of the file. Because a restart depends only on the file, parsing from any row boundary yields the
 * same rows as parsing the whole file, which is what lets batches seek.
 */
async function* csvEntries(path: string, from: CsvPosition, signal?: AbortSignal): AsyncGenerator<CsvEntry> {
  let at = from;
  const rewoundAt: number[] = [];
  for (;;) {
    const parsed: { fields: string[]; info: InfoRecord }[] = [];
    let taken = 0;
    let last = at;
    const input = createReadStream(path, { start: at.bytes });
    // Records are collected as the parser makes them, because a stream that fails drops the records it holds.
    const parser = input.pipe(
      parse({
        bom: at.bytes === 0,
        relax_column_count: true,
        skip_empty_lines: true,
        max_record_size: CSV_MAX_RECORD_BYTES,
        on_record: (fields: string[], info) => {
          parsed.push({ fields, info });
          return fields;
        },
      }),
    );
    const next = (): CsvEntry => {
      const { fields, info } = parsed[taken++]!;
      if (taken === parsed.length) {
        parsed.length = 0;
        taken = 0;
      }
      last = { bytes: at.bytes + info.bytes, lines: at.lines + info.lines };
      return { fields, line: last.lines, end: last };
    };
    let failure: CsvError | null = null;
    try {
      for await (const _ of parser as AsyncIterable<string[]>) {
        signal?.throwIfAborted();
        while (taken < parsed.length) yield next();
      }
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      failure = error;
    } finally {
      parser.destroy();
      input.destroy();
    }
    while (taken < parsed.length) yield next();
    if (!failure) return;
    const bad = await lineAfterField(path, last, at.bytes + (failure.bytes as number));
    // The parser counts \r\n inside quotes as two lines, so this says only whether the field ran past its line.
    const swallowedLines = at.lines + (failure.lines as number) > bad.line;
    if (swallowedLines) {
      rewoundAt.push(bad.line);
      if (rewoundAt.length > MAX_CSV_REWINDS)
        throw new Error(
          `${basename(path)}: more than ${MAX_CSV_REWINDS} rows have a quote that does not close (lines ${rewoundAt.slice(0, 5).join(', ')}…). The file's quoting is broken; write each quote inside a field as "" and import it again.`,
        );
    }
    const column = typeof failure.column === 'number' ? failure.column : null;
    yield {
      failure: { column, reason: failureReason(failure, swallowedLines) },
      line: bad.line,
      end: bad.next,
    };
    at = bad.next;
  }
}

function headerOf(path: string, entry: CsvEntry): string[] {
  if ('failure' in entry)
    throw new Error(`${basename(path)}: the header row cannot be read: ${entry.failure.reason}.`);
  return entry.fields;
}

async function csvHeader(path: string, signal?: AbortSignal): Promise<string[]> {
  for await (const entry of csvEntries(path, START, signal)) return headerOf(path, entry);
  throw new Error(`${path} has no header line.`);
}

/** A row as the import takes it: fields named by the header, or a row error (parse failure, wrong length). */
function toRecord(entry: CsvEntry, header: string[], index: number): CsvRecord {
  const { line } = entry;
  if ('failure' in entry) {
    const { column, reason } = entry.failure;
    return { index, line, error: { field: column === null ? null : (header[column] ?? null), reason } };
  }
  if (entry.fields.length !== header.length)
    return {
      index,
      line,
      error: {
        field: null,
        reason: `${entry.fields.length} field(s) where the header has ${header.length}`,
      },
    };
  return { index, line, record: Object.fromEntries(header.map((name, i) => [name, entry.fields[i]!])) };
}

/**
 * Splits a CSV file into batches of `perBatch` rows (bad ones included) in one pass, noting the byte offset
 * where each batch starts (the end of the row before it), so reading a batch is a seek, not a re-parse of
 * everything before it. Quoted fields may span lines, which is why CSV is not split by newlines.
 */
export async function planCsvBatches(
  path: string,
  perBatch: number,
  signal: AbortSignal,
): Promise<CsvBatch[]> {
  const batches: CsvBatch[] = [];
  let current: CsvBatch | null = null;
  let endOfPrevious: CsvPosition | null = null;
  let index = 0;
  for await (const entry of csvEntries(path, START, signal)) {
    if (endOfPrevious === null) {
      headerOf(path, entry);
    } else {
      // The first batch starts at 0 and reads the header itself; the others start after a row.
      current ??=
        index === 0
          ? { start: 0, linesBefore: 0, index, count: 0 }
          : { start: endOfPrevious.bytes, linesBefore: endOfPrevious.lines, index, count: 0 };
      current.count++;
      index++;
      if (current.count === perBatch) {
        batches.push(current);
        current = null;
      }
    }
    endOfPrevious = entry.end;
  }
  if (current) batches.push(current);
  return batches;
}

/** Streams one batch's rows, seeking to its first byte; the header is read from the file's first row. */
export async function* csvRecords(
  path: string,
  batch: CsvBatch,
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord> {
  let header = batch.start === 0 ? null : await csvHeader(path, signal);
  let n = 0;
  for await (const entry of csvEntries(path, { bytes: batch.start, lines: batch.linesBefore }, signal)) {
    if (header === null) {
      header = headerOf(path, entry);
      continue;
    }
    yield toRecord(entry, header, batch.index + n);
    // Stop at the batch's last row: reading one more could mean parsing up to CSV_MAX_RECORD_BYTES.
    if (++n === batch.count) return;
  }
}
