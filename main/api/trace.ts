import { z } from 'zod';

/**
 * The execution trace of a rendered figure (the CodePercept paper's ξ), as written by the Python tracer
 * (native/python/tracer): every visible artist of the figure, where it is, how it looks, and the line of the
 * user's code that drew it. The ground truth for code-grounded captions and the element-level metrics.
 *
 * Coordinates:
 * - `data` / `x` / `y` / `offsets` / `segments` / `paths`: the axes' data coordinates for artists in axes, figure
 *   fraction for figure-level artists (`coords` says which; `transform` says what the code gave).
 * - `px` / `posPx` / `bboxPx`: pixels of the figure as last drawn, at `figure.dpi` (the saved PNG's pixels,
 *   unless plt.savefig redrew it at another dpi: `figure.saved` maps them), origin top-left, y down; boxes
 *   are [x0, y0, x1, y1] with y0 the top edge.
 * - `posFrac` / `bboxFrac`: figure fraction in matplotlib's frame (origin bottom-left).
 * Numbers are rounded (6 significant digits for data, 2 decimals for pixels, 4 for fractions); non-finite
 * values are null. Long point lists are capped at 2000 points (`n` is the original count, `subsampled` says
 * whether points were dropped). Must match native/python/tracer exactly: bump both versions on any change.
 */
export const TRACE_SCHEMA_VERSION = 1;

const num = z.number().nullable();
const point = z.tuple([num, num]);
const box = z.tuple([num, num, num, num]);
const points = z.array(z.array(num));

export const traceColorSchema = z.strictObject({
  /** #rrggbb, lower case. */
  hex: z.string().regex(/^#[0-9a-f]{6}$/),
  alpha: z.number(),
});
/** A colour, or null when nothing is drawn with it ('none', alpha 0). */
const color = traceColorSchema.nullable();

export const traceSpaceSchema = z.enum(['data', 'axes', 'figure', 'display', 'blended', 'other']);
const coords = z.enum(['data', 'figure']);

/** created: the artist was made on that line; set: a title/label's string was set there; axes: made by
 *  matplotlib (tick labels), the line that created its axes. */
export const traceSourceOriginSchema = z.enum(['created', 'set', 'axes']);

const source = {
  sourceLine: z.number().int().nullable(),
  sourceLineOrigin: traceSourceOriginSchema.nullable(),
};
const element = {
  zorder: num,
  /** The user's label (matplotlib's `_child0` / `_nolegend_` placeholders dropped). */
  label: z.string().nullable(),
  gid: z.string().nullable(),
  ...source,
};

export const traceTextRoleSchema = z.enum([
  'title',
  'suptitle',
  'xlabel',
  'ylabel',
  'zlabel',
  'xtick',
  'ytick',
  'ztick',
  'legend',
  'annotation',
  'text',
  'colorbar',
  'table',
]);

export const traceTextSchema = z.strictObject({
  role: traceTextRoleSchema,
  /** The string as the code set it (mathtext kept raw). */
  text: z.string(),
  /** What a reader sees, when it differs from `text`: `$\alpha^2$` → `α²`. */
  rendered: z.string().nullable(),
  isMath: z.boolean(),
  isTickLabel: z.boolean(),
  posPx: point,
  posFrac: point,
  bboxPx: box,
  coords,
  /** The anchor the code placed the text at ([x, y] or [x, y, z] in 3-D); null for titles, labels, ticks. */
  data: z.array(num).min(2).max(3).nullable(),
  /** Annotations: the annotated point. */
  target: point.nullable(),
  fontSize: num,
  color: traceColorSchema,
  rotation: num,
  ha: z.string(),
  va: z.string(),
  weight: z.string(),
  style: z.string(),
  family: z.string().nullable(),
  /** The text's bbox patch (ax.text(..., bbox=dict(...))). */
  box: z.strictObject({ boxstyle: z.string(), faceColor: color, edgeColor: color }).nullable(),
  ...element,
});

export const traceLineSchema = z.strictObject({
  kind: z.literal('line'),
  className: z.string(),
  coords,
  x: z.array(num),
  y: z.array(num),
  /** 3-D lines only. */
  z: z.array(num).nullable(),
  n: z.number().int(),
  subsampled: z.boolean(),
  transform: traceSpaceSchema,
  /** null when no line is drawn (markers only). */
  color,
  linewidth: num,
  linestyle: z.string(),
  drawstyle: z.string(),
  marker: z.string().nullable(),
  markerSize: num,
  markerFaceColor: color,
  markerEdgeColor: color,
  ...element,
});

const boxPx = z.strictObject({ x: num, y: num, width: num, height: num });
const ellipsePx = z.strictObject({ center: point, width: num, height: num, angle: num });
const verticesData = { vertices: points, n: z.number().int(), subsampled: z.boolean() };

const patchBase = {
  className: z.string(),
  coords,
  transform: traceSpaceSchema,
  faceColor: color,
  edgeColor: color,
  linewidth: num,
  linestyle: z.string(),
  hatch: z.string().nullable(),
  /** Index into the axes' `containers` (bars of one bar()/hist() call). */
  group: z.number().int().nullable(),
  /** Annotation arrows: index of their annotation in the same `texts` list. */
  textIndex: z.number().int().nullable(),
  ...element,
};

export const tracePatchSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...patchBase,
    kind: z.literal('rectangle'),
    data: z.strictObject({ x: num, y: num, width: num, height: num, angle: num }),
    px: boxPx,
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('fancybox'),
    data: z.strictObject({ x: num, y: num, width: num, height: num, angle: num, boxstyle: z.string() }),
    px: boxPx,
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('circle'),
    data: z.strictObject({ center: point, radius: num }),
    px: ellipsePx,
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('ellipse'),
    data: z.strictObject({ center: point, width: num, height: num, angle: num }),
    px: ellipsePx,
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('polygon'),
    data: z.strictObject({ ...verticesData, closed: z.boolean() }),
    px: z.strictObject({ vertices: points }),
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('path'),
    data: z.strictObject(verticesData),
    px: z.strictObject({ vertices: points }),
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('wedge'),
    data: z.strictObject({ center: point, r: num, theta1: num, theta2: num, width: num }),
    px: z.strictObject({ center: point, r: num }),
  }),
  z.strictObject({
    ...patchBase,
    kind: z.literal('arrow'),
    data: z.strictObject({ tail: point, head: point, arrowstyle: z.string().nullable() }),
    px: z.strictObject({ tail: point, head: point }),
  }),
]);

