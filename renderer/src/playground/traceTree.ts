/**
 * The execution trace as a tree a person can scan: figure → axes → groups (texts, lines, patches,
 * collections, images, ...) → one node per artist with its key facts and the source line that drew it.
 *
 * The tracer's schema (v1: {schemaVersion, error, figure, axes, summary}, see native/python/tracer) is read
 * by shape rather than bound field by field: every array of records becomes a group and every record a
 * node, so fields the tracer adds later still show up instead of breaking the view.
 */

export type TraceFact =
  | { type: 'text'; value: string }
  | { type: 'value'; value: string }
  | { type: 'color'; value: string; title: string }
  | { type: 'problem'; value: string };

export interface TraceNode {
  /** Stable within one trace: the path of keys and indexes that leads to the record. */
  id: string;
  /** 'figure', 'axes', 'group', or the artist's own kind ('line', 'rectangle', 'text', ...). */
  kind: string;
  title: string;
  /** Groups: how many records they hold. */
  count: number | null;
  facts: TraceFact[];
  /** 1-based line in the user's code that drew this, when the tracer knows it. */
  sourceLine: number | null;
  /** How that line relates: 'created', 'set' (a text's string), 'axes' (the line that made its axes). */
  sourceLineOrigin: string | null;
  children: TraceNode[];
}

export interface TraceView {
  roots: TraceNode[];
  /** Trace-wide facts shown above the tree: a tracing error first, then the element counts. */
  summary: TraceFact[];
}

type TraceRecord = Record<string, unknown>;

/** Groups in the order a figure is read; anything else the trace holds follows in its own order. */
const GROUP_ORDER = [
  'axes',
  'texts',
  'lines',
  'patches',
  'collections',
  'images',
  'legend',
  'legends',
  'containers',
  'tables',
  'other',
];
/** Structural records listed directly under their parent, one node each, not inside a group. */
const STRUCTURAL: Record<string, string> = { figures: 'figure', axes: 'axes' };
/** What an `n` counts, by kind. */
const COUNT_NOUNS: Record<string, [string, string]> = {
  line: ['point', 'points'],
  scatter: ['point', 'points'],
  bar: ['bar', 'bars'],
};
const MAX_TEXT = 60;
const MAX_COLORS = 3;

function isRecord(value: unknown): value is TraceRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isColor(value: unknown): value is { hex: string; alpha?: number } {
  return isRecord(value) && typeof value.hex === 'string' && /^#[0-9a-f]{6}$/i.test(value.hex);
}

function holdsRecords(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some(isRecord);
}

