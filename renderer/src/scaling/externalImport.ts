/** A default set name from the CSV's file name: "paper-table-3.csv" → "paper-table-3". */
export function setNameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/, '').trim();
  return (stem || 'External results').slice(0, 200);
}

/** One problem of a refused CSV, where the engine names it. */
export interface CsvProblem {
  line: number | null;
  column: string | null;
  message: string;
}

/**
 * The line/column problems an import error carries in its details (an array of {line, column, message}, or
 * an object holding one under `errors`/`problems`); empty when the details say nothing more than the message.
 */
export function csvProblems(details: unknown): CsvProblem[] {
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' && details !== null
      ? ((details as Record<string, unknown>).errors ?? (details as Record<string, unknown>).problems)
      : null;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): CsvProblem[] => {
    if (typeof entry === 'string') return [{ line: null, column: null, message: entry }];
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    if (typeof e.message !== 'string') return [];
    return [
      {
        line: typeof e.line === 'number' ? e.line : null,
        column:
          typeof e.column === 'string' ? e.column : typeof e.column === 'number' ? String(e.column) : null,
        message: e.message,
      },
    ];
  });
}

/** "line 4, column accuracy: …" */
export function formatCsvProblem(p: CsvProblem): string {
  const where = [p.line !== null ? `line ${p.line}` : null, p.column !== null ? `column ${p.column}` : null]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/**
 * The headline of a refused import: the engine's message lists the first problems itself, so when the
 * details list every one, only its first line is kept (the list follows it, without repeats).
 */
export function importErrorHeadline(message: string, problems: readonly CsvProblem[]): string {
  return problems.length > 0 ? (message.split('\n')[0] ?? message) : message;
}
