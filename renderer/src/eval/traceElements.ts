import type { Trace, TraceAxes, TraceColor } from '../../../main/api/trace';

/** A drawn element of a trace, boxed in the PNG's pixels, with the line of code that drew it. */
export interface TraceElement {
  id: string;
  kind: 'text' | 'line' | 'patch' | 'scatter' | 'collection' | 'image';
  /** What a person reads it as: the string for texts, the class and colour otherwise. */
  label: string;
  /** Matching key: kind and the string (texts) or the colour (everything else). */
  key: string;
  /** [x0, y0, x1, y1] in image pixels, origin top-left. */
  box: [number, number, number, number];
  sourceLine: number | null;
}

type Box = [number, number, number, number];
type Point = [number, number];

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function boxOf(points: Point[]): Box | null {
  if (points.length === 0) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

function colourLabel(color: TraceColor | null | undefined): string {
  return color ? color.hex : 'none';
}

/**
 * Maps data coordinates of an axes (linear or log scale) or figure fractions to trace pixels (top-left
 * origin). null for axes it cannot map (polar, 3-D, other scales, no box).
 */
function projector(
  axes: TraceAxes | null,
  figure: Trace['figure'],
): ((x: number, y: number) => Point | null) | null {
  if (axes === null) {
    const w = figure.widthPx;
    const h = figure.heightPx;
    if (!finite(w) || !finite(h)) return null;
    return (x, y) => [x * w, (1 - y) * h];
  }
  const box = axes.bboxPx;
  const xl = axes.xaxis?.lim;
  const yl = axes.yaxis?.lim;
  if (axes.is3d || axes.isPolar || !box || !xl || !yl) return null;
  if (![...box, ...xl, ...yl].every(finite)) return null;
  const scale = (s: string | undefined) =>
    s === 'log' ? (v: number) => Math.log10(v) : s === 'linear' ? (v: number) => v : null;
  const fx = scale(axes.xaxis?.scale);
  const fy = scale(axes.yaxis?.scale);
  if (!fx || !fy) return null;
  const [bx0, by0, bx1, by1] = box as Box;
  const [x0, x1] = [fx(xl[0]!), fx(xl[1]!)];
  const [y0, y1] = [fy(yl[0]!), fy(yl[1]!)];
  if (x1 === x0 || y1 === y0) return null;
  return (x, y) => {
    const px = bx0 + ((fx(x) - x0) / (x1 - x0)) * (bx1 - bx0);
    const py = by1 - ((fy(y) - y0) / (y1 - y0)) * (by1 - by0);
    return Number.isFinite(px) && Number.isFinite(py) ? [px, py] : null;
  };
}

/** Projected points, clipped to the axes box so a curve running off the axes does not box the whole figure. */
function project(
  project: ((x: number, y: number) => Point | null) | null,
  xs: (number | null)[],
  ys: (number | null)[],
  clip: Box | null,
): Point[] {
  if (!project) return [];
  const out: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!finite(x) || !finite(y)) continue;
    const p = project(x, y);
    if (!p) continue;
    out.push(
      clip ? [Math.min(Math.max(p[0], clip[0]), clip[2]), Math.min(Math.max(p[1], clip[1]), clip[3])] : p,
    );
  }
  return out;
}

/**
 * The elements of a trace that a person can point at: texts (tick labels left out: too many to box), lines,
 * patches, scatter and other collections, images; boxes scaled from trace pixels to the image's width.
 */
