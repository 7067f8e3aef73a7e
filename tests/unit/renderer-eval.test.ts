import { describe, expect, it } from 'vitest';
import { evalItemsParamsSchema, evalRunConfigSchema } from '../../main/api/eval';
import type {
  EvalItemResult,
  EvalRunInfo,
  Estimate,
  GroupSummary,
  PairedDifference,
  RunComparison,
} from '../../main/api/eval';
import { traceSchema } from '../../main/api/trace';
import type { Trace, TraceColor } from '../../main/api/trace';
import {
  comparableRuns,
  compareItems,
  comparisonLines,
  formatP,
  signed,
} from '../../renderer/src/eval/compareRuns';
import {
  formatScore,
  initialResultsQuery,
  itemsParams,
  pageCount,
  scoreOf,
  toggleSort,
  withFilter,
} from '../../renderer/src/eval/resultsQuery';
import { defaultRunFormValues, readRunForm, suggestedRunName } from '../../renderer/src/eval/runForm';
import type { RunFormValues } from '../../renderer/src/eval/runForm';
import {
  failureCounts,
  formatHundred,
  formatRate,
  formatUnit,
  summaryRows,
} from '../../renderer/src/eval/summaryFormat';
import { matchElements, traceElements } from '../../renderer/src/eval/traceElements';

const form = (patch: Partial<RunFormValues>): RunFormValues => ({
  ...defaultRunFormValues,
  benchmarkId: '7',
  predictionsPath: '/data/preds.jsonl',
  ...patch,
});

