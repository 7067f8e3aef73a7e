import { describe, expect, it } from 'vitest';
import { renderOptionsSchema, renderStatusSchema } from '../../main/api/render';
import {
  defaultRenderForm,
  readRenderForm,
  renderFormLimits,
} from '../../renderer/src/playground/renderForm';
import { describeSignal, statusPresentation } from '../../renderer/src/playground/renderStatus';
import {
  buildTraceView,
  initiallyExpanded,
  keyFacts,
  treeKeyAction,
  visibleRows,
} from '../../renderer/src/playground/traceTree';
import type { TraceNode } from '../../renderer/src/playground/traceTree';

describe('readRenderForm', () => {
  it('turns the defaults into the engine defaults', () => {
    expect(readRenderForm(defaultRenderForm)).toEqual({
      options: { mode: 'canonical', width: 800, height: 600, dpi: 100, timeoutMs: 30_000 },
      useCache: true,
      problem: null,
    });
    expect(renderOptionsSchema.parse(readRenderForm(defaultRenderForm).options)).toEqual(
      renderOptionsSchema.parse({}),
    );
  });

  it('sends no size in official mode, so the cache is not split by fields it ignores', () => {
    const reading = readRenderForm({
      ...defaultRenderForm,
      mode: 'official',
      width: 'x',
      timeoutSeconds: '2.5',
    });
    expect(reading).toEqual({
      options: { mode: 'official', timeoutMs: 2500 },
      useCache: true,
      problem: null,
    });
  });

  it.each([
    [{ width: '15' }, /Width and height/],
    [{ height: '8193' }, /Width and height/],
    [{ width: '800.5' }, /Width and height/],
    [{ width: '' }, /Width and height/],
    [{ dpi: '9' }, /dpi/],
    [{ timeoutSeconds: '0.05' }, /Timeout/],
    [{ timeoutSeconds: '' }, /Timeout/],
    [{ timeoutSeconds: 'abc' }, /Timeout/],
  ])('rejects %j', (patch, problem) => {
    const reading = readRenderForm({ ...defaultRenderForm, ...patch });
    expect(reading.options).toBeNull();
    expect(reading.problem).toMatch(problem);
  });

  it('keeps the cache choice', () => {
    expect(readRenderForm({ ...defaultRenderForm, useCache: false }).useCache).toBe(false);
  });

  it('uses the same bounds as renderOptionsSchema', () => {
    const accepts = (patch: Record<string, number>) => renderOptionsSchema.safeParse(patch).success;
    for (const key of ['width', 'height', 'dpi'] as const) {
      const { min, max } = renderFormLimits[key];
      expect([accepts({ [key]: min }), accepts({ [key]: max })]).toEqual([true, true]);
      expect([accepts({ [key]: min - 1 }), accepts({ [key]: max + 1 })]).toEqual([false, false]);
    }
    const { min, max } = renderFormLimits.timeoutSeconds;
    expect([accepts({ timeoutMs: min * 1000 }), accepts({ timeoutMs: max * 1000 })]).toEqual([true, true]);
    expect([accepts({ timeoutMs: min * 1000 - 1 }), accepts({ timeoutMs: max * 1000 + 1 })]).toEqual([
      false,
      false,
    ]);
  });
});

describe('statusPresentation', () => {
  it('covers every status with a tone by who has to act', () => {
    expect(Object.keys(statusPresentation).sort()).toEqual([...renderStatusSchema.options].sort());
    const tones = Object.fromEntries(Object.entries(statusPresentation).map(([s, p]) => [s, p.tone]));
    expect(tones).toEqual({
      ok: 'ok',
      no_code: 'empty',
      syntax_error: 'code',
      import_error: 'code',
      runtime_error: 'code',
      timeout: 'limit',
      memory: 'limit',
      killed: 'limit',
      blank_image: 'empty',
      no_image: 'empty',
    });
  });

  it('names common signals', () => {
    expect(describeSignal(9)).toBe('signal 9 (SIGKILL)');
    expect(describeSignal(24)).toBe('signal 24 (SIGXCPU)');
    expect(describeSignal(64)).toBe('signal 64');
  });
});

