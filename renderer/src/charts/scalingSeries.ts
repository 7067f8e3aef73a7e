import type { ExternalResult, ExternalResultSet, StudyDetail, StudyModel } from '../../../main/api/scaling';
import { cellEstimate, externalMatchesMetric } from './chartMetric';
import { labelWithParameters } from './parameters';
import type { ChartMetric, ChartPoint, ChartSeries, ScalingMode } from './types';

export interface ScalingSeriesInput {
  study: StudyDetail | null;
  external: readonly ExternalResultSet[];
  metric: ChartMetric;
  mode: ScalingMode;
}

export interface ScalingSeries {
  series: ChartSeries[];
  xLabel: string;
  /** Models (and external rows) that have a value but no parameter count: named, never placed. */
  unplaced: string[];
}

type Axis = 'captioner' | 'solver';

const X_LABELS: Record<ScalingMode, string> = {
  perception: 'Captioner parameters (perception)',
  reasoning: 'Solver parameters (reasoning)',
  compare: 'Parameters of the scaled component',
};

/** Smallest first; models without a count last, by name, so the order is stable. */
export function bySize(a: StudyModel, b: StudyModel): number {
  if (a.parameters === null || b.parameters === null)
    return a.parameters === b.parameters ? a.label.localeCompare(b.label) : a.parameters === null ? 1 : -1;
  return a.parameters - b.parameters || a.label.localeCompare(b.label);
}

/** The curves of a scaling chart: study series for the mode, the direct baseline, external overlays. */
export function buildScalingSeries(input: ScalingSeriesInput): ScalingSeries {
  const unplaced = new Set<string>();
  const series = input.study ? studySeries(input.study, input.metric, input.mode, unplaced) : [];
  for (const set of input.external) series.push(...externalSeries(set, input.metric, input.mode, unplaced));
  return {
    series: series.filter((s) => s.points.length > 0),
    xLabel: X_LABELS[input.mode],
    unplaced: [...unplaced],
  };
}

function studySeries(study: StudyDetail, metric: ChartMetric, mode: ScalingMode, unplaced: Set<string>) {
  const captioners = [...study.captioners].sort(bySize);
  const solvers = [...study.solvers].sort(bySize);
  const byLabel = (models: StudyModel[]) => new Map(models.map((m) => [m.label, m]));
  const captionerOf = byLabel(captioners);
  const solverOf = byLabel(solvers);

  /** One point per cell that has a value; a cell whose x model lacks a count is named in the note instead. */
  const pointsFor = (seriesId: string, cells: StudyDetail['cells'], axis: Axis): ChartPoint[] => {
    const points: ChartPoint[] = [];
    for (const cell of cells) {
      const estimate = cellEstimate(cell, metric);
      if (!estimate || estimate.mean === null) continue;
      const model = axis === 'captioner' ? captionerOf.get(cell.captioner) : solverOf.get(cell.solver ?? '');
      if (!model) continue;
      if (model.parameters === null) {
        unplaced.add(`${axis} ${model.label}`);
        continue;
      }
      points.push({
        id: `${seriesId}@${model.label}`,
        x: model.parameters,
        y: estimate.mean,
        low: estimate.low,
        high: estimate.high,
        n: estimate.n,
        label: cell.solver === null ? `${cell.captioner} (direct)` : `${cell.captioner} → ${cell.solver}`,
        cell: { captioner: cell.captioner, solver: cell.solver },
      });
    }
    return points.sort((a, b) => a.x - b.x);
  };

  const pipeline = study.cells.filter((c) => c.kind === 'pipeline' && c.solver !== null);
  const series: ChartSeries[] = [];
  const line = (
    id: string,
    label: string,
    cells: StudyDetail['cells'],
    axis: Axis,
    kind: ChartSeries['kind'],
  ) => series.push({ id, label, kind, dashed: false, connect: true, points: pointsFor(id, cells, axis) });

  if (mode === 'perception')
    for (const s of solvers)
      line(
        `solver:${s.label}`,
        `solver ${labelWithParameters(s.label, s.parameters)}`,
        pipeline.filter((c) => c.solver === s.label),
        'captioner',
        'pipeline',
      );
  else if (mode === 'reasoning')
    for (const c of captioners)
      line(
        `captioner:${c.label}`,
        `captioner ${labelWithParameters(c.label, c.parameters)}`,
        pipeline.filter((cell) => cell.captioner === c.label),
        'solver',
        'pipeline',
      );
  else {
    // The paper's figure: scale one component while the other stays at its smallest (placed) size.
    const smallestSolver = solvers.find((s) => s.parameters !== null) ?? solvers[0];
    const smallestCaptioner = captioners.find((c) => c.parameters !== null) ?? captioners[0];
    if (smallestSolver)
      line(
        'perception-scaled',
        `perception scaled (solver ${labelWithParameters(smallestSolver.label, smallestSolver.parameters)})`,
        pipeline.filter((c) => c.solver === smallestSolver.label),
        'captioner',
        'pipeline',
      );
    if (smallestCaptioner)
      line(
        'reasoning-scaled',
        `reasoning scaled (captioner ${labelWithParameters(smallestCaptioner.label, smallestCaptioner.parameters)})`,
        pipeline.filter((c) => c.captioner === smallestCaptioner.label),
        'solver',
        'pipeline',
      );
  }
  line(
    'direct',
    'direct (image, no solver)',
    study.cells.filter((c) => c.kind === 'direct'),
    'captioner',
    'direct',
  );
  return series;
}

