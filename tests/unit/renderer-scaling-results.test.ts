import { describe, expect, it } from 'vitest';
import type { EvalRunConfig } from '../../main/api/eval';
import type { JobSnapshot } from '../../main/api/jobs';
import type { ModelFile } from '../../main/api/models';
import { scalingMethods } from '../../main/api/scaling';
import type { Accuracy, ExternalResultSet, StudyCell, StudyDetail } from '../../main/api/scaling';
import { accuracyTable, formatCi, modelsWithoutParameters } from '../../renderer/src/scaling/accuracyTable';
import {
  cellItemsParams,
  cellPageCount,
  cellTitle,
  choiceLetter,
  initialCellItemsQuery,
  sameCell,
  withCellFilter,
} from '../../renderer/src/scaling/cellItemsQuery';
import { availableMetric } from '../../renderer/src/scaling/ChartControls';
import {
  csvProblems,
  formatCsvProblem,
  importErrorHeadline,
  setNameFromFile,
} from '../../renderer/src/scaling/externalImport';
import { shownSets } from '../../renderer/src/scaling/externalSetsControl';
import { subjectSize } from '../../renderer/src/scaling/runSubjectSize';
import { statusAsJobState, studyProgressFacts } from '../../renderer/src/scaling/studyStatus';

const acc = (
  correct: number,
  n: number,
  low: number | null = null,
  high: number | null = null,
): Accuracy => ({
  mean: n === 0 ? null : correct / n,
  low,
  high,
  n,
  correct,
});

const cell = (captioner: string, solver: string | null, patch: Partial<StudyCell> = {}): StudyCell => ({
  captioner,
  solver,
  kind: solver === null ? 'direct' : 'pipeline',
  overall: acc(3, 4, 0.25, 1),
  macro: 0.75,
  byBenchmark: { MathVista: acc(1, 2), ChartQA: acc(2, 2) },
  byCategory: { geometry: acc(3, 4) },
  pending: 0,
  failed: 0,
  ...patch,
});

const study: StudyDetail = {
  id: 's1',
  name: 'grid',
  datasetId: 1,
  datasetName: 'sample-vqa-mini',
  createdAt: 0,
  jobId: 'j1',
  status: 'running',
  variant: 'caption',
  captioners: [
    {
      label: 'small-vl',
      spec: { kind: 'endpoint', endpoint: 'a' },
      parameters: 2e9,
      parametersSource: 'user',
    },
    {
      label: 'big-vl',
      spec: { kind: 'endpoint', endpoint: 'b' },
      parameters: null,
      parametersSource: 'none',
    },
  ],
  solvers: [
    { label: 'llm', spec: { kind: 'local', model: 'llm' }, parameters: 8e9, parametersSource: 'gguf' },
  ],
  items: 4,
  done: 10,
  total: 12,
  settings: {
    variant: 'caption',
    direct: true,
    maxTokens: 64,
    temperature: 0,
    seed: 0,
    concurrency: 1,
    numericTolerance: 0.01,
  },
  // Given out of order: the table sorts pipelines by captioner, the direct baseline after each captioner's pipelines.
  cells: [
    cell('big-vl', null, { byBenchmark: {}, macro: null, overall: acc(1, 4), failed: 1, pending: 2 }),
    cell('small-vl', null),
    cell('big-vl', 'llm'),
    cell('small-vl', 'llm'),
  ],
  captions: { computed: 8, cached: 0 },
};

const job = (patch: Partial<JobSnapshot>): JobSnapshot => ({
  id: 'j1',
  type: 'scaling.study',
  title: 'grid',
  state: 'running',
  total: 12,
  done: 10,
  failed: 1,
  ratePerSec: 2,
  etaSec: 65,
  error: null,
  units: null,
  createdAt: 0,
  startedAt: 0,
  finishedAt: null,
  params: {},
  ...patch,
});