describe('run setup form', () => {
  it('builds the predictions config with the engine defaults, named after the file and the benchmark', () => {
    const { config, problems } = readRunForm(form({}), 'STEM2Code');
    expect(problems).toEqual({});
    expect(config).toStrictEqual({
      name: 'preds.jsonl on STEM2Code',
      benchmarkDatasetId: 7,
      subject: { kind: 'predictions', path: '/data/preds.jsonl', format: 'ours' },
      imageJudge: null,
      codeJudge: null,
      settings: {
        blockChoice: 'first',
        maxTokens: 4096,
        temperature: 0,
        seed: 0,
        timeoutS: 30,
        canonical: { width: 800, height: 600, dpi: 100 },
        generationConcurrency: 1,
        judgeConcurrency: 4,
        judgeAttempts: 3,
        promptVariant: 'official',
        perceptual: null,
      },
    });
    // The form's defaults are the engine's: parsing adds only the settings the form does not show.
    const parsed = evalRunConfigSchema.parse(config);
    expect(parsed.settings).toMatchObject(evalRunConfigSchema.parse({ ...config, settings: {} }).settings);
  });

  it('builds a local subject (mmproj only when given) with a local image judge and an endpoint code judge', () => {
    const { config } = readRunForm(
      form({
        subjectKind: 'local',
        model: '  /models/qwen-vl.gguf ',
        mmproj: ' mm.gguf ',
        imageJudge: { kind: 'local', model: 'judge.gguf', endpoint: 'ignored' },
        codeJudge: { kind: 'endpoint', model: 'ignored', endpoint: ' gpt-judge ' },
        blockChoice: 'last',
        temperature: '0.7',
        seed: '-3',
        categories: ['bar', 'line'],
        limit: '25',
      }),
      'Bench',
    );
    expect(config).toMatchObject({
      name: 'qwen-vl.gguf on Bench',
      subject: { kind: 'local', model: '/models/qwen-vl.gguf', mmproj: 'mm.gguf' },
      imageJudge: { kind: 'local', model: 'judge.gguf' },
      codeJudge: { kind: 'endpoint', endpoint: 'gpt-judge' },
      settings: { blockChoice: 'last', temperature: 0.7, seed: -3, categories: ['bar', 'line'], limit: 25 },
    });
    expect(evalRunConfigSchema.safeParse(config).success).toBe(true);

    const bare = readRunForm(form({ subjectKind: 'local', model: 'm.gguf', mmproj: '  ' }), null).config!;
    expect(bare.subject).toStrictEqual({ kind: 'local', model: 'm.gguf' });
    expect(bare.name).toBe('m.gguf');
    expect(bare.settings).not.toHaveProperty('limit');
    expect(bare.settings).not.toHaveProperty('categories');
  });

  it('builds an endpoint subject, official predictions, and keeps a typed name (trimmed, at most 200)', () => {
    const endpoint = readRunForm(form({ subjectKind: 'endpoint', endpoint: ' lab-vllm ' }), 'B').config!;
    expect(endpoint.subject).toStrictEqual({ kind: 'endpoint', endpoint: 'lab-vllm' });
    expect(endpoint.name).toBe('lab-vllm on B');

    const official = readRunForm(
      form({ predictionsFormat: 'official', predictionsPath: 'C:\\runs\\OUT.JSONL', name: '  mine  ' }),
      'B',
    ).config!;
    expect(official.subject).toStrictEqual({
      kind: 'predictions',
      path: 'C:\\runs\\OUT.JSONL',
      format: 'official',
    });
    expect(official.name).toBe('mine');

    const long = readRunForm(form({ name: 'x'.repeat(250) }), 'B').config!;
    expect(long.name).toHaveLength(200);
    expect(evalRunConfigSchema.safeParse(long).success).toBe(true);
  });

  it('suggests a name from the subject, falling back to "run"', () => {
    expect(suggestedRunName(form({ predictionsPath: 'C:\\runs\\p.jsonl' }), null)).toBe('p.jsonl');
    expect(suggestedRunName(form({ subjectKind: 'endpoint', endpoint: '' }), 'Bench')).toBe('run on Bench');
    expect(suggestedRunName(form({ subjectKind: 'local', model: 'a/b/c.gguf' }), 'Bench')).toBe(
      'c.gguf on Bench',
    );
  });

  it('names every field that is wrong, and gives no config', () => {
    const { config, problems } = readRunForm(
      form({
        benchmarkId: '',
        predictionsPath: '',
        imageJudge: { kind: 'local', model: ' ', endpoint: '' },
        codeJudge: { kind: 'endpoint', model: '', endpoint: '' },
        maxTokens: '0',
        temperature: '5.5',
        seed: '1.5',
        timeoutS: '3601',
        width: '63',
        height: '4097',
        dpi: 'abc',
        generationConcurrency: '257',
        judgeConcurrency: '0',
        limit: '0',
      }),
      'B',
    );
    expect(config).toBeNull();
    expect(problems).toEqual({
      benchmark: 'Choose a benchmark (a STEM2Code dataset).',
      subject: 'Give the path of the predictions JSONL.',
      imageJudge: 'Choose the judge model.',
      codeJudge: 'Choose the judge endpoint.',
      maxTokens: 'Max tokens: a whole number from 1 to 1000000.',
      temperature: 'Temperature: a number from 0 to 5.',
      seed: 'Seed: a whole number from -2147483648 to 2147483647.',
      timeoutS: 'Timeout: a whole number from 1 to 3600.',
      width: 'Width: a whole number from 64 to 4096.',
      height: 'Height: a whole number from 64 to 4096.',
      dpi: 'DPI: a whole number from 10 to 600.',
      generationConcurrency: 'Generation concurrency: a whole number from 1 to 256.',
      judgeConcurrency: 'Judge concurrency: a whole number from 1 to 256.',
      limit: 'Limit: a whole number from 1 to 1000000.',
    });
  });

  it('checks the subject of each kind', () => {
    expect(readRunForm(form({ predictionsPath: 'preds.csv' }), 'B').problems).toEqual({
      subject: 'Predictions are a .jsonl file.',
    });
    expect(readRunForm(form({ subjectKind: 'local', model: '  ' }), 'B').problems).toEqual({
      subject: 'Choose the model under test.',
    });
    expect(readRunForm(form({ subjectKind: 'endpoint', endpoint: '' }), 'B').problems).toEqual({
      subject: 'Choose an endpoint.',
    });
    expect(readRunForm(form({ benchmarkId: 'abc' }), 'B').problems).toHaveProperty('benchmark');
  });

  it('accepts each limit at the zod bound and the engine agrees; one past it fails in both', () => {
    const bounds = {
      maxTokens: ['1', '1000000'],
      temperature: ['0', '5'],
      timeoutS: ['1', '3600'],
      width: ['64', '4096'],
      height: ['64', '4096'],
      dpi: ['10', '600'],
      generationConcurrency: ['1', '256'],
      judgeConcurrency: ['1', '256'],
    } as const;
    const at = (end: 0 | 1) =>
      readRunForm(
        form({
          ...Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, v[end]])),
          seed: end === 0 ? '-2147483648' : '2147483647',
          limit: end === 0 ? '1' : '1000000',
        }),
        'B',
      );
    const low = at(0);
    const high = at(1);
    expect(low.problems).toEqual({});
    expect(high.problems).toEqual({});
    expect(evalRunConfigSchema.parse(low.config).settings).toMatchObject({
      maxTokens: 1,
      temperature: 0,
      seed: -2147483648,
      timeoutS: 1,
      canonical: { width: 64, height: 64, dpi: 10 },
      generationConcurrency: 1,
      judgeConcurrency: 1,
      limit: 1,
    });
    expect(evalRunConfigSchema.parse(high.config).settings).toMatchObject({
      maxTokens: 1_000_000,
      temperature: 5,
      seed: 2147483647,
      timeoutS: 3600,
      canonical: { width: 4096, height: 4096, dpi: 600 },
      generationConcurrency: 256,
      judgeConcurrency: 256,
      limit: 1_000_000,
    });

    const past = {
      maxTokens: [0, 1_000_001],
      temperature: [-0.1, 5.1],
      timeoutS: [0, 3601],
      width: [63, 4097],
      height: [63, 4097],
      dpi: [9, 601],
      generationConcurrency: [0, 257],
      judgeConcurrency: [0, 257],
    } as const;
    const settings = high.config!.settings!;
    for (const [field, values] of Object.entries(past)) {
      for (const value of values) {
        expect(
          readRunForm(form({ [field]: String(value) }), 'B').problems,
          `${field}=${value}`,
        ).toHaveProperty(field);
        const canonical = ['width', 'height', 'dpi'].includes(field);
        const changed = canonical
          ? { ...settings, canonical: { ...settings.canonical, [field]: value } }
          : { ...settings, [field]: value };
        expect(
          evalRunConfigSchema.safeParse({ ...high.config, settings: changed }).success,
          `${field}=${value}`,
        ).toBe(false);
      }
    }
  });
});