const normSchema = z.strictObject({ kind: z.string(), vmin: num, vmax: num });

export const traceCollectionSchema = z.strictObject({
  /** scatter: PathCollection; line: LineCollection (vlines, errorbars); poly: fill_between, hexbin, pcolor
   *  (before 3.8); quadmesh: pcolormesh; contour: one per contour set; triangle: gouraud tripcolor;
   *  other: quiver, barbs, patch collections. */
  kind: z.enum(['scatter', 'line', 'poly', 'quadmesh', 'contour', 'triangle', 'other']),
  className: z.string(),
  coords,
  transform: traceSpaceSchema,
  n: z.number().int(),
  /** One colour for all items, else null and the per-item list (capped). */
  faceColor: color,
  faceColors: z.array(color).nullable(),
  edgeColor: color,
  edgeColors: z.array(color).nullable(),
  linewidths: z.union([num, z.array(num)]),
  cmap: z.string().nullable(),
  norm: normSchema.nullable(),
  /** The values mapped through the colormap (capped). */
  values: z.array(num).nullable(),
  subsampled: z.boolean(),
  /** Marker positions (scatter, quiver). */
  offsets: z.strictObject({ x: z.array(num), y: z.array(num), z: z.array(num).nullable() }).nullable(),
  /** Marker areas in points² (one value when all are equal). */
  sizes: z.union([num, z.array(num)]),
  vectors: z.strictObject({ u: z.array(num), v: z.array(num) }).nullable(),
  segments: z.array(points).nullable(),
  paths: z.array(points).nullable(),
  /** quadmesh: [rows, columns] of cells. */
  shape: z.tuple([z.number().int(), z.number().int()]).nullable(),
  levels: z.array(num).nullable(),
  filled: z.boolean().nullable(),
  group: z.number().int().nullable(),
  ...element,
});

