import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/errors';
import {
  formatCsvProblem,
  parseAccuracy,
  parseExternalResultsCsv,
  readParameterCount,
  readExternalResultsCsv,
} from '../../main/scaling/external/externalResultsCsv';
import { ExternalResultStore } from '../../main/scaling/external/externalResultStore';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';

const HEADER = 'label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high';

/** The problems of a CSV as the user reads them ("line 2, column accuracy: …"). */
const problemsOf = (csv: string) => readExternalResultsCsv(csv).problems.map(formatCsvProblem);

describe('parameter counts and accuracies', () => {
  it.each([
    ['4B', 4e9],
    ['0.5B', 5e8],
    ['120M', 1.2e8],
    ['7e9', 7e9],
    ['8000000000', 8e9],
    ['32b', 32e9],
    ['1.5 T', 1.5e12],
    ['', null],
  ])('reads %j as %j parameters', (text, expected) => {
    expect(readParameterCount(text)).toBe(expected);
  });

  it.each(['four', '4X', '0B', '-2B', 'B', '1e'])('refuses %j as a parameter count', (text) => {
    expect(() => readParameterCount(text)).toThrow(`"${text}"`);
  });

  it.each([
    ['0.623', 0.623],
    ['62.3', 0.623],
    ['62.3%', 0.623],
    ['1', 1],
    ['100', 1],
    ['0', 0],
    ['.5', 0.5],
  ])('reads the accuracy %j as %j', (text, expected) => {
    expect(parseAccuracy(text)).toBe(expected);
  });

  it.each(['abc', '101', '-0.1', '150%', '6 2'])('refuses the accuracy %j', (text) => {
    expect(() => parseAccuracy(text)).toThrow(`"${text}"`);
  });
});