const item = (patch: Partial<EvalItemResult> & { itemId: number }): EvalItemResult => ({
  uid: `u${patch.itemId}`,
  category: 'bar',
  generation: null,
  code: null,
  official: null,
  canonical: null,
  failure: null,
  metrics: null,
  imageJudgment: null,
  codeJudgment: null,
  ...patch,
});

const judgment = (score: number | null) => ({ score, reply: '', attempts: 1, failures: 0, error: null });

const metrics = (patch: Partial<NonNullable<EvalItemResult['metrics']>>): EvalItemResult['metrics'] => ({
  version: 1,
  ssim: 0,
  foregroundIou: 0,
  edgeF1: null,
  textF1: 0,
  tickLabelF1: 0,
  elementTypeF1: 0,
  colorF1: 0,
  layoutF1: 0,
  axesBoxIoU: 0,
  axisFidelity: 0,
  primitiveF1: 0,
  curveFidelity: 0,
  perceptual: null,
  ...patch,
});

describe('results query', () => {
  it('sorts a new score column best first, item and uid ascending, and flips on a second click', () => {
    const paged = { ...initialResultsQuery, page: 3 };
    const bySsim = toggleSort(paged, 'ssim');
    expect(bySsim).toEqual({ ...initialResultsQuery, sort: 'ssim', order: 'desc', page: 0 });
    expect(toggleSort({ ...bySsim, page: 2 }, 'ssim')).toEqual({ ...bySsim, order: 'asc', page: 0 });
    const byUid = toggleSort(bySsim, 'uid');
    expect(byUid).toMatchObject({ sort: 'uid', order: 'asc' });
    expect(toggleSort(byUid, 'uid').order).toBe('desc');
    expect(toggleSort(initialResultsQuery, 'item').order).toBe('desc');
  });

  it('sends filters and the page to eval.items, leaving out "every category" and "all"', () => {
    expect(itemsParams('r1', initialResultsQuery)).toStrictEqual({
      runId: 'r1',
      sort: 'item',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
    const filtered = {
      ...withFilter({ ...initialResultsQuery, page: 4 }, { category: 'bar', failure: 'any' }),
    };
    expect(filtered.page).toBe(0);
    const params = itemsParams('r1', { ...filtered, sort: 'codeScore', order: 'desc', page: 2 });
    expect(params).toStrictEqual({
      runId: 'r1',
      sort: 'codeScore',
      order: 'desc',
      category: 'bar',
      failure: 'any',
      offset: 100,
      limit: 50,
    });
    expect(evalItemsParamsSchema.parse(params)).toEqual(params);
    expect(itemsParams('r1', { ...initialResultsQuery, failure: 'none' }).failure).toBe('none');
    expect(itemsParams('r1', { ...initialResultsQuery, failure: 'timeout' }).failure).toBe('timeout');
  });

  it('counts pages (at least one)', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(50)).toBe(1);
    expect(pageCount(51)).toBe(2);
    expect(pageCount(101)).toBe(3);
  });

  it('reads and formats cells: judges out of 100, metrics 0..1, a dash for none', () => {
    const it1 = item({
      itemId: 1,
      imageJudgment: judgment(87.5),
      codeJudgment: judgment(null),
      metrics: metrics({ ssim: 0.91234, foregroundIou: 0 }),
    });
    expect(scoreOf(it1, 'imageScore')).toBe(87.5);
    expect(scoreOf(it1, 'codeScore')).toBeNull();
    expect(scoreOf(it1, 'ssim')).toBe(0.91234);
    expect(scoreOf(it1, 'edgeF1')).toBeNull();
    expect(scoreOf(item({ itemId: 2 }), 'ssim')).toBeNull();
    expect(formatScore('imageScore', 87.5)).toBe('87.5');
    expect(formatScore('ssim', 0.91234)).toBe('0.912');
    expect(formatScore('foregroundIou', scoreOf(it1, 'foregroundIou'))).toBe('0.000');
    expect(formatScore('codeScore', null)).toBe('—');
  });
});