export const traceImageSchema = z.strictObject({
  kind: z.literal('image'),
  className: z.string(),
  coords,
  /** [left, right, bottom, top] in data coordinates (axes images). */
  extent: z.array(num).nullable(),
  shape: z.array(z.number().int()).nullable(),
  bboxPx: box.nullable(),
  cmap: z.string().nullable(),
  norm: normSchema.nullable(),
  interpolation: z.string().nullable(),
  origin: z.string(),
  alpha: num,
  ...element,
});

/** Artists without a schema (AnnotationBbox, AnchoredText, custom artists), and artists whose extraction
 *  failed (`unknown`, with the error) — a trace never fails as a whole because of one artist. */
export const traceOtherSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('other'), className: z.string(), bboxPx: box.nullable(), ...element }),
  z.strictObject({ kind: z.literal('unknown'), className: z.string(), error: z.string() }),
]);

export const traceLegendSchema = z.strictObject({
  title: z.string().nullable(),
  entries: z.array(
    z.strictObject({
      label: z.string(),
      handle: z.enum(['line', 'patch', 'scatter', 'collection', 'other', 'none']),
      color,
      marker: z.string().nullable(),
      linestyle: z.string().nullable(),
    }),
  ),
  bboxPx: box,
  frameOn: z.boolean(),
  ...source,
});

export const traceTableSchema = z.strictObject({
  rows: z.number().int(),
  cols: z.number().int(),
  cells: z.array(z.strictObject({ row: z.number().int(), col: z.number().int(), text: z.string() })),
  bboxPx: box,
  ...source,
});

export const traceAxisSchema = z.strictObject({
  scale: z.string(),
  lim: point,
  visible: z.boolean(),
  /** Major ticks inside the limits and their labels ('' when a label is hidden). */
  ticks: z.array(num),
  tickLabels: z.array(z.string()),
  /** Minor ticks that carry a label. */
  minorTicks: z.array(num),
  minorTickLabels: z.array(z.string()),
  label: z.string().nullable(),
});

const elementLists = {
  texts: z.array(traceTextSchema),
  lines: z.array(traceLineSchema),
  patches: z.array(tracePatchSchema),
  collections: z.array(traceCollectionSchema),
  images: z.array(traceImageSchema),
  other: z.array(traceOtherSchema),
};

export const traceAxesSchema = z.strictObject({
  index: z.number().int(),
  /** matplotlib's projection name: rectilinear, polar, 3d, ... */
  kind: z.string(),
  is3d: z.boolean(),
  isPolar: z.boolean(),
  isColorbar: z.boolean(),
  /** Inset axes: index of the axes they sit in. */
  parent: z.number().int().nullable(),
  bboxFrac: box.nullable(),
  bboxPx: box.nullable(),
  /** The grid-spec slot (rows/cols are [start, stop)). */
  gridSpec: z
    .strictObject({
      nrows: z.number().int(),
      ncols: z.number().int(),
      rowStart: z.number().int(),
      rowStop: z.number().int(),
      colStart: z.number().int(),
      colStop: z.number().int(),
    })
    .nullable(),
  axisOn: z.boolean(),
  aspect: z.union([z.string(), z.number()]).nullable(),
  faceColor: color,
  spines: z.record(z.string(), z.boolean()),
  xaxis: traceAxisSchema.nullable(),
  yaxis: traceAxisSchema.nullable(),
  zaxis: traceAxisSchema.nullable(),
  grid: z.record(z.string(), z.boolean()),
  titles: z.strictObject({
    left: z.string().nullable(),
    center: z.string().nullable(),
    right: z.string().nullable(),
  }),
  colorbar: z
    .strictObject({
      orientation: z.string(),
      cmap: z.string(),
      vmin: num,
      vmax: num,
      label: z.string().nullable(),
    })
    .nullable(),
  containers: z.array(
    z.strictObject({
      index: z.number().int(),
      kind: z.enum(['bar', 'errorbar', 'stem', 'other']),
      label: z.string().nullable(),
      n: z.number().int(),
      orientation: z.string().nullable(),
    }),
  ),
  legend: traceLegendSchema.nullable(),
  ...elementLists,
  tables: z.array(traceTableSchema),
  ...source,
});