export function traceElements(trace: Trace, imageWidth: number): TraceElement[] {
  const { figure } = trace;
  const scale = finite(figure.widthPx) && figure.widthPx > 0 ? imageWidth / figure.widthPx : 1;
  const out: TraceElement[] = [];
  const push = (
    id: string,
    kind: TraceElement['kind'],
    label: string,
    keyPart: string,
    box: Box | null,
    sourceLine: number | null,
  ) => {
    if (!box || !box.every(Number.isFinite)) return;
    const scaled = box.map((v) => v * scale) as Box;
    out.push({ id, kind, label, key: `${kind}:${keyPart}`, box: scaled, sourceLine });
  };
  const groups: {
    prefix: string;
    axes: TraceAxes | null;
    lists: Pick<TraceAxes, 'texts' | 'lines' | 'patches' | 'collections' | 'images'>;
  }[] = [
    { prefix: 'fig', axes: null, lists: figure },
    ...trace.axes.map((axes) => ({ prefix: `ax${axes.index}`, axes, lists: axes })),
  ];
  for (const { prefix, axes, lists } of groups) {
    const toPx = projector(axes, figure);
    const clip = (axes?.bboxPx && axes.bboxPx.every(finite) ? axes.bboxPx : null) as Box | null;
    lists.texts.forEach((t, i) => {
      if (t.isTickLabel || !t.bboxPx.every(finite)) return;
      const text = t.rendered ?? t.text;
      if (text.trim() === '') return;
      push(`${prefix}-text-${i}`, 'text', `“${text}”`, text.trim(), t.bboxPx as Box, t.sourceLine);
    });
    lists.lines.forEach((l, i) => {
      const pts =
        l.coords === 'figure'
          ? project(projector(null, figure), l.x, l.y, null)
          : project(toPx, l.x, l.y, clip);
      const colour = colourLabel(l.color ?? l.markerFaceColor);
      push(`${prefix}-line-${i}`, 'line', `${l.className} ${colour}`, colour, boxOf(pts), l.sourceLine);
    });
    lists.patches.forEach((p, i) => {
      let box: Box | null = null;
      const px = p.px as Record<string, unknown>;
      if ('vertices' in px)
        box = boxOf(
          (px.vertices as (number | null)[][]).filter((v) => finite(v[0]) && finite(v[1])) as Point[],
        );
      else if ('tail' in px)
        box = boxOf([px.tail, px.head].filter((v): v is Point => Array.isArray(v) && v.every(finite)));
      else if ('r' in px && Array.isArray(px.center)) {
        const [cx, cy] = px.center as [number, number];
        const r = px.r as number;
        if ([cx, cy, r].every(finite)) box = [cx - r, cy - r, cx + r, cy + r];
      } else if ('center' in px && Array.isArray(px.center)) {
        const [cx, cy] = px.center as [number, number];
        const w = px.width as number;
        const h = px.height as number;
        if ([cx, cy, w, h].every(finite)) {
          const r = Math.max(w, h) / 2;
          box = [cx - r, cy - r, cx + r, cy + r];
        }
      } else if ('x' in px) {
        const { x, y, width, height } = px as { x: number; y: number; width: number; height: number };
        if ([x, y, width, height].every(finite))
          box = [
            Math.min(x, x + width),
            Math.min(y, y + height),
            Math.max(x, x + width),
            Math.max(y, y + height),
          ];
      }
      const colour = colourLabel(p.edgeColor ?? p.faceColor);
      push(`${prefix}-patch-${i}`, 'patch', `${p.kind} ${colour}`, `${p.kind}:${colour}`, box, p.sourceLine);
    });
    lists.collections.forEach((c, i) => {
      const colour = colourLabel(c.faceColor ?? c.edgeColor ?? c.faceColors?.[0] ?? null);
      let pts: Point[] = [];
      if (c.offsets)
        pts = project(c.coords === 'figure' ? projector(null, figure) : toPx, c.offsets.x, c.offsets.y, clip);
      else if (c.segments ?? c.paths) {
        for (const seg of (c.segments ?? c.paths)!)
          pts.push(
            ...project(
              toPx,
              seg.map((p) => p[0] ?? null),
              seg.map((p) => p[1] ?? null),
              clip,
            ),
          );
      }
      const kind = c.kind === 'scatter' ? 'scatter' : 'collection';
      push(
        `${prefix}-coll-${i}`,
        kind,
        `${c.kind} ${colour}`,
        `${c.kind}:${colour}`,
        boxOf(pts),
        c.sourceLine,
      );
    });
    lists.images.forEach((im, i) => {
      push(
        `${prefix}-image-${i}`,
        'image',
        `image ${im.cmap ?? ''}`.trim(),
        im.cmap ?? '',
        im.bboxPx as Box | null,
        im.sourceLine,
      );
    });
  }
  return out;
}

export type MatchStatus = 'matched' | 'missing' | 'extra';

export interface ElementMatch {
  /** Reference element id → status (matched or missing); candidate id → status (matched or extra). */
  reference: Map<string, MatchStatus>;
  candidate: Map<string, MatchStatus>;
  /** Either side's id → the id of its partner on the other side. */
  partner: Map<string, string>;
}

const centre = (b: TraceElement['box']) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] as const;

/**
 * Pairs reference and candidate elements with the same key (kind and string or colour), nearest centres
 * first — the same idea as the element metrics, simplified for pointing: an unpaired reference element is
 * missing from the candidate, an unpaired candidate element is extra.
 */
export function matchElements(reference: TraceElement[], candidate: TraceElement[]): ElementMatch {
  const pairs: { r: TraceElement; c: TraceElement; d: number }[] = [];
  for (const r of reference) {
    const [rx, ry] = centre(r.box);
    for (const c of candidate) {
      if (c.key !== r.key) continue;
      const [cx, cy] = centre(c.box);
      pairs.push({ r, c, d: Math.hypot(rx - cx, ry - cy) });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.r.id.localeCompare(b.r.id) || a.c.id.localeCompare(b.c.id));
  const partner = new Map<string, string>();
  for (const { r, c } of pairs) {
    if (partner.has(`r:${r.id}`) || partner.has(`c:${c.id}`)) continue;
    partner.set(`r:${r.id}`, c.id);
    partner.set(`c:${c.id}`, r.id);
  }
  const ref = new Map(
    reference.map((e) => [e.id, partner.has(`r:${e.id}`) ? 'matched' : 'missing'] as const),
  );
  const cand = new Map(candidate.map((e) => [e.id, partner.has(`c:${e.id}`) ? 'matched' : 'extra'] as const));
  return { reference: ref, candidate: cand, partner };
}