/**
 * One dashed series per label of an external set. Its x is the component that varies along it (the
 * captioner for direct rows); perception and reasoning modes show only the series scaled along their axis.
 */
function externalSeries(
  set: ExternalResultSet,
  metric: ChartMetric,
  mode: ScalingMode,
  unplaced: Set<string>,
) {
  const groups = new Map<string, ExternalResult[]>();
  for (const r of set.results) {
    if (!externalMatchesMetric(r.benchmark, metric)) continue;
    groups.set(r.label, [...(groups.get(r.label) ?? []), r]);
  }
  const series: ChartSeries[] = [];
  for (const [label, rows] of groups) {
    const axis = externalAxis(rows, mode);
    if ((mode === 'perception' && axis !== 'captioner') || (mode === 'reasoning' && axis !== 'solver'))
      continue;
    const id = `external:${set.id}:${label}`;
    const points: ChartPoint[] = [];
    rows.forEach((r, index) => {
      const x = axis === 'captioner' ? r.captionerParams : r.solverParams;
      const model = axis === 'captioner' ? r.captioner : (r.solver ?? r.captioner);
      if (x === null) {
        unplaced.add(`${set.name}: ${label}, ${axis} ${model}`);
        return;
      }
      points.push({
        id: `${id}#${index}`,
        x,
        y: r.accuracy,
        low: r.low,
        high: r.high,
        n: r.n,
        label:
          r.solver === null
            ? `${r.captioner} (direct), ${r.benchmark}`
            : `${r.captioner} → ${r.solver}, ${r.benchmark}`,
      });
    });
    points.sort((a, b) => a.x - b.x);
    series.push({
      id,
      // The series' own label first: a long set name is what a narrow legend cuts, not the model.
      label: `${label} (${set.name})`,
      kind: 'external',
      dashed: true,
      connect: true,
      points,
    });
  }
  return series;
}

function externalAxis(rows: ExternalResult[], mode: ScalingMode): Axis {
  if (rows.every((r) => r.solver === null)) return 'captioner';
  const distinct = (values: (number | null)[]) => new Set(values.filter((v) => v !== null)).size;
  if (distinct(rows.map((r) => r.captionerParams)) > 1) return 'captioner';
  if (distinct(rows.map((r) => r.solverParams)) > 1) return 'solver';
  return mode === 'reasoning' ? 'solver' : 'captioner';
}