export const traceFigureSchema = z.strictObject({
  widthIn: num,
  heightIn: num,
  /** The dpi of every pixel value: the figure's last draw's (usually the save's; see `saved`). */
  dpi: num,
  widthPx: num,
  heightPx: num,
  figureDpi: num,
  /** The last save: its dpi and the PNG's size. Trace pixels × saved.dpi / dpi are PNG pixels, unless the
   *  PNG is `cropped` (bbox_inches='tight'). null when no save was seen. */
  saved: z
    .strictObject({
      dpi: num,
      widthPx: z.number().int().nullable(),
      heightPx: z.number().int().nullable(),
      cropped: z.boolean().nullable(),
    })
    .nullable(),
  faceColor: color,
  suptitle: z.string().nullable(),
  supxlabel: z.string().nullable(),
  supylabel: z.string().nullable(),
  sourceLine: z.number().int().nullable(),
  ...elementLists,
  legends: z.array(traceLegendSchema),
});

export const TRACE_COUNT_KEYS = [
  'axes',
  'colorbars',
  'legends',
  'tables',
  'lines',
  'rectangles',
  'circles',
  'ellipses',
  'polygons',
  'wedges',
  'arrows',
  'fancyboxes',
  'paths',
  'scatter',
  'lineCollections',
  'polyCollections',
  'contours',
  'meshes',
  'otherCollections',
  'images',
  'texts',
  'tickLabels',
  'other',
  'unknown',
] as const;

/** Flat facts for the element-level metrics. Colorbars count once each (their mesh and outline are not
 *  data elements); `colors` are the distinct colours of data elements in order of first appearance. */
export const traceSummarySchema = z.strictObject({
  counts: z.strictObject(
    Object.fromEntries(TRACE_COUNT_KEYS.map((key) => [key, z.number().int()])) as Record<
      (typeof TRACE_COUNT_KEYS)[number],
      z.ZodNumber
    >,
  ),
  /** Visible strings other than tick labels, in tree order. */
  texts: z.array(z.string()),
  tickLabels: z.array(z.string()),
  colors: z.array(z.string()),
});

export const traceSchema = z.strictObject({
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION),
  /** Why the figure could not be read at all (the rest is then empty); per-artist failures are `unknown`. */
  error: z.string().nullable(),
  figure: traceFigureSchema,
  axes: z.array(traceAxesSchema),
  summary: traceSummarySchema,
});

export type TraceColor = z.infer<typeof traceColorSchema>;
export type TraceText = z.infer<typeof traceTextSchema>;
export type TraceTextRole = z.infer<typeof traceTextRoleSchema>;
export type TraceLine = z.infer<typeof traceLineSchema>;
export type TracePatch = z.infer<typeof tracePatchSchema>;
export type TraceCollection = z.infer<typeof traceCollectionSchema>;
export type TraceImage = z.infer<typeof traceImageSchema>;
export type TraceOther = z.infer<typeof traceOtherSchema>;
export type TraceLegend = z.infer<typeof traceLegendSchema>;
export type TraceTable = z.infer<typeof traceTableSchema>;
export type TraceAxis = z.infer<typeof traceAxisSchema>;
export type TraceAxes = z.infer<typeof traceAxesSchema>;
export type TraceFigure = z.infer<typeof traceFigureSchema>;
export type TraceSummary = z.infer<typeof traceSummarySchema>;
export type Trace = z.infer<typeof traceSchema>;

export const traceMethods = {
  /**
   * A stored trace by its sha256 (`traceSha256` of a canonical render in eval.item): the very trace the
   * metrics read. NOT_FOUND when no trace is stored under it.
   */
  'trace.get': {
    params: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex') }),
    result: traceSchema,
  },
};