describe('accuracy table', () => {
  it('orders cells as the charts do and formats accuracy, CI and the breakdown', () => {
    const table = accuracyTable(study, 'benchmark');
    expect(table.columns).toEqual(['ChartQA', 'MathVista']);
    expect(table.rows.map((r) => [r.cell.captioner, r.cell.solver])).toEqual([
      ['small-vl', 'llm'],
      ['small-vl', null],
      ['big-vl', 'llm'],
      ['big-vl', null],
    ]);
    const first = table.rows[0]!;
    expect(first).toMatchObject({
      captioner: 'small-vl (2B)',
      solver: 'llm (8B)',
      overall: '75.0%',
      ci: '[25.0, 100.0]',
      n: 4,
      macro: '75.0%',
    });
    expect(first.breakdown).toEqual(['100.0% (2/2)', '50.0% (1/2)']);
    const bigDirect = table.rows[3]!;
    expect(bigDirect).toMatchObject({
      captioner: 'big-vl',
      solver: 'direct (image)',
      overall: '25.0%',
      ci: '',
      macro: '—',
      failed: 1,
      pending: 2,
    });
    expect(bigDirect.breakdown).toEqual(['—', '—']);
    expect(accuracyTable(study, 'category').columns).toEqual(['geometry']);
  });

  it('names the models without a size and formats a CI only when it has both ends', () => {
    expect(modelsWithoutParameters(study)).toEqual([{ role: 'captioner', label: 'big-vl' }]);
    expect(formatCi({ low: 0.1234, high: null })).toBe('');
    expect(formatCi({ low: 0.1234, high: 0.5 })).toBe('[12.3, 50.0]');
  });
});

describe('cell items query', () => {
  it('builds scaling.items params the contract accepts, filters only when set', () => {
    const key = { captioner: 'small-vl', solver: 'llm' };
    expect(cellItemsParams('s1', key, initialCellItemsQuery)).toEqual({
      id: 's1',
      cell: key,
      offset: 0,
      limit: 20,
    });
    const wrongGeometry = {
      ...withCellFilter(initialCellItemsQuery, { correctness: 'wrong', category: 'geometry' }),
      page: 2,
    };
    const params = cellItemsParams('s1', key, wrongGeometry);
    expect(params).toEqual({
      id: 's1',
      cell: key,
      correct: false,
      category: 'geometry',
      offset: 40,
      limit: 20,
    });
    expect(scalingMethods['scaling.items'].params.parse(params)).toEqual(params);
    // A filter change goes back to the first page.
    expect(withCellFilter(wrongGeometry, { correctness: 'correct' }).page).toBe(0);
  });

  it('pages, titles and compares cells', () => {
    expect([0, 1, 20, 21].map(cellPageCount)).toEqual([1, 1, 1, 2]);
    expect(cellTitle({ captioner: 'a', solver: null })).toBe('a (direct)');
    expect(cellTitle({ captioner: 'a', solver: 'b' })).toBe('a → b');
    expect(sameCell({ captioner: 'a', solver: null }, { captioner: 'a', solver: null })).toBe(true);
    expect(sameCell({ captioner: 'a', solver: null }, { captioner: 'a', solver: 'b' })).toBe(false);
    expect(sameCell(null, null)).toBe(false);
    expect([0, 3, 25, 26].map(choiceLetter)).toEqual(['A', 'D', 'Z', '27']);
  });
});

describe('study progress', () => {
  it('takes counts from the study and rate and ETA from the live job', () => {
    expect(studyProgressFacts(study, job({}))).toEqual({
      state: 'running',
      done: 10,
      failed: 1,
      total: 12,
      rate: '2.00/s',
      eta: '1m 05s',
      active: true,
    });
    // Answers reported as the job's units: their rate is the one a person counts.
    const units = { label: 'answers', done: 10, total: 12, ratePerSec: 0.5 };
    expect(studyProgressFacts(study, job({ units })).rate).toBe('30/min');
  });

  it('shows no rate once the study stopped, and maps completed to the done badge', () => {
    const facts = studyProgressFacts({ ...study, status: 'completed' }, null);
    expect(facts).toMatchObject({ state: 'done', rate: '—', eta: '—', active: false, failed: 0 });
    expect(statusAsJobState('paused')).toBe('paused');
  });
});