const est = (
  mean: number | null,
  n: number,
  low: number | null = null,
  high: number | null = null,
): Estimate => ({
  mean,
  low,
  high,
  n,
});

const judgeSummary = (conditional: Estimate, strict: Estimate) => ({
  conditional,
  strict,
  unscored: 0,
  failedAttempts: 0,
  unjudged: 0,
});

/** A summary with the given metrics and failure counts (the rest absent, as the summary leaves them out). */
const group = (
  patch: Partial<Omit<GroupSummary, 'metrics' | 'failures'>> & {
    metrics?: Partial<GroupSummary['metrics']>;
    failures?: Partial<GroupSummary['failures']>;
  },
): GroupSummary =>
  ({
    category: null,
    overall: true,
    items: 10,
    executed: 8,
    imageWritten: 8,
    execRate: est(80, 10, 50, 100),
    imageWrittenRate: est(80, 10),
    imageScore: null,
    codeScore: null,
    final: null,
    metrics: {},
    failures: {},
    exceptions: {},
    ...patch,
  }) as GroupSummary;

describe('summary formatting', () => {
  it('shows Exec Rate, judge scores and metrics as conditional and strict, a dash (not 0) for none', () => {
    const rows = summaryRows(
      group({
        imageScore: judgeSummary(est(62.5, 8, 55, 70), est(50, 10, 40, 60)),
        metrics: {
          ssim: { conditional: est(0.75, 8), strict: est(0.5, 10), available: true },
          foregroundIou: { conditional: est(0.25, 8), strict: est(null, 10), available: true },
          edgeF1: { conditional: est(null, 0), strict: est(null, 10), available: false },
        },
      }),
    );
    expect(rows).toEqual([
      {
        key: 'execRate',
        label: 'Exec Rate',
        conditional: '80.0',
        strict: '80.0',
        n: 10,
        values: { conditional: 80, strict: 80 },
      },
      {
        key: 'imageScore',
        label: 'Image Score',
        conditional: '62.5',
        strict: '50.0',
        n: 8,
        values: { conditional: 62.5, strict: 50 },
      },
      {
        key: 'ssim',
        label: 'SSIM of the canonical renders',
        conditional: '0.750',
        strict: '0.500',
        n: 8,
        values: { conditional: 75, strict: 50 },
      },
      {
        key: 'foregroundIou',
        label: 'Foreground IoU',
        conditional: '0.250',
        strict: '—',
        n: 8,
        values: { conditional: 25, strict: null },
      },
    ]);
  });

  it('adds Final after Exec Rate when both judges ran, and keeps a zero a zero', () => {
    const rows = summaryRows(
      group({
        execRate: est(0, 10),
        imageScore: judgeSummary(est(null, 0), est(0, 10)),
        codeScore: judgeSummary(est(40, 6), est(24, 10)),
        final: { conditional: est(null, 0), strict: est(8, 10) },
      }),
    );
    expect(rows.map((r) => [r.key, r.conditional, r.strict, r.n])).toEqual([
      ['execRate', '0.0', '0.0', 10],
      ['final', '—', '8.0', null],
      ['imageScore', '—', '0.0', 0],
      ['codeScore', '40.0', '24.0', 6],
    ]);
  });

  it('formats numbers, failures by frequency, and rates', () => {
    expect(formatHundred(null)).toBe('—');
    expect(formatHundred(0)).toBe('0.0');
    expect(formatHundred(66.666)).toBe('66.7');
    expect(formatUnit(null)).toBe('—');
    expect(formatUnit(0)).toBe('0.000');
    expect(formatUnit(0.12345)).toBe('0.123');
    expect(
      failureCounts(group({ failures: { no_code: 2, syntax: 0, runtime: 2, timeout: 5, memory: 0 } })),
    ).toEqual([
      { failure: 'timeout', count: 5 },
      { failure: 'no_code', count: 2 },
      { failure: 'runtime', count: 2 },
    ]);
    expect(formatRate(null)).toBe('—');
    expect(formatRate(3.24)).toBe('3.2 items/s');
    expect(formatRate(12.6)).toBe('13 items/s');
  });
});

