import type { Trace, TraceAxes, TraceAxis, TraceLine } from '../../api/trace';
import { bestMatching, f1Of } from './f1';
import type { F1 } from './f1';
import { owners } from './traceWalk';

type Pt = [number, number];

/** Everything in figure fraction (origin bottom-left), so figures of different pixel sizes compare. */
interface Frame {
  width: number;
  height: number;
}

function frameOf(trace: Trace): Frame {
  return { width: trace.figure.widthPx ?? 1, height: trace.figure.heightPx ?? 1 };
}

function axisToFraction(axis: TraceAxis | null, v: number): number | null {
  if (!axis) return null;
  const [lo, hi] = axis.lim;
  if (lo === null || hi === null || lo === hi) return null;
  if (axis.scale === 'log') {
    if (v <= 0 || lo <= 0 || hi <= 0) return null;
    return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  }
  if (axis.scale !== 'linear') return null;
  return (v - lo) / (hi - lo);
}

/** A data point of a 2-D axes in figure fraction; null where the scale or limits do not allow it. */
function dataToFigure(axes: TraceAxes, x: number, y: number): Pt | null {
  const box = axes.bboxFrac;
  if (!box || box.some((v) => v === null) || axes.is3d || axes.isPolar) return null;
  const [x0, y0, x1, y1] = box as number[];
  const fx = axisToFraction(axes.xaxis, x);
  const fy = axisToFraction(axes.yaxis, y);
  if (fx === null || fy === null) return null;
  return [x0! + fx * (x1! - x0!), y0! + fy * (y1! - y0!)];
}

function linePoints(line: TraceLine, axes: TraceAxes | null): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < line.x.length; i++) {
    const x = line.x[i];
    const y = line.y[i];
    if (x === null || y === null || x === undefined || y === undefined) continue;
    if (line.coords === 'figure') out.push([x, y]);
    else if (axes) {
      const p = dataToFigure(axes, x, y);
      if (p) out.push(p);
    }
  }
  return out;
}

/** Pixel point (origin top-left) to figure fraction. */
const pxToFigure = (frame: Frame, x: number | null, y: number | null): Pt | null =>
  x === null || y === null ? null : [x / frame.width, 1 - y / frame.height];

type Primitive =
  | { kind: 'circle'; center: Pt; radius: number }
  | { kind: 'polygon'; vertices: Pt[] }
  | { kind: 'segment'; a: Pt; b: Pt };

/** Distance in units of the figure diagonal, measured in the reference's pixel frame. */
function distance(frame: Frame, p: Pt, q: Pt): number {
  const dx = (p[0] - q[0]) * frame.width;
  const dy = (p[1] - q[1]) * frame.height;
  return Math.hypot(dx, dy) / Math.hypot(frame.width, frame.height);
}

export function primitives(trace: Trace): Primitive[] {
  const frame = frameOf(trace);
  const out: Primitive[] = [];
  for (const owner of owners(trace)) {
    const axes = 'index' in owner ? owner : null;
    if (axes?.isColorbar) continue;
    for (const patch of owner.patches) {
      if (patch.kind === 'circle' || (patch.kind === 'ellipse' && patch.px.width === patch.px.height)) {
        const c = pxToFigure(frame, patch.px.center[0], patch.px.center[1]);
        const w = patch.px.width;
        if (c && w !== null)
          out.push({ kind: 'circle', center: c, radius: w / 2 / Math.hypot(frame.width, frame.height) });
      } else if (patch.kind === 'polygon') {
        const vertices = patch.px.vertices
          .map((v) => pxToFigure(frame, v[0] ?? null, v[1] ?? null))
          .filter((v): v is Pt => v !== null);
        // A closed polygon repeats its first vertex at the end.
        const last = vertices.at(-1);
        if (vertices.length > 1 && last && last[0] === vertices[0]![0] && last[1] === vertices[0]![1])
          vertices.pop();
        if (vertices.length >= 3) out.push({ kind: 'polygon', vertices });
      }
    }
    for (const line of owner.lines) {
      if (line.color === null) continue;
      const points = linePoints(line, axes);
      if (line.n === 2 && points.length === 2) out.push({ kind: 'segment', a: points[0]!, b: points[1]! });
    }
  }
  return out;
}