describe('external results CSV', () => {
  it('reads a good file: any column order and case, percentages, sizes, empty solver = direct', () => {
    const csv = [
      'Accuracy,LABEL,benchmark,Captioner,captioner_params,solver,solver_params,n,low,high',
      '41.5,perception scaled,MathVision,VL-4B,4B,LM-4B,4B,3040,40.0,43.0',
      '0.52,perception scaled,MathVision,VL-8B,8e9,LM-4B,4B,,,',
      '"58.25%",direct,MathVision,VL-8B,8B,,,,,',
    ].join('\n');
    expect(parseExternalResultsCsv(csv)).toEqual([
      {
        label: 'perception scaled',
        benchmark: 'MathVision',
        captioner: 'VL-4B',
        captionerParams: 4e9,
        solver: 'LM-4B',
        solverParams: 4e9,
        accuracy: 0.415,
        n: 3040,
        low: 0.4,
        high: 0.43,
      },
      {
        label: 'perception scaled',
        benchmark: 'MathVision',
        captioner: 'VL-8B',
        captionerParams: 8e9,
        solver: 'LM-4B',
        solverParams: 4e9,
        accuracy: 0.52,
        n: null,
        low: null,
        high: null,
      },
      {
        label: 'direct',
        benchmark: 'MathVision',
        captioner: 'VL-8B',
        captionerParams: 8e9,
        solver: null,
        solverParams: null,
        accuracy: 0.5825,
        n: null,
        low: null,
        high: null,
      },
    ]);
  });

  it('leaves the optional columns out, reads a BOM, CRLF line ends and blank lines', () => {
    const csv = '\ufefflabel,benchmark,captioner,solver,accuracy\r\n\r\nrun,overall,cap,sol,0.25\r\n';
    expect(parseExternalResultsCsv(csv)).toEqual([
      {
        label: 'run',
        benchmark: 'overall',
        captioner: 'cap',
        captionerParams: null,
        solver: 'sol',
        solverParams: null,
        accuracy: 0.25,
        n: null,
        low: null,
        high: null,
      },
    ]);
  });

  it.each([
    [
      'a non-numeric accuracy',
      `${HEADER}\nlab,overall,cap,2e9,solver,7e9,abc,,,`,
      ['line 2, column accuracy: "abc" is not a number'],
    ],
    [
      'an accuracy above 100',
      `${HEADER}\nlab,overall,cap,2e9,solver,7e9,0.4,,,\nlab,overall,cap2,2e9,solver,7e9,123,,,`,
      ['line 3, column accuracy: "123" is not an accuracy (0..1, or a percentage up to 100)'],
    ],
    [
      'a bad parameter count and a bad n on the same line (both named)',
      `${HEADER}\nlab,overall,cap,4 billion,solver,7e9,0.4,12.5,,`,
      [
        'line 2, column captioner_params: "4 billion" is not a parameter count (a number like 7e9, or 4B, 0.5B, 120M)',
        'line 2, column n: "12.5" is not a count of items (a whole number)',
      ],
    ],
    [
      'empty required cells',
      `${HEADER}\n,overall,,4B,solver,7e9,,,,`,
      [
        'line 2, column label: is empty',
        'line 2, column captioner: is empty',
        'line 2, column accuracy: is empty',
      ],
    ],
    [
      'solver parameters without a solver',
      `${HEADER}\nlab,overall,cap,4B,,7B,0.4,,,`,
      ['line 2, column solver_params: is set but the solver is empty (an empty solver is a direct answer)'],
    ],
    [
      'a CI bound on the other scale than the accuracy',
      `${HEADER}\nlab,overall,cap,4B,sol,7B,62.3,,0.8,70`,
      ['line 2, column low: "0.8" is above the accuracy'],
    ],
    [
      'a row with too few fields',
      `${HEADER}\nlab,overall,cap,4B,sol,7B,0.4`,
      ['line 2: has 7 fields, the header has 10'],
    ],
    [
      'the same point twice',
      `${HEADER}\nlab,overall,cap,4B,sol,7B,0.4,,,\nlab,overall,cap,4B,sol,7B,0.5,,,`,
      ['line 3: repeats line 2 (same label, benchmark, captioner and solver)'],
    ],
    [
      'an unknown column and a missing one',
      'label,benchmark,captioner,solver,acuracy\nlab,overall,cap,sol,0.4',
      [
        'line 1, column acuracy: unknown column "acuracy" (expected label, benchmark, captioner, captioner_params, solver, solver_params, accuracy, n, low, high)',
        'line 1, column accuracy: the header has no "accuracy" column',
      ],
    ],
    ['a header alone', HEADER, ['the CSV has a header but no result rows']],
    ['an empty file', '', [expect.stringContaining('the CSV is empty')]],
  ])('names %s by line and column', (_, csv, expected) => {
    expect(problemsOf(csv)).toEqual(expected);
  });

  it('collects every bad row of a file, not just the first', () => {
    const csv = [
      HEADER,
      'lab,overall,cap1,1B,sol,7B,0.3,,,',
      'lab,overall,cap2,2B,sol,7B,x,,,',
      'lab,overall,cap3,3B,sol,7B,0.5,,,',
      'lab,overall,cap4,oops,sol,7B,0.6,,,',
    ].join('\n');
    expect(problemsOf(csv)).toEqual([
      'line 3, column accuracy: "x" is not a number',
      'line 5, column captioner_params: "oops" is not a parameter count (a number like 7e9, or 4B, 0.5B, 120M)',
    ]);
  });

  it('names the line of an unclosed quote', () => {
    const problems = readExternalResultsCsv(
      `${HEADER}\nlab,overall,cap,4B,sol,7B,0.4,,,\n"lab,overall`,
    ).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(3);
    expect(problems[0]!.message).toMatch(/cannot be read/);
  });

  it('throws INVALID_PARAMS whose message and details list the problems', () => {
    const csv = `${HEADER}\nlab,overall,cap,2e9,solver,7e9,abc,,,\nlab,overall,cap2,2e9,solver,7e9,,,,`;
    let thrown: unknown;
    try {
      parseExternalResultsCsv(csv, '"lab-runs"');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const error = thrown as ApiError;
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toBe(
      '"lab-runs" has 2 problems; nothing was imported.\n' +
        'line 2, column accuracy: "abc" is not a number\n' +
        'line 3, column accuracy: is empty',
    );
    expect(error.details).toEqual({
      errors: [
        { line: 2, column: 'accuracy', message: '"abc" is not a number' },
        { line: 3, column: 'accuracy', message: 'is empty' },
      ],
    });
  });
});

describe('external result store (real SQLite, migration v8 table)', () => {
  let dir: { path: string; cleanup: () => void } | undefined;
  let store: WorkbenchStore | undefined;
  afterEach(() => {
    store?.close();
    dir?.cleanup();
  });

  it('imports, lists oldest first, keeps nothing of a bad file, and removes', () => {
    dir = makeTempDir('codepercept-external-');
    store = openWorkbenchStore(dir.path, 'external test');
    let clock = 1000;
    const external = new ExternalResultStore(store.db, () => clock++);
    const first = external.import({
      name: 'paper',
      source: 'Table 1',
      csv: `${HEADER}\np,MathVision,VL-4B,4B,LM-4B,4B,41.5,,,`,
    });
    const second = external.import({
      name: 'lab',
      source: '',
      csv: `${HEADER}\nl,overall,a,1B,b,2B,0.5,10,0.4,0.6\nl,overall,a2,2B,b,2B,0.6,10,,`,
    });
    expect(() =>
      external.import({
        name: 'bad',
        source: '',
        csv: `${HEADER}\nl,overall,a,1B,b,2B,0.5,,,\nl,overall,a,x,b,2B,0.5,,,`,
      }),
    ).toThrow(ApiError);
    const listed = external.list();
    expect(listed.map((s) => [s.name, s.source, s.createdAt, s.results.length])).toEqual([
      ['paper', 'Table 1', 1000, 1],
      ['lab', '', 1001, 2],
    ]);
    expect(listed[0]).toEqual(first);
    expect(listed[1]!.results[0]!.low).toBe(0.4);
    const count = store.db.prepare('SELECT COUNT(*) AS n FROM scaling_external_sets').get() as { n: number };
    expect(count.n).toBe(2);
    expect(external.remove(second.id)).toBe(true);
    expect(external.remove(second.id)).toBe(false);
    expect(external.list().map((s) => s.id)).toEqual([first.id]);
  });
});
