import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface CsvRecord {
  /** 0-based index among data records (the header is not a record). */
  index: number;
  /** 1-based line where the record ends, counting the header. */
  line: number;
  record: Record<string, string>;
}

/**
 * Streams CSV records with a maintained parser (quoted fields may span lines, so CSV is not split by line).
 * Yields records from `from` on, at most `count` of them.
 */
export async function* csvRecords(
  path: string,
  from = 0,
  count = Number.POSITIVE_INFINITY,
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let index = 0;
  try {
    for await (const entry of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      signal?.throwIfAborted();
      if (index >= from + count) break;
      if (index >= from) yield { index, line: entry.info.lines, record: entry.record };
      index++;
    }
  } finally {
    parser.destroy();
  }
}