/** A trace in the tracer's v1 shape (native/python/tracer): one figure, its axes beside it, a summary. */
const black = { hex: '#000000', alpha: 1 };
const trace = {
  schemaVersion: 1,
  error: null,
  figure: {
    widthPx: 800,
    heightPx: 600,
    dpi: 100,
    faceColor: { hex: '#ffffff', alpha: 1 },
    suptitle: null,
    sourceLine: 6,
    texts: [{ role: 'suptitle', text: 'All', isTickLabel: false, color: black, sourceLine: 12 }],
    lines: [],
    legends: [],
  },
  axes: [
    {
      index: 0,
      kind: 'rectilinear',
      isColorbar: false,
      titles: { left: null, center: 'Two periodic functions', right: null },
      xaxis: { scale: 'linear', lim: [0, 6.28], ticks: [0, 2], tickLabels: ['0', '2'], label: 'x (radians)' },
      yaxis: { scale: 'linear', lim: [-1, 1], ticks: [], tickLabels: [], label: null },
      sourceLine: 6,
      sourceLineOrigin: 'created',
      texts: [
        { role: 'title', text: 'Two periodic functions', isTickLabel: false, color: black, sourceLine: 10 },
        ...Array.from({ length: 14 }, (_, i) => ({
          role: 'xtick',
          text: String(i),
          isTickLabel: true,
          color: black,
          sourceLine: 6,
          sourceLineOrigin: 'axes',
        })),
      ],
      lines: [
        {
          kind: 'line',
          className: 'Line2D',
          x: [0, 1],
          n: 200,
          color: { hex: '#1f77b4', alpha: 1 },
          label: 'sin x',
          sourceLine: 7,
          sourceLineOrigin: 'created',
        },
        { kind: 'line', className: 'Line2D', n: 1, color: { hex: '#808080', alpha: 0.5 }, sourceLine: null },
      ],
      patches: [],
      collections: [
        {
          kind: 'scatter',
          className: 'PathCollection',
          n: 30,
          faceColor: { hex: '#2ca02c', alpha: 1 },
          cmap: null,
          norm: { kind: 'Normalize', vmin: 0, vmax: 1 },
          sourceLine: 9,
        },
        { kind: 'unknown', className: 'QuadMesh', error: 'ValueError: odd mesh' },
      ],
      containers: [{ index: 0, kind: 'bar', label: null, n: 5 }],
      legend: {
        title: null,
        entries: [{ label: 'sin x', handle: 'line', color: { hex: '#1f77b4', alpha: 1 }, marker: null }],
        sourceLine: 13,
      },
    },
  ],
  summary: {
    counts: { axes: 1, lines: 2, scatter: 1, texts: 2, tickLabels: 14, images: 0 },
    texts: ['All', 'Two periodic functions'],
    tickLabels: [],
    colors: ['#1f77b4'],
  },
};

describe('buildTraceView', () => {
  const view = buildTraceView(trace);
  const figure = view.roots[0]!;
  const axes = figure.children.find((c) => c.kind === 'axes')!;
  const group = (node: TraceNode, title: string) => node.children.find((c) => c.title === title)!;

  it('puts the axes under the figure, then groups in reading order, leaving empty groups out', () => {
    expect(view.roots.map((r) => [r.kind, r.title])).toEqual([['figure', 'figure']]);
    expect(figure.children.map((c) => c.title)).toEqual(['axes 1', 'texts']);
    expect(axes.children.map((c) => [c.title, c.count])).toEqual([
      ['texts', 15],
      ['lines', 2],
      ['collections', 2],
      ['legend', null],
      ['containers', 1],
    ]);
    const legend = group(axes, 'legend');
    expect(legend.sourceLine).toBe(13);
    expect(group(legend, 'entries').children[0]!.facts).toEqual([
      { type: 'value', value: 'label “sin x”' },
      { type: 'color', value: '#1f77b4', title: 'color #1f77b4' },
    ]);
  });

  it('keeps the tick labels in a group of their own after the titles and labels', () => {
    const texts = group(axes, 'texts');
    expect(texts.children.map((c) => c.title)).toEqual(['text', 'tick labels']);
    const ticks = group(texts, 'tick labels');
    expect(ticks.count).toBe(14);
    expect(ticks.children[0]).toMatchObject({ sourceLine: 6, sourceLineOrigin: 'axes' });
  });

  it('gives each artist its kind, key facts and source line', () => {
    const [sine, baseline] = group(axes, 'lines').children;
    expect(sine).toMatchObject({ kind: 'line', title: 'line', sourceLine: 7, sourceLineOrigin: 'created' });
    expect(sine!.facts).toEqual([
      { type: 'value', value: 'label “sin x”' },
      { type: 'color', value: '#1f77b4', title: 'color #1f77b4' },
      { type: 'value', value: '200 points' },
    ]);
    expect(baseline!.sourceLine).toBeNull();
    expect(baseline!.facts).toEqual([
      { type: 'color', value: '#808080', title: 'color #808080 α 0.5' },
      { type: 'value', value: '1 point' },
    ]);
    const title = group(axes, 'texts').children[0]!;
    expect(title).toMatchObject({ kind: 'text', sourceLine: 10 });
    expect(title.facts.slice(0, 2)).toEqual([
      { type: 'value', value: 'title' },
      { type: 'text', value: '“Two periodic functions”' },
    ]);
    const [scatter, broken] = group(axes, 'collections').children;
    expect(scatter!.facts).toEqual([
      { type: 'value', value: 'PathCollection' },
      { type: 'color', value: '#2ca02c', title: 'faceColor #2ca02c' },
      { type: 'value', value: '30 points' },
    ]);
    expect(broken!.facts).toEqual([
      { type: 'value', value: 'QuadMesh' },
      { type: 'problem', value: 'ValueError: odd mesh' },
    ]);
    expect(group(axes, 'containers').children[0]!.facts).toEqual([{ type: 'value', value: '5 bars' }]);
  });

  it('describes the figure by size, dpi and colour, and the axes by title and axis labels', () => {
    expect(figure.facts).toEqual([
      { type: 'color', value: '#ffffff', title: 'faceColor #ffffff' },
      { type: 'value', value: '800×600 px' },
      { type: 'value', value: 'dpi 100' },
    ]);
    expect(axes.facts).toEqual([
      { type: 'text', value: '“Two periodic functions”' },
      { type: 'text', value: 'x “x (radians)”' },
    ]);
    expect(keyFacts({ kind: 'polar', titles: {} }, 'axes')).toEqual([{ type: 'value', value: 'polar' }]);
    expect(keyFacts({ kind: 'rectilinear', isColorbar: true }, 'axes')).toEqual([
      { type: 'value', value: 'colorbar' },
    ]);
  });

  it('summarizes the non-zero counts, and says when the tracer failed', () => {
    expect(view.summary.map((f) => f.value)).toEqual([
      'axes 1',
      'lines 2',
      'scatter 1',
      'texts 2',
      'tickLabels 14',
    ]);
    const failed = buildTraceView({ schemaVersion: 1, error: 'RuntimeError: no renderer' });
    expect(failed).toEqual({
      roots: [],
      summary: [{ type: 'problem', value: 'The tracer failed: RuntimeError: no renderer' }],
    });
  });

  it('also reads a list of figures', () => {
    const many = buildTraceView({ figures: [trace.figure, trace.figure] });
    expect(many.roots.map((r) => r.title)).toEqual(['figure 1', 'figure 2']);
  });

  it('reads anything that is not a record as an empty trace', () => {
    for (const value of [null, 42, 'x', [1, 2]])
      expect(buildTraceView(value)).toEqual({ roots: [], summary: [] });
  });

  it('shortens long texts to one line', () => {
    const facts = keyFacts({ text: `first\n${'x'.repeat(100)}` }, 'text');
    expect(facts[0]!.value).toHaveLength(62);
    expect(facts[0]!.value).toMatch(/^“first x+…”$/);
  });
});