describe('external sets', () => {
  const set = (id: string): ExternalResultSet => ({ id, name: id, source: '', results: [], createdAt: 0 });

  it('shows every set the person did not hide, so new sets appear at once', () => {
    expect([...shownSets([set('demo'), set('mine'), set('new')], new Set(['mine']))]).toEqual([
      'demo',
      'new',
    ]);
  });

  it('reads line and column problems from an import error’s details', () => {
    const details = {
      errors: [
        { line: 3, column: 'accuracy', message: 'not a number: "abc"' },
        { line: 5, message: 'too few columns' },
        'header: missing column solver_params',
        { nonsense: true },
      ],
    };
    expect(csvProblems(details).map(formatCsvProblem)).toEqual([
      'line 3, column accuracy: not a number: "abc"',
      'line 5: too few columns',
      'header: missing column solver_params',
    ]);
    expect(csvProblems([{ line: 2, column: 4, message: 'x' }])).toEqual([
      { line: 2, column: '4', message: 'x' },
    ]);
    expect(csvProblems(undefined)).toEqual([]);
    expect(setNameFromFile('paper-table-3.csv')).toBe('paper-table-3');
    // The message repeats the first problems; with the full list shown, only its headline stays.
    const message = 'bad.csv has 1 problem; nothing was imported.\nline 2, column accuracy: not a number';
    expect(importErrorHeadline(message, csvProblems(details))).toBe(
      'bad.csv has 1 problem; nothing was imported.',
    );
    expect(importErrorHeadline(message, [])).toBe(message);
    expect(setNameFromFile('.csv')).toBe('External results');
  });

  it('falls back to overall accuracy when the chosen metric is not offered', () => {
    const options = [
      { value: 'overall' as const, label: 'Accuracy' },
      { value: 'benchmark:ChartQA' as const, label: 'ChartQA' },
    ];
    expect(availableMetric('benchmark:ChartQA', options)).toBe('benchmark:ChartQA');
    expect(availableMetric('category:geometry', options)).toBe('overall');
  });
});

describe('subject size for the STEM2Code vs size chart', () => {
  const files = [
    { name: 'qwen', path: '/m/qwen2-7b.gguf', parameterCount: 7.6e9 },
    { name: '/m/tiny.gguf', path: '/m/tiny.gguf', parameterCount: null },
  ] as ModelFile[];
  const local = (model: string): EvalRunConfig['subject'] => ({ kind: 'local', model });

  it('finds a local model as the engine resolves it and reads its GGUF count', () => {
    expect(subjectSize(local('qwen'), files)).toEqual({ parameters: 7.6e9, missing: null });
    expect(subjectSize(local('/m/qwen2-7b.gguf'), files).parameters).toBe(7.6e9);
    expect(subjectSize(local('qwen2-7b.gguf'), files).parameters).toBe(7.6e9);
    expect(subjectSize(local('qwen2-7b'), files).parameters).toBe(7.6e9);
  });

  it('lists why a run has no size', () => {
    expect(subjectSize(local('tiny'), files).missing).toBe('tiny: the GGUF does not give a count');
    expect(subjectSize(local('absent'), files).missing).toBe('absent: not in the models folders');
    expect(subjectSize({ kind: 'endpoint', endpoint: 'vllm' }, files)).toEqual({
      parameters: null,
      missing: 'endpoint vllm: size unknown',
    });
    expect(
      subjectSize({ kind: 'predictions', path: '/p.jsonl', format: 'ours' }, files).parameters,
    ).toBeNull();
  });
});