const blue: TraceColor = { hex: '#1f77b4', alpha: 1 };
const orange: TraceColor = { hex: '#ff7f0e', alpha: 1 };
const red: TraceColor = { hex: '#d62728', alpha: 1 };
const black: TraceColor = { hex: '#000000', alpha: 1 };
const element = (sourceLine: number) => ({
  zorder: 2,
  label: null,
  gid: null,
  sourceLine,
  sourceLineOrigin: 'created' as const,
});
const axis = (lim: [number, number]) => ({
  scale: 'linear',
  lim,
  visible: true,
  ticks: [],
  tickLabels: [],
  minorTicks: [],
  minorTickLabels: [],
  label: null,
});
const text = (
  s: string,
  bboxPx: [number, number, number, number],
  sourceLine: number,
  isTickLabel = false,
) => ({
  role: isTickLabel ? ('xtick' as const) : ('title' as const),
  text: s,
  rendered: null,
  isMath: false,
  isTickLabel,
  posPx: [bboxPx[0], bboxPx[1]] as [number, number],
  posFrac: [0, 0] as [number, number],
  bboxPx,
  coords: 'figure' as const,
  data: null,
  target: null,
  fontSize: 12,
  color: black,
  rotation: 0,
  ha: 'center',
  va: 'center',
  weight: 'normal',
  style: 'normal',
  family: null,
  box: null,
  ...element(sourceLine),
});
const line = (x: number[], y: number[], color: TraceColor, sourceLine: number) => ({
  kind: 'line' as const,
  className: 'Line2D',
  coords: 'data' as const,
  x,
  y,
  z: null,
  n: x.length,
  subsampled: false,
  transform: 'data' as const,
  color,
  linewidth: 1.5,
  linestyle: '-',
  drawstyle: 'default',
  marker: null,
  markerSize: 6,
  markerFaceColor: color,
  markerEdgeColor: color,
  ...element(sourceLine),
});