function polygonDistance(frame: Frame, a: Pt[], b: Pt[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let best = Number.POSITIVE_INFINITY;
  for (const order of [b, [...b].reverse()]) {
    for (let shift = 0; shift < order.length; shift++) {
      let worst = 0;
      for (let i = 0; i < a.length; i++)
        worst = Math.max(worst, distance(frame, a[i]!, order[(i + shift) % order.length]!));
      best = Math.min(best, worst);
    }
  }
  return best;
}

/** How far apart two primitives are (their worst point), in diagonals; infinite across kinds. */
function primitiveDistance(frame: Frame, g: Primitive, r: Primitive): number {
  if (g.kind === 'circle' && r.kind === 'circle')
    return Math.max(distance(frame, g.center, r.center), Math.abs(g.radius - r.radius));
  if (g.kind === 'polygon' && r.kind === 'polygon') return polygonDistance(frame, g.vertices, r.vertices);
  if (g.kind === 'segment' && r.kind === 'segment')
    return Math.min(
      Math.max(distance(frame, g.a, r.a), distance(frame, g.b, r.b)),
      Math.max(distance(frame, g.a, r.b), distance(frame, g.b, r.a)),
    );
  return Number.POSITIVE_INFINITY;
}

/** Primitive F1@tolerance: circles, polygons and segments matched one to one within 2 % of the diagonal. */
export function primitiveF1(generated: Trace, reference: Trace, tolerance = 0.02): F1 {
  const frame = frameOf(reference);
  const g = primitives(generated);
  const r = primitives(reference);
  const pairs = bestMatching(g, r, (a, b) => {
    const d = primitiveDistance(frame, a, b);
    // Closer pairs score a little higher so the assignment prefers them; any pair within tolerance counts 1.
    return d <= tolerance ? 1 + (tolerance - d) / tolerance / 1000 : 0;
  });
  return f1Of(pairs.length, g.length, r.length);
}

/** Data curves: lines of more than two points drawn with a visible line. */
function curves(trace: Trace): Pt[][] {
  return trace.axes
    .filter((a) => !a.isColorbar)
    .flatMap((axes) => axes.lines.filter((l) => l.color !== null && l.n > 2).map((l) => linePoints(l, axes)))
    .filter((p) => p.length > 2);
}

const GRID = 100;

function monotonicX(points: Pt[]): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0]) up = false;
    if (points[i]![0] > points[i - 1]![0]) down = false;
  }
  return up || down;
}

function interpolateY(points: Pt[], x: number): number {
  const sorted = points[0]![0] <= points.at(-1)![0] ? points : [...points].reverse();
  let i = 1;
  while (i < sorted.length - 1 && sorted[i]![0] < x) i++;
  const [x0, y0] = sorted[i - 1]!;
  const [x1, y1] = sorted[i]!;
  return x1 === x0 ? y0 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}

function resampleByArcLength(points: Pt[], n: number): Pt[] {
  const lengths = [0];
  for (let i = 1; i < points.length; i++)
    lengths.push(
      lengths[i - 1]! + Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]),
    );
  const total = lengths.at(-1)!;
  const out: Pt[] = [];
  let j = 1;
  for (let k = 0; k < n; k++) {
    const at = (total * k) / (n - 1);
    while (j < points.length - 1 && lengths[j]! < at) j++;
    const span = lengths[j]! - lengths[j - 1]! || 1;
    const t = (at - lengths[j - 1]!) / span;
    const [x0, y0] = points[j - 1]!;
    const [x1, y1] = points[j]!;
    out.push([x0 + t * (x1 - x0), y0 + t * (y1 - y0)]);
  }
  return out;
}

/**
 * Normalised RMSE between two curves in figure fraction: functions of x are compared on a shared x grid over
 * the overlap of their ranges (divided by the reference's y range, and penalised by the share of the
 * reference's x range not covered); other curves by arc-length resampling (divided by the reference's size).
 */
export function curveNrmse(g: Pt[], r: Pt[]): number {
  if (monotonicX(g) && monotonicX(r)) {
    const [gLo, gHi] = [Math.min(g[0]![0], g.at(-1)![0]), Math.max(g[0]![0], g.at(-1)![0])];
    const [rLo, rHi] = [Math.min(r[0]![0], r.at(-1)![0]), Math.max(r[0]![0], r.at(-1)![0])];
    const lo = Math.max(gLo, rLo);
    const hi = Math.min(gHi, rHi);
    const rRange = rHi - rLo;
    if (hi > lo && rRange > 0) {
      const ys = r.map((p) => p[1]);
      const yRange = Math.max(...ys) - Math.min(...ys) || 1e-3;
      let sum = 0;
      for (let k = 0; k < GRID; k++) {
        const x = lo + ((hi - lo) * k) / (GRID - 1);
        sum += (interpolateY(g, x) - interpolateY(r, x)) ** 2;
      }
      const coverage = (hi - lo) / rRange;
      return Math.sqrt(sum / GRID) / yRange + (1 - coverage);
    }
  }
  const gs = resampleByArcLength(g, GRID);
  const rs = resampleByArcLength(r, GRID);
  const xs = r.map((p) => p[0]);
  const ys = r.map((p) => p[1]);
  const size = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1e-3;
  const rmse = (order: Pt[]) =>
    Math.sqrt(order.reduce((s, p, k) => s + (p[0] - rs[k]![0]) ** 2 + (p[1] - rs[k]![1]) ** 2, 0) / GRID);
  return Math.min(rmse(gs), rmse([...gs].reverse())) / size;
}

export interface CurveFidelity {
  /** Mean over max(curve counts) of max(0, 1 − nRMSE) of matched curves; unmatched curves count 0. */
  score: number;
  /** Mean nRMSE of the matched curves (null when none matched). */
  meanNrmse: number | null;
  matched: number;
}

export function curveFidelity(generated: Trace, reference: Trace): CurveFidelity {
  const g = curves(generated);
  const r = curves(reference);
  const n = Math.max(g.length, r.length);
  if (n === 0) return { score: 1, meanNrmse: null, matched: 0 };
  const pairs = bestMatching(g, r, (a, b) => Math.max(0, 1 - curveNrmse(a, b)));
  const score = pairs.reduce((s, p) => s + p.similarity, 0) / n;
  const meanNrmse =
    pairs.length === 0 ? null : pairs.reduce((s, p) => s + (1 - p.similarity), 0) / pairs.length;
  return { score, meanNrmse, matched: pairs.length };
}
