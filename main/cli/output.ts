import { ApiError, toApiErrorData } from '../api/errors';

/** Prints an error the way every command does: message, then what to do; exit code 1. */
export function printError(error: unknown): void {
  const data = error instanceof ApiError ? error.toData() : toApiErrorData(error);
  process.stderr.write(`error: ${data.message}\n`);
  if (data.hint) process.stderr.write(`  ${data.hint}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A fixed-width text table for terminal output. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
