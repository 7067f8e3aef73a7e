import type { Accuracy, ExternalResultSet, StudyCell, StudyDetail, StudyModel } from '../../main/api/scaling';
import type { SizeScorePoint } from '../../renderer/src/charts';

/**
 * A known data set for the chart tests: a 3 × 3 study (captioners 1B/4B/8B, solvers 0.5B/7B/32B) with a
 * direct baseline, one external set (the paper's two curves), and three eval runs for the size–score chart.
 * Accuracies are chosen by hand; every CI is mean ± 0.05 over n = 100 items.
 */

const model = (label: string, parameters: number | null): StudyModel => ({
  label,
  spec: { kind: 'endpoint', endpoint: label },
  parameters,
  parametersSource: parameters === null ? 'none' : 'user',
});

export const accuracy = (mean: number, n = 100): Accuracy => ({
  mean,
  low: Math.round((mean - 0.05) * 1000) / 1000,
  high: Math.round((mean + 0.05) * 1000) / 1000,
  n,
  correct: Math.round(mean * n),
});

/** Overall accuracy by captioner (rows) and solver (columns), smallest first. */
export const GRID: Record<string, Record<string, number>> = {
  'cap-1b': { 'sol-0.5b': 0.4, 'sol-7b': 0.52, 'sol-32b': 0.58 },
  'cap-4b': { 'sol-0.5b': 0.48, 'sol-7b': 0.61, 'sol-32b': 0.68 },
  'cap-8b': { 'sol-0.5b': 0.55, 'sol-7b': 0.66, 'sol-32b': 0.74 },
};
export const DIRECT: Record<string, number> = { 'cap-1b': 0.35, 'cap-4b': 0.5, 'cap-8b': 0.6 };

function cell(captioner: string, solver: string | null, mean: number): StudyCell {
  return {
    captioner,
    solver,
    kind: solver === null ? 'direct' : 'pipeline',
    overall: accuracy(mean),
    // Two benchmarks of 50 items each, one above and one below the overall accuracy.
    macro: mean,
    byBenchmark: { MathVista: accuracy(mean - 0.04, 50), ChartQA: accuracy(mean + 0.04, 50) },
    byCategory: { geometry: accuracy(mean - 0.02, 60), chart: accuracy(mean + 0.03, 40) },
    pending: 0,
    failed: 0,
  };
}

export function fixtureStudy(overrides: Partial<Record<string, number | null>> = {}): StudyDetail {
  const size = (label: string, value: number) => (label in overrides ? (overrides[label] ?? null) : value);
  const cells: StudyCell[] = [];
  for (const [captioner, row] of Object.entries(GRID)) {
    for (const [solver, mean] of Object.entries(row)) cells.push(cell(captioner, solver, mean));
    cells.push(cell(captioner, null, DIRECT[captioner]!));
  }
  return {
    id: 'study-fixture-0001',
    name: 'Fixture study',
    datasetId: 1,
    datasetName: 'fixture-vqa',
    createdAt: 0,
    jobId: null,
    status: 'completed',
    variant: 'caption',
    // Out of size order on purpose: the charts must sort by parameters.
    captioners: [
      model('cap-4b', size('cap-4b', 4e9)),
      model('cap-1b', size('cap-1b', 1e9)),
      model('cap-8b', size('cap-8b', 8e9)),
    ],
    solvers: [
      model('sol-32b', size('sol-32b', 32e9)),
      model('sol-0.5b', size('sol-0.5b', 0.5e9)),
      model('sol-7b', size('sol-7b', 7e9)),
    ],
    items: 100,
    done: 1200,
    total: 1200,
    settings: {
      variant: 'caption',
      direct: true,
      maxTokens: 1024,
      temperature: 0,
      seed: 0,
      concurrency: 1,
      numericTolerance: 0.01,
    },
    cells,
    captions: { computed: 3, cached: 0 },
  };
}

const row = (label: string, captioner: string, cp: number, solver: string, sp: number, acc: number) => ({
  label,
  benchmark: 'Avg',
  captioner,
  captionerParams: cp,
  solver,
  solverParams: sp,
  accuracy: acc,
  n: null,
  low: null,
  high: null,
});

export const fixtureExternal: ExternalResultSet = {
  id: 'ext-paper',
  name: 'Paper',
  source: 'CodePercept, Fig. 1 (demo numbers)',
  createdAt: 0,
  results: [
    row('perception scaled', 'P-1B', 1e9, 'R-0.5B', 0.5e9, 0.42),
    row('perception scaled', 'P-4B', 4e9, 'R-0.5B', 0.5e9, 0.5),
    row('perception scaled', 'P-8B', 8e9, 'R-0.5B', 0.5e9, 0.57),
    row('reasoning scaled', 'P-1B', 1e9, 'R-0.5B', 0.5e9, 0.42),
    row('reasoning scaled', 'P-1B', 1e9, 'R-7B', 7e9, 0.49),
    row('reasoning scaled', 'P-1B', 1e9, 'R-32B', 32e9, 0.53),
  ],
};

const estimate = (mean: number | null, half: number, n: number) => ({
  mean,
  low: mean === null ? null : mean - half,
  high: mean === null ? null : mean + half,
  n,
});

export const fixtureSizeScorePoints: SizeScorePoint[] = [
  {
    runId: 'run-a',
    label: 'tiny-vl 2B',
    parameters: 2e9,
    values: { final: estimate(40.1, 4.9, 50), execRate: estimate(78, 6, 50) },
  },
  {
    runId: 'run-b',
    label: 'mid-vl 7B',
    parameters: 7e9,
    values: { final: estimate(52.3, 4.1, 50), execRate: estimate(88, 5, 50) },
  },
  {
    runId: 'run-c',
    label: 'api model',
    parameters: null,
    values: { final: estimate(61, 3, 50), execRate: estimate(95, 3, 50) },
  },
];