/** A nested record worth its own node: it holds records somewhere (a legend's entries). */
function holdsRecordsDeep(value: unknown, depth = 0): boolean {
  if (depth > 3 || !isRecord(value)) return false;
  return Object.values(value).some((v) => holdsRecords(v) || holdsRecordsDeep(v, depth + 1));
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `“${oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine}”`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function singular(key: string): string {
  if (key === 'axes') return 'axes';
  if (key.endsWith('ies')) return `${key.slice(0, -3)}y`;
  return key.endsWith('s') ? key.slice(0, -1) : key;
}

function stringAt(record: TraceRecord, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function itemCount(record: TraceRecord, kind: string): string | null {
  let n: number | null = typeof record.n === 'number' ? record.n : null;
  for (const key of ['points', 'x']) {
    const value = record[key];
    if (n === null && Array.isArray(value)) n = value.length;
  }
  if (n === null) return null;
  const [one, many] = COUNT_NOUNS[kind] ?? ['item', 'items'];
  return `${n} ${n === 1 ? one : many}`;
}

/** An axes: its projection when not plain, its title, and each axis's label. */
function axesFacts(record: TraceRecord): TraceFact[] {
  const facts: TraceFact[] = [];
  const projection = stringAt(record, 'kind');
  if (record.isColorbar === true) facts.push({ type: 'value', value: 'colorbar' });
  else if (projection && projection !== 'rectilinear') facts.push({ type: 'value', value: projection });
  const titles = isRecord(record.titles) ? record.titles : {};
  for (const key of ['center', 'left', 'right']) {
    const title = stringAt(titles, key);
    if (title) facts.push({ type: 'text', value: quote(title) });
  }
  for (const name of ['x', 'y', 'z']) {
    const axis = record[`${name}axis`];
    const label = isRecord(axis) ? stringAt(axis, 'label') : null;
    if (label) facts.push({ type: 'text', value: `${name} ${quote(label)}` });
  }
  return facts;
}

/** The few facts that identify a record at a glance, in reading order. */
export function keyFacts(record: TraceRecord, kind: string): TraceFact[] {
  const facts: TraceFact[] = kind === 'axes' ? axesFacts(record) : [];
  const className = stringAt(record, 'className');
  if (className && !className.toLowerCase().includes(kind.toLowerCase())) {
    facts.push({ type: 'value', value: className });
  }
  const role = stringAt(record, 'role');
  if (role && role !== kind) facts.push({ type: 'value', value: role });
  for (const key of ['text', 'title', 'suptitle']) {
    const text = typeof record[key] === 'string' ? (record[key] as string) : null;
    if (text !== null && (text !== '' || key === 'text')) facts.push({ type: 'text', value: quote(text) });
  }
  const label = stringAt(record, 'label');
  if (label) facts.push({ type: 'value', value: `label ${quote(label)}` });
  let colors = 0;
  for (const [key, value] of Object.entries(record)) {
    if (colors === MAX_COLORS || !isColor(value)) continue;
    colors++;
    const alpha = typeof value.alpha === 'number' && value.alpha < 1 ? ` α ${formatNumber(value.alpha)}` : '';
    facts.push({ type: 'color', value: value.hex, title: `${key} ${value.hex}${alpha}` });
  }
  const cmap = stringAt(record, 'cmap');
  if (cmap) facts.push({ type: 'value', value: `cmap ${cmap}` });
  const count = kind === 'figure' || kind === 'axes' ? null : itemCount(record, kind);
  if (count) facts.push({ type: 'value', value: count });
  if (record.subsampled === true) facts.push({ type: 'value', value: 'subsampled' });
  if (Array.isArray(record.shape) && record.shape.every((d) => typeof d === 'number')) {
    facts.push({ type: 'value', value: `shape ${record.shape.join('×')}` });
  }
  const { widthPx, heightPx } = record;
  if (typeof widthPx === 'number' && typeof heightPx === 'number' && kind === 'figure') {
    facts.push({ type: 'value', value: `${formatNumber(widthPx)}×${formatNumber(heightPx)} px` });
  }
  if (typeof record.dpi === 'number') facts.push({ type: 'value', value: `dpi ${formatNumber(record.dpi)}` });
  const error = stringAt(record, 'error');
  if (error) facts.push({ type: 'problem', value: error });
  return facts;
}

function sourceLineOf(record: TraceRecord): number | null {
  const line = record.sourceLine;
  return typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : null;
}

function childKeys(record: TraceRecord): string[] {
  const keys = Object.keys(record).filter(
    (key) => key !== 'summary' && (holdsRecords(record[key]) || holdsRecordsDeep(record[key])),
  );
  const rank = (key: string) => {
    const index = GROUP_ORDER.indexOf(key);
    return index === -1 ? GROUP_ORDER.length : index;
  };
  return keys.sort((a, b) => rank(a) - rank(b));
}

function recordNode(record: TraceRecord, id: string, kind: string, title: string): TraceNode {
  return {
    id,
    kind,
    title,
    count: null,
    facts: keyFacts(record, kind),
    sourceLine: sourceLineOf(record),
    sourceLineOrigin: stringAt(record, 'sourceLineOrigin'),
    children: childNodes(record, id),
  };
}

function groupNode(id: string, title: string, records: TraceRecord[], itemKind: string): TraceNode {
  const children = records.map((r, i) => {
    const kind = stringAt(r, 'kind') ?? itemKind;
    return recordNode(r, `${id}/${i}`, kind, kind);
  });
  return {
    id,
    kind: 'group',
    title,
    count: records.length,
    facts: [],
    sourceLine: null,
    sourceLineOrigin: null,
    children,
  };
}

/** Texts, with the tick labels (often dozens) in a group of their own after the titles and labels. */
function textsNode(id: string, records: TraceRecord[]): TraceNode {
  const ticks = records.filter((r) => r.isTickLabel === true);
  const node = groupNode(
    id,
    'texts',
    records.filter((r) => r.isTickLabel !== true),
    'text',
  );
  if (ticks.length > 0) node.children.push(groupNode(`${id}/ticks`, 'tick labels', ticks, 'text'));
  return { ...node, count: records.length };
}

function childNodes(record: TraceRecord, parentId: string): TraceNode[] {
  const nodes: TraceNode[] = [];
  for (const key of childKeys(record)) {
    const value = record[key];
    const id = `${parentId}/${key}`;
    if (!Array.isArray(value)) {
      nodes.push(recordNode(value as TraceRecord, id, key, key));
      continue;
    }
    const records = value.filter(isRecord);
    const structural = STRUCTURAL[key];
    if (structural) {
      records.forEach((r, i) =>
        nodes.push(recordNode(r, `${id}/${i}`, structural, `${structural} ${i + 1}`)),
      );
    } else if (key === 'texts') {
      nodes.push(textsNode(id, records));
    } else {
      nodes.push(groupNode(id, key, records, singular(key)));
    }
  }
  return nodes;
}

/** The counts worth a glance: every non-zero number in the summary, one level deep. */
function summaryFacts(summary: TraceRecord): TraceFact[] {
  const facts: TraceFact[] = [];
  const add = (key: string, value: unknown) => {
    if (typeof value === 'number' && value !== 0)
      facts.push({ type: 'value', value: `${key} ${formatNumber(value)}` });
  };
  for (const [key, value] of Object.entries(summary)) {
    if (isRecord(value)) for (const [inner, n] of Object.entries(value)) add(inner, n);
    else add(key, value);
  }
  return facts;
}

/**
 * Turns a trace (any JSON) into the tree. The tracer's one figure with its axes beside it becomes a figure
 * node holding its axes; a list of figures gives one node each; anything that is not a record, no nodes.
 */
export function buildTraceView(trace: unknown): TraceView {
  if (!isRecord(trace)) return { roots: [], summary: [] };
  const summary: TraceFact[] = [];
  const error = stringAt(trace, 'error');
  if (error) summary.push({ type: 'problem', value: `The tracer failed: ${error}` });
  if (isRecord(trace.summary)) summary.push(...summaryFacts(trace.summary));
  if (isRecord(trace.figure)) {
    const figure = { ...trace.figure, axes: Array.isArray(trace.axes) ? trace.axes : [] };
    return { roots: [recordNode(figure, 'trace/figure', 'figure', 'figure')], summary };
  }
  return { roots: childNodes(trace, 'trace'), summary };
}

// ---- the visible rows and the keyboard ---------------------------------------------------------------

/** Groups larger than this start collapsed, so a scatter of 2000 points does not bury the axes. */
const OPEN_GROUP_LIMIT = 12;

/** What is open at first: figures, axes and nested records, and every group of at most a dozen items. */
export function initiallyExpanded(roots: readonly TraceNode[]): Set<string> {
  const open = new Set<string>();
  const visit = (node: TraceNode) => {
    if (node.children.length === 0) return;
    if (node.kind !== 'group' || node.children.length <= OPEN_GROUP_LIMIT) open.add(node.id);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return open;
}

export interface TreeRow {
  node: TraceNode;
  /** 1-based, as aria-level. */
  level: number;
  parentId: string | null;
  posInSet: number;
  setSize: number;
  /** null for a leaf. */
  expanded: boolean | null;
}

/** The rows on screen: every node whose ancestors are all expanded, in document order. */
export function visibleRows(roots: readonly TraceNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TraceNode[], level: number, parentId: string | null) => {
    nodes.forEach((node, index) => {
      const isOpen = node.children.length > 0 ? expanded.has(node.id) : null;
      rows.push({ node, level, parentId, posInSet: index + 1, setSize: nodes.length, expanded: isOpen });
      if (isOpen) walk(node.children, level + 1, node.id);
    });
  };
  walk(roots, 1, null);
  return rows;
}

export type TreeKeyAction =
  | { type: 'focus'; id: string }
  | { type: 'expand'; id: string }
  | { type: 'collapse'; id: string }
  | { type: 'activate'; id: string }
  | { type: 'none' };

/** The WAI-ARIA tree pattern: arrows move and open/close, Home/End jump, Enter/Space activate. */
export function treeKeyAction(
  key: string,
  rows: readonly TreeRow[],
  focusedId: string | null,
): TreeKeyAction {
  if (rows.length === 0) return { type: 'none' };
  const index = Math.max(
    0,
    rows.findIndex((r) => r.node.id === focusedId),
  );
  const row = rows[index]!;
  const focus = (i: number): TreeKeyAction => {
    const target = rows[Math.min(rows.length - 1, Math.max(0, i))]!;
    return target.node.id === row.node.id && focusedId !== null
      ? { type: 'none' }
      : { type: 'focus', id: target.node.id };
  };
  switch (key) {
    case 'ArrowDown':
      return focus(index + 1);
    case 'ArrowUp':
      return focus(index - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(rows.length - 1);
    case 'ArrowRight':
      if (row.expanded === false) return { type: 'expand', id: row.node.id };
      return row.expanded ? focus(index + 1) : { type: 'none' };
    case 'ArrowLeft':
      if (row.expanded) return { type: 'collapse', id: row.node.id };
      return row.parentId ? { type: 'focus', id: row.parentId } : { type: 'none' };
    case 'Enter':
    case ' ':
      return { type: 'activate', id: row.node.id };
    default:
      return { type: 'none' };
  }
}