/** A 800×600 figure with one axes: box [100, 50, 700, 550] px, data 0..10 on both axes. */
function trace(lists: {
  texts?: unknown[];
  lines?: unknown[];
  patches?: unknown[];
  collections?: unknown[];
}): Trace {
  return traceSchema.parse({
    schemaVersion: 1,
    error: null,
    figure: {
      widthIn: 8,
      heightIn: 6,
      dpi: 100,
      widthPx: 800,
      heightPx: 600,
      figureDpi: 100,
      saved: null,
      faceColor: { hex: '#ffffff', alpha: 1 },
      suptitle: null,
      supxlabel: null,
      supylabel: null,
      sourceLine: 1,
      texts: [],
      lines: [],
      patches: [],
      collections: [],
      images: [],
      other: [],
      legends: [],
    },
    axes: [
      {
        index: 0,
        kind: 'rectilinear',
        is3d: false,
        isPolar: false,
        isColorbar: false,
        parent: null,
        bboxFrac: [0.125, 0.083, 0.875, 0.917],
        bboxPx: [100, 50, 700, 550],
        gridSpec: null,
        axisOn: true,
        aspect: 'auto',
        faceColor: { hex: '#ffffff', alpha: 1 },
        spines: {},
        xaxis: axis([0, 10]),
        yaxis: axis([0, 10]),
        zaxis: null,
        grid: {},
        titles: { left: null, center: null, right: null },
        colorbar: null,
        containers: [],
        legend: null,
        texts: lists.texts ?? [],
        lines: lists.lines ?? [],
        patches: lists.patches ?? [],
        collections: lists.collections ?? [],
        images: [],
        other: [],
        tables: [],
        sourceLine: 2,
        sourceLineOrigin: 'created',
      },
    ],
    summary: {
      counts: {
        axes: 1,
        colorbars: 0,
        legends: 0,
        tables: 0,
        lines: 0,
        rectangles: 0,
        circles: 0,
        ellipses: 0,
        polygons: 0,
        wedges: 0,
        arrows: 0,
        fancyboxes: 0,
        paths: 0,
        scatter: 0,
        lineCollections: 0,
        polyCollections: 0,
        contours: 0,
        meshes: 0,
        otherCollections: 0,
        images: 0,
        texts: 0,
        tickLabels: 0,
        other: 0,
        unknown: 0,
      },
      texts: [],
      tickLabels: [],
      colors: [],
    },
  });
}

const reference = trace({
  texts: [text('Growth', [350, 20, 450, 40], 6), text('0', [95, 555, 105, 570], 2, true)],
  lines: [line([0, 1], [0, 1], blue, 4), line([2, 6], [2, 8], blue, 7)],
  patches: [
    {
      kind: 'rectangle',
      className: 'Rectangle',
      coords: 'data',
      transform: 'data',
      faceColor: orange,
      edgeColor: null,
      linewidth: 0,
      linestyle: '-',
      hatch: null,
      group: 0,
      textIndex: null,
      ...element(5),
      data: { x: 8, y: 5, width: 1, height: 2, angle: 0 },
      px: { x: 500, y: 300, width: 50, height: -100 },
    },
  ],
});

const candidate = trace({
  texts: [text('Growth', [360, 20, 460, 40], 3), text('Decay', [600, 100, 650, 120], 9)],
  lines: [line([3, 6, 20], [2, 8, 8], blue, 4)],
  collections: [
    {
      kind: 'scatter',
      className: 'PathCollection',
      coords: 'data',
      transform: 'data',
      n: 1,
      faceColor: red,
      faceColors: null,
      edgeColor: red,
      edgeColors: null,
      linewidths: 1,
      cmap: null,
      norm: null,
      values: null,
      subsampled: false,
      offsets: { x: [5], y: [5], z: null },
      sizes: 36,
      vectors: null,
      segments: null,
      paths: null,
      shape: null,
      levels: null,
      filled: null,
      group: null,
      ...element(8),
    },
  ],
});

