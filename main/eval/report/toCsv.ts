import { ITEM_COLUMNS } from './itemRows';
import type { Cell } from './itemRows';
import { judgesOf } from './summarize';
import type { ReportRun } from './summarize';

/**
 * RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (or starts/ends with a space, which some
 * readers trim), with quotes doubled. null is an empty field; booleans are true/false; numbers as JS prints
 * them (full precision, so a round trip gives the same number).
 */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 record: fields joined by commas, CRLF-terminated. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** One row per answer (item × sample, in the order given), header first, columns in `ITEM_COLUMNS` order. */
export function toCsv(run: ReportRun): string {
  const judges = judgesOf(run);
  const finals = judges.image && judges.code;
  return (
    csvRecord(ITEM_COLUMNS.map((c) => c.name)) +
    run.items.map((r) => csvRecord(ITEM_COLUMNS.map((c) => c.value(r, finals)))).join('')
  );
}