describe('the trace tree rows and keys', () => {
  const { roots } = buildTraceView(trace);

  it('opens figures, axes and small groups, and keeps large groups closed', () => {
    const open = initiallyExpanded(roots);
    const rows = visibleRows(roots, open);
    const titles = rows.map((r) => `${'  '.repeat(r.level - 1)}${r.node.title}`);
    expect(titles.slice(0, 9)).toEqual([
      'figure',
      '  axes 1',
      '    texts',
      '      text',
      '      tick labels',
      '    lines',
      '      line',
      '      line',
      '    collections',
    ]);
    expect(rows.find((r) => r.node.title === 'tick labels')!.expanded).toBe(false);
    expect(rows[6]).toMatchObject({ posInSet: 1, setSize: 2, expanded: null });
  });

  it('moves, opens, closes and picks like a WAI-ARIA tree', () => {
    const open = initiallyExpanded(roots);
    const rows = visibleRows(roots, open);
    const id = (title: string, level: number) =>
      rows.find((r) => r.node.title === title && r.level === level)!.node.id;
    const texts = id('texts', 3);
    const ticks = id('tick labels', 4);
    expect(treeKeyAction('ArrowDown', rows, null)).toEqual({ type: 'focus', id: rows[1]!.node.id });
    expect(treeKeyAction('ArrowUp', rows, rows[0]!.node.id)).toEqual({ type: 'none' });
    expect(treeKeyAction('ArrowRight', rows, ticks)).toEqual({ type: 'expand', id: ticks });
    expect(treeKeyAction('ArrowLeft', rows, ticks)).toEqual({ type: 'focus', id: texts });
    expect(treeKeyAction('ArrowRight', rows, texts)).toEqual({ type: 'focus', id: rows[3]!.node.id });
    expect(treeKeyAction('ArrowLeft', rows, id('lines', 3))).toEqual({
      type: 'collapse',
      id: id('lines', 3),
    });
    expect(treeKeyAction('ArrowRight', rows, id('lines', 3))).toEqual({
      type: 'focus',
      id: rows[6]!.node.id,
    });
    expect(treeKeyAction('End', rows, texts)).toEqual({ type: 'focus', id: rows.at(-1)!.node.id });
    expect(treeKeyAction('Home', rows, texts)).toEqual({ type: 'focus', id: rows[0]!.node.id });
    expect(treeKeyAction('Enter', rows, texts)).toEqual({ type: 'activate', id: texts });
    expect(treeKeyAction(' ', rows, texts)).toEqual({ type: 'activate', id: texts });
    expect(treeKeyAction('x', rows, texts)).toEqual({ type: 'none' });
    expect(treeKeyAction('ArrowDown', [], null)).toEqual({ type: 'none' });
  });
});