describe('trace elements', () => {
  it('boxes texts (not tick labels), lines and patches in image pixels, with their source lines', () => {
    // The PNG is 400 px wide: trace pixels × 0.5.
    expect(traceElements(reference, 400)).toEqual([
      {
        id: 'ax0-text-0',
        kind: 'text',
        label: '“Growth”',
        key: 'text:Growth',
        box: [175, 10, 225, 20],
        sourceLine: 6,
      },
      // Data (0,0)–(1,1) → px (100,550)–(160,500).
      {
        id: 'ax0-line-0',
        kind: 'line',
        label: 'Line2D #1f77b4',
        key: 'line:#1f77b4',
        box: [50, 250, 80, 275],
        sourceLine: 4,
      },
      // Data (2,2)–(6,8) → px (220,450)–(460,150).
      {
        id: 'ax0-line-1',
        kind: 'line',
        label: 'Line2D #1f77b4',
        key: 'line:#1f77b4',
        box: [110, 75, 230, 225],
        sourceLine: 7,
      },
      // A negative height grows upwards: px y 200..300.
      {
        id: 'ax0-patch-0',
        kind: 'patch',
        label: 'rectangle #ff7f0e',
        key: 'patch:rectangle:#ff7f0e',
        box: [250, 100, 275, 150],
        sourceLine: 5,
      },
    ]);
  });

  it('clips points off the axes to the axes box, and boxes scatter offsets', () => {
    const els = traceElements(candidate, 800);
    // x = 20 lies past the right limit (10): clipped to the box edge 700.
    expect(els.find((e) => e.id === 'ax0-line-0')!.box).toEqual([280, 150, 700, 450]);
    expect(els.find((e) => e.id === 'ax0-coll-0')).toEqual({
      id: 'ax0-coll-0',
      kind: 'scatter',
      label: 'scatter #d62728',
      key: 'scatter:scatter:#d62728',
      box: [400, 300, 400, 300],
      sourceLine: 8,
    });
  });

  it('matches by key, nearest centres first: matched, missing and extra', () => {
    const r = traceElements(reference, 800);
    const c = traceElements(candidate, 800);
    const match = matchElements(r, c);
    expect(Object.fromEntries(match.reference)).toEqual({
      'ax0-text-0': 'matched',
      'ax0-line-0': 'missing',
      'ax0-line-1': 'matched',
      'ax0-patch-0': 'missing',
    });
    expect(Object.fromEntries(match.candidate)).toEqual({
      'ax0-text-0': 'matched',
      'ax0-text-1': 'extra',
      'ax0-line-0': 'matched',
      'ax0-coll-0': 'extra',
    });
    // The nearer blue line (centre 15 px away, not the one at the origin) is the partner.
    expect(match.partner.get('r:ax0-line-1')).toBe('ax0-line-0');
    expect(match.partner.get('c:ax0-line-0')).toBe('ax0-line-1');
    expect(match.partner.has('r:ax0-line-0')).toBe(false);
    const partnerLine = (id: string) => c.find((e) => e.id === match.partner.get(`r:${id}`))!.sourceLine;
    expect(partnerLine('ax0-text-0')).toBe(3);
    expect(partnerLine('ax0-line-1')).toBe(4);
  });
});

const runInfo = (id: string, benchmarkId: number): EvalRunInfo => ({
  id,
  name: id,
  benchmark: { id: benchmarkId, name: `b${benchmarkId}` },
  subject: 's',
  jobId: null,
  state: 'done',
  total: 10,
  complete: 10,
  createdAt: 0,
});

const diff = (patch: Partial<PairedDifference>): PairedDifference => ({
  n: 10,
  meanA: null,
  meanB: null,
  difference: null,
  low: null,
  high: null,
  p: null,
  verdict: 'no detectable difference',
  ...patch,
});

