import type { Trace, TraceAxes, TraceAxis } from '../../api/trace';
import { bestMatching, f1Of, multisetMatches } from './f1';
import type { F1 } from './f1';
import { dataAxes } from './traceWalk';

type Box = readonly (number | null)[];

function boxIoU(a: Box | null, b: Box | null): number {
  if (!a || !b || a.some((v) => v === null) || b.some((v) => v === null)) return 0;
  const [ax0, ay0, ax1, ay1] = a as number[];
  const [bx0, by0, bx1, by1] = b as number[];
  const w = Math.min(ax1!, bx1!) - Math.max(ax0!, bx0!);
  const h = Math.min(ay1!, by1!) - Math.max(ay0!, by0!);
  const inter = w > 0 && h > 0 ? w * h : 0;
  const union = (ax1! - ax0!) * (ay1! - ay0!) + (bx1! - bx0!) * (by1! - by0!) - inter;
  return union > 0 ? inter / union : 0;
}

/** Axes matched one to one by the overlap of their boxes (figure fraction): the basis of the layout metrics. */
export function matchAxes(generated: Trace, reference: Trace): { g: TraceAxes; r: TraceAxes; iou: number }[] {
  const g = dataAxes(generated);
  const r = dataAxes(reference);
  return bestMatching(g, r, (a, b) => boxIoU(a.bboxFrac, b.bboxFrac)).map((p) => ({
    g: g[p.a]!,
    r: r[p.b]!,
    iou: p.similarity,
  }));
}

function slotKey(a: TraceAxes): string {
  const s = a.gridSpec;
  if (!s) return `free:${a.is3d ? '3d' : a.isPolar ? 'polar' : 'xy'}`;
  return `${s.nrows}x${s.ncols}:${s.rowStart}-${s.rowStop}:${s.colStart}-${s.colStop}`;
}

/** Layout F1 over subplot grid positions (nrows × ncols and the slot each axes occupies). */
export function layoutF1(generated: Trace, reference: Trace): F1 {
  const g = dataAxes(generated).map(slotKey);
  const r = dataAxes(reference).map(slotKey);
  return f1Of(multisetMatches(g, r), g.length, r.length);
}

/**
 * Axes-box IoU: the mean IoU of matched axes boxes, over the larger axes count (an extra or a missing subplot
 * counts as 0). 1 when neither figure has axes.
 */
export function axesBoxIoU(generated: Trace, reference: Trace): number {
  const n = Math.max(dataAxes(generated).length, dataAxes(reference).length);
  if (n === 0) return 1;
  return matchAxes(generated, reference).reduce((s, m) => s + m.iou, 0) / n;
}

function axisScore(g: TraceAxis | null, r: TraceAxis | null, limitTolerance: number): number | null {
  if (!r) return null;
  if (!g) return 0;
  const scale = g.scale === r.scale ? 1 : 0;
  const [r0, r1] = r.lim;
  const [g0, g1] = g.lim;
  let limits = 0;
  let ticks = 0;
  if (r0 !== null && r1 !== null && g0 !== null && g1 !== null) {
    const range = Math.abs(r1 - r0) || 1;
    limits =
      Math.abs(g0 - r0) <= limitTolerance * range && Math.abs(g1 - r1) <= limitTolerance * range ? 1 : 0;
    const rt = r.ticks.filter((t): t is number => t !== null);
    const gt = g.ticks.filter((t): t is number => t !== null);
    const used = new Array<boolean>(rt.length).fill(false);
    let matched = 0;
    for (const t of gt) {
      const at = rt.findIndex((u, i) => !used[i] && Math.abs(u - t) <= 1e-6 * range);
      if (at !== -1) {
        used[at] = true;
        matched++;
      }
    }
    ticks = f1Of(matched, gt.length, rt.length).f1;
  }
  return (scale + limits + ticks) / 3;
}

/**
 * Axis fidelity: per reference axis (x, y, z of every data axes), the mean of scale type equal, limits within
 * 2 % of the range at both ends, and tick-value F1; averaged over reference axes, with an unmatched
 * reference axes scoring 0. 1 when the reference has no axes and the generated figure has none either.
 */
export function axisFidelity(generated: Trace, reference: Trace, limitTolerance = 0.02): number {
  const refAxes = dataAxes(reference);
  if (refAxes.length === 0) return dataAxes(generated).length === 0 ? 1 : 0;
  const matched = new Map(matchAxes(generated, reference).map((m) => [m.r, m.g]));
  const scores: number[] = [];
  for (const r of refAxes) {
    const g = matched.get(r) ?? null;
    for (const key of ['xaxis', 'yaxis', 'zaxis'] as const) {
      const s = axisScore(g?.[key] ?? null, r[key], limitTolerance);
      if (s !== null) scores.push(s);
    }
  }
  return scores.length === 0 ? 1 : scores.reduce((a, b) => a + b, 0) / scores.length;
}
