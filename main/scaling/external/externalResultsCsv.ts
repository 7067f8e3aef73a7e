import { parse } from 'csv-parse/sync';
import type { Info } from 'csv-parse';
import { ApiError } from '../../api/errors';
import { parseParameterCount } from '../../api/parameterCount';
import { externalResultSchema } from '../../api/scaling';
import type { ExternalResult } from '../../api/scaling';

/** One fault of a refused CSV: the 1-based line (the header is line 1) and the column it is in, when known. */
export interface CsvProblem {
  line: number | null;
  column: string | null;
  message: string;
}

/** The header the contract documents (main/api/scaling.ts); any order, any case. */
export const EXTERNAL_CSV_COLUMNS = [
  'label',
  'benchmark',
  'captioner',
  'captioner_params',
  'solver',
  'solver_params',
  'accuracy',
  'n',
  'low',
  'high',
] as const;
type Column = (typeof EXTERNAL_CSV_COLUMNS)[number];

/** Columns a file must have; the others may be left out (read as empty). */
const REQUIRED: readonly Column[] = ['label', 'benchmark', 'captioner', 'solver', 'accuracy'];

/** Problems listed in the error message itself; the details carry every one. */
const MESSAGE_PROBLEMS = 10;

export function formatCsvProblem(p: CsvProblem): string {
  const where = [p.line !== null ? `line ${p.line}` : null, p.column !== null ? `column ${p.column}` : null]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** A plain number, as typed in a spreadsheet; null when the text is not one (no hex, no "Infinity"). */
function plainNumber(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  return Number(text);
}

/** "4B", "0.5B", "120M", "7e9", "8000000000" → parameters; null when empty. Throws the reason otherwise. */
export function readParameterCount(text: string): number | null {
  if (text === '') return null;
  const count = parseParameterCount(text);
  if (count === null)
    throw new Error(`"${text}" is not a parameter count (a number like 7e9, or 4B, 0.5B, 120M)`);
  return count;
}

/** Accuracy as 0..1: "0.623", "62.3" and "62.3%" all give 0.623 (values above 1 are percentages). */
export function parseAccuracy(text: string): number {
  const percent = text.endsWith('%');
  const value = plainNumber(percent ? text.slice(0, -1).trim() : text);
  if (value === null) throw new Error(`"${text}" is not a number`);
  // toPrecision drops the float noise of the division (67.3 / 100 is 0.6729999999999999), a value no one typed.
  const fraction = percent || value > 1 ? Number((value / 100).toPrecision(12)) : value;
  if (fraction < 0 || fraction > 1)
    throw new Error(`"${text}" is not an accuracy (0..1, or a percentage up to 100)`);
  return fraction;
}

function parseCount(text: string): number | null {
  if (text === '') return null;
  const value = plainNumber(text);
  if (value === null || !Number.isInteger(value) || value < 0)
    throw new Error(`"${text}" is not a count of items (a whole number)`);
  return value;
}

type Entry = { record: string[]; info: Info };

function readRecords(csv: string): Entry[] | CsvProblem {
  try {
    return parse(csv, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as Entry[];
  } catch (error) {
    // csv-parse names the line of an unclosed quote or a stray quote character.
    const line = (error as { lines?: unknown }).lines;
    return {
      line: typeof line === 'number' ? line : null,
      column: null,
      message: `the CSV cannot be read: ${(error as Error).message}`,
    };
  }
}

/** Maps header names to positions; problems for unknown, repeated and missing columns. */
function readHeader(header: string[], line: number): Map<Column, number> | CsvProblem[] {
  const problems: CsvProblem[] = [];
  const positions = new Map<Column, number>();
  header.forEach((raw, index) => {
    const name = raw.toLowerCase();
    if (!(EXTERNAL_CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        line,
        column: raw,
        message: `unknown column "${raw}" (expected ${EXTERNAL_CSV_COLUMNS.join(', ')})`,
      });
    } else if (positions.has(name as Column)) {
      problems.push({ line, column: raw, message: `column "${raw}" appears twice` });
    } else positions.set(name as Column, index);
  });
  for (const column of REQUIRED)
    if (!positions.has(column))
      problems.push({ line, column, message: `the header has no "${column}" column` });
  return problems.length > 0 ? problems : positions;
}

/** One data row into a result, collecting a problem per bad cell (not just the first). */
function readRow(
  cells: string[],
  line: number,
  columns: Map<Column, number>,
  problems: CsvProblem[],
): ExternalResult | null {
  const before = problems.length;
  const cell = (column: Column): string => {
    const index = columns.get(column);
    return index === undefined ? '' : (cells[index] ?? '');
  };
  const read = <T>(column: Column, fn: (text: string) => T): T | null => {
    try {
      return fn(cell(column));
    } catch (error) {
      problems.push({ line, column, message: (error as Error).message });
      return null;
    }
  };
  const required = (column: Column): string => {
    const text = cell(column);
    if (text === '') problems.push({ line, column, message: 'is empty' });
    return text;
  };
  const label = required('label');
  const benchmark = required('benchmark');
  const captioner = required('captioner');
  const solver = cell('solver') || null;
  const captionerParams = read('captioner_params', readParameterCount);
  const solverParams = read('solver_params', readParameterCount);
  if (solver === null && cell('solver_params') !== '')
    problems.push({
      line,
      column: 'solver_params',
      message: 'is set but the solver is empty (an empty solver is a direct answer)',
    });
  const accuracy = required('accuracy') === '' ? null : read('accuracy', parseAccuracy);
  const n = read('n', parseCount);
  const low = cell('low') === '' ? null : read('low', parseAccuracy);
  const high = cell('high') === '' ? null : read('high', parseAccuracy);
  if (accuracy !== null && low !== null && low > accuracy)
    problems.push({ line, column: 'low', message: `"${cell('low')}" is above the accuracy` });
  if (accuracy !== null && high !== null && high < accuracy)
    problems.push({ line, column: 'high', message: `"${cell('high')}" is below the accuracy` });
  if (problems.length > before || accuracy === null) return null;
  return externalResultSchema.parse({
    label,
    benchmark,
    captioner,
    captionerParams,
    solver,
    solverParams,
    accuracy,
    n,
    low,
    high,
  });
}

/** Every result of the CSV and every problem found (the caller stores nothing when there is any). */
export function readExternalResultsCsv(csv: string): { results: ExternalResult[]; problems: CsvProblem[] } {
  const records = readRecords(csv);
  if (!Array.isArray(records)) return { results: [], problems: [records] };
  const [header, ...rows] = records;
  if (!header)
    return {
      results: [],
      problems: [
        {
          line: null,
          column: null,
          message: `the CSV is empty (expected a header row: ${EXTERNAL_CSV_COLUMNS.join(',')})`,
        },
      ],
    };
  const columns = readHeader(header.record, header.info.lines);
  if (Array.isArray(columns)) return { results: [], problems: columns };
  if (rows.length === 0)
    return {
      results: [],
      problems: [{ line: null, column: null, message: 'the CSV has a header but no result rows' }],
    };

  const problems: CsvProblem[] = [];
  const results: ExternalResult[] = [];
  // A point drawn twice would hide one of two numbers: each label/benchmark/captioner/solver once.
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== header.record.length) {
      problems.push({
        line,
        column: null,
        message: `has ${record.length} fields, the header has ${header.record.length}`,
      });
      continue;
    }
    const result = readRow(record, line, columns, problems);
    if (!result) continue;
    const key = JSON.stringify([result.label, result.benchmark, result.captioner, result.solver]);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        line,
        column: null,
        message: `repeats line ${first} (same label, benchmark, captioner and solver)`,
      });
      continue;
    }
    seen.set(key, line);
    results.push(result);
  }
  return { results, problems };
}

/** The CSV's results, or an INVALID_PARAMS error listing every problem by line and column. */
export function parseExternalResultsCsv(csv: string, fileName = 'the CSV'): ExternalResult[] {
  const { results, problems } = readExternalResultsCsv(csv);
  if (problems.length === 0) return results;
  const shown = problems.slice(0, MESSAGE_PROBLEMS).map(formatCsvProblem);
  const more = problems.length - shown.length;
  throw new ApiError({
    code: 'INVALID_PARAMS',
    message:
      `${fileName} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported.\n` +
      shown.join('\n') +
      (more > 0 ? `\n… and ${more} more` : ''),
    hint: `Fix the listed lines. The header is ${EXTERNAL_CSV_COLUMNS.join(',')}; n, low, high, the parameter columns and solver (empty = direct answer) may be empty.`,
    details: { errors: problems },
  });
}