describe('compare helpers', () => {
  it('offers runs on the same benchmark, not the run itself', () => {
    const runs = [runInfo('a', 1), runInfo('b', 1), runInfo('c', 2), runInfo('d', 1)];
    expect(comparableRuns(runs, runs[0]!).map((r) => r.id)).toEqual(['b', 'd']);
    expect(comparableRuns(runs, runs[2]!)).toEqual([]);
    expect(comparableRuns(runs, null)).toEqual([]);
  });

  it('signs every difference with a true minus, ± for a rounded zero, and prints p-values', () => {
    expect(signed(33.333, 1)).toBe('+33.3');
    expect(signed(-0.0123, 3)).toBe('\u22120.012');
    expect(signed(0.00004, 3)).toBe('±0.000');
    expect(signed(-0.00004, 3)).toBe('±0.000');
    expect(signed(null, 1)).toBe('—');
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(0.001)).toBe('0.001');
    expect(formatP(0.04567)).toBe('0.046');
    expect(formatP(null)).toBe('—');
  });

  it('turns the engine’s A − B and its CI into B − A lines, skipping empty variants', () => {
    const comparison = {
      rows: [
        {
          quantity: 'execRate',
          strict: diff({
            meanA: 60,
            meanB: 80,
            difference: -20,
            low: -35,
            high: -5,
            p: 0.002,
            verdict: 'B better',
          }),
          conditional: null,
          unavailable: null,
        },
        {
          quantity: 'ssim',
          strict: diff({ meanA: 0.5, meanB: 0.55, difference: -0.05, low: -0.1, high: 0.01, p: 0.2 }),
          conditional: diff({ n: 0 }),
          unavailable: null,
        },
        { quantity: 'imageScore', strict: null, conditional: null, unavailable: 'no image judge in A' },
        {
          quantity: 'codeScore',
          strict: null,
          conditional: diff({ n: 4, meanA: 50, meanB: 50, difference: 0 }),
          unavailable: null,
        },
      ],
    } as unknown as RunComparison;
    expect(comparisonLines(comparison)).toEqual([
      {
        key: 'execRate',
        label: 'Exec Rate',
        variant: 'strict',
        n: 10,
        a: '60.0',
        b: '80.0',
        delta: 20,
        deltaText: '+20.0',
        delta95: '[+5.0, +35.0]',
        p: '0.002',
        verdict: 'B better',
      },
      {
        key: 'ssim',
        label: 'SSIM',
        variant: 'strict',
        n: 10,
        a: '0.500',
        b: '0.550',
        delta: 0.05,
        deltaText: '+0.050',
        delta95: '[\u22120.010, +0.100]',
        p: '0.200',
        verdict: 'no detectable difference',
      },
      {
        key: 'codeScore',
        label: 'Code Score',
        variant: 'conditional',
        n: 4,
        a: '50.0',
        b: '50.0',
        delta: -0,
        deltaText: '±0.0',
        delta95: '',
        p: '—',
        verdict: 'no detectable difference',
      },
    ]);
  });

  it('pairs items by id, counts a failure as 0, and sorts by the size of the change', () => {
    const a = [
      item({ itemId: 1, metrics: metrics({ ssim: 0.5 }) }),
      item({ itemId: 2, failure: 'syntax' }),
      item({ itemId: 3, metrics: metrics({ ssim: 0.9 }) }),
    ];
    const b = [
      item({ itemId: 4, uid: 'only-b', metrics: metrics({ ssim: 0.3 }) }),
      item({ itemId: 2, metrics: metrics({ ssim: 0.7 }) }),
      item({ itemId: 1, metrics: metrics({ ssim: 0.6 }) }),
    ];
    const rows = compareItems(a, b, 'ssim');
    expect(rows.map((r) => [r.itemId, r.valueA, r.valueB])).toEqual([
      [2, null, 0.7],
      [1, 0.5, 0.6],
      [3, 0.9, null],
      [4, null, 0.3],
    ]);
    expect(rows[0]!.delta).toBeCloseTo(0.7, 12);
    expect(rows[1]!.delta).toBeCloseTo(0.1, 12);
    expect(rows[2]!.delta).toBeNull();
    expect(rows[3]!).toMatchObject({ uid: 'only-b', a: null, delta: null });

    const judged = compareItems(
      [item({ itemId: 1, imageJudgment: judgment(70) })],
      [item({ itemId: 1, imageJudgment: judgment(null) })],
      'imageScore',
    );
    expect(judged[0]).toMatchObject({ valueA: 70, valueB: null, delta: -70 });
  });
});
