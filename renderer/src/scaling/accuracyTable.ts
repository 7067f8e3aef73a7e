import type { Accuracy, StudyCell, StudyDetail } from '../../../main/api/scaling';
import { labelWithParameters } from '../charts/parameters';

/** Which breakdown the table's extra columns show. */
export type Breakdown = 'benchmark' | 'category';

export interface AccuracyRow {
  cell: StudyCell;
  /** "Qwen-VL (7B)" with its size, when known. */
  captioner: string;
  /** "Llama (8B)", or "direct (image)": the captioner answered from the image. */
  solver: string;
  overall: string;
  ci: string;
  n: number;
  macro: string;
  /** One entry per breakdown column, in column order ('—' where the cell has none). */
  breakdown: string[];
  failed: number;
  pending: number;
}

export interface AccuracyTable {
  columns: string[];
  rows: AccuracyRow[];
}

/** 0.625 → "62.5%"; null → "—" (never a made-up 0). */
export function formatAccuracyValue(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** "[55.0, 70.1]" in percent, or "" without a CI. */
export function formatCi(a: Pick<Accuracy, 'low' | 'high'>): string {
  return a.low === null || a.high === null
    ? ''
    : `[${(a.low * 100).toFixed(1)}, ${(a.high * 100).toFixed(1)}]`;
}

/** A cell's breakdown value: "62.5% (5/8)". */
function formatPart(a: Accuracy | undefined): string {
  return a ? `${formatAccuracyValue(a.mean)} (${a.correct}/${a.n})` : '—';
}

/**
 * The per-cell accuracy table: pipeline cells by captioner then solver (smallest first, as on the charts),
 * the direct baseline after each captioner's pipelines.
 */
export function accuracyTable(study: StudyDetail, breakdown: Breakdown): AccuracyTable {
  const columnSet = new Set<string>();
  for (const cell of study.cells)
    for (const key of Object.keys(breakdown === 'benchmark' ? cell.byBenchmark : cell.byCategory))
      columnSet.add(key);
  const columns = [...columnSet].sort((a, b) => a.localeCompare(b));
  const order = (models: StudyDetail['captioners']) => new Map(models.map((m, i) => [m.label, i]));
  const captionerOrder = order(study.captioners);
  const solverOrder = order(study.solvers);
  const sizes = (models: StudyDetail['captioners']) => new Map(models.map((m) => [m.label, m.parameters]));
  const captionerSize = sizes(study.captioners);
  const solverSize = sizes(study.solvers);
  const cells = [...study.cells].sort(
    (a, b) =>
      (captionerOrder.get(a.captioner) ?? 0) - (captionerOrder.get(b.captioner) ?? 0) ||
      (a.solver === null ? 1 : 0) - (b.solver === null ? 1 : 0) ||
      (solverOrder.get(a.solver ?? '') ?? 0) - (solverOrder.get(b.solver ?? '') ?? 0),
  );
  return {
    columns,
    rows: cells.map((cell) => ({
      cell,
      captioner: labelWithParameters(cell.captioner, captionerSize.get(cell.captioner) ?? null),
      solver:
        cell.solver === null
          ? 'direct (image)'
          : labelWithParameters(cell.solver, solverSize.get(cell.solver) ?? null),
      overall: formatAccuracyValue(cell.overall.mean),
      ci: formatCi(cell.overall),
      n: cell.overall.n,
      macro: formatAccuracyValue(cell.macro),
      breakdown: columns.map((c) =>
        formatPart((breakdown === 'benchmark' ? cell.byBenchmark : cell.byCategory)[c]),
      ),
      failed: cell.failed,
      pending: cell.pending,
    })),
  };
}

/** Captioners and solvers without a parameter count: they cannot be placed on a size axis until one is set. */
export function modelsWithoutParameters(
  study: StudyDetail,
): { role: 'captioner' | 'solver'; label: string }[] {
  return [
    ...study.captioners
      .filter((m) => m.parameters === null)
      .map((m) => ({ role: 'captioner' as const, label: m.label })),
    ...study.solvers
      .filter((m) => m.parameters === null)
      .map((m) => ({ role: 'solver' as const, label: m.label })),
  ];
}
