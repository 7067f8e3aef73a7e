import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { EvalItemResult, EvalRunDetail } from '../../main/api/eval';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini');
const quiet = { log: () => {}, environmentChecks: async () => [] };

/** Every metric a render of identical code must max out (edge F1 and perceptual have no value in this build). */
const MAXED = [
  'ssim',
  'foregroundIou',
  'edgeF1',
  'textF1',
  'tickLabelF1',
  'elementTypeF1',
  'colorF1',
  'layoutF1',
  'axesBoxIoU',
  'axisFidelity',
  'primitiveF1',
  'curveFidelity',
] as const;

interface MiniLine {
  messages: { content: { image?: string; text?: string }[] }[];
}

/**
 * A two-item benchmark in the official layout, taken from the mini benchmark: three curves on one axis
 * (uid "0") and a circle with its radius (uid "1"). Image paths absolute, as the importer tolerates.
 */
function twoItemBenchmark(dir: string): { file: string; plot: string; circle: string } {
  const lines = readFileSync(join(MINI, 'benchmark.jsonl'), 'utf8').trim().split('\n');
  const picked = [lines[1]!, lines[13]!].map((l) => JSON.parse(l) as MiniLine);
  for (const line of picked) {
    const part = line.messages[1]!.content[0]!;
    part.image = join(MINI, part.image!);
  }
  const file = join(dir, 'two.jsonl');
  writeFileSync(file, `${picked.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return {
    file,
    plot: picked[0]!.messages[3]!.content[0]!.text!,
    circle: picked[1]!.messages[3]!.content[0]!.text!,
  };
}

const fenced = (code: string) => `Here is the code.\n\n\`\`\`python\n${code}\n\`\`\`\n`;

function changed(code: string, pairs: [string, string][]): string {
  let out = code;
  for (const [from, to] of pairs) {
    expect(out, `"${from}" is in the reference code`).toContain(from);
    out = out.replace(from, to);
  }
  return out;
}

describe('eval in predictions mode: crafted answers of known quality through the real renderer and metrics', () => {
  const dir = makeTempDir('codepercept-eval-');
  let engine: Engine;
  let client: ApiClient;
  let benchmarkId: number;
  let bench: ReturnType<typeof twoItemBenchmark>;
  const runs: Record<string, { detail: EvalRunDetail; items: Record<string, EvalItemResult> }> = {};

  async function scoreRun(name: string, lines: object[], format: 'ours' | 'official' = 'ours') {
    const file = join(dir.path, `${name}.jsonl`);
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const { runId, job } = await client.call('eval.start', {
      name,
      benchmarkDatasetId: benchmarkId,
      subject: { kind: 'predictions', path: file, format },
      settings: { timeoutS: 4 },
    });
    const final = await engine.jobs.waitFor(job.id);
    expect(final, `${name}: ${final.error}`).toMatchObject({ state: 'done', failed: 0, done: 2 });
    const detail = await client.call('eval.run', { id: runId });
    const { items } = await client.call('eval.items', { runId });
    runs[name] = { detail, items: Object.fromEntries(items.map((i) => [i.uid, i])) };
    return runs[name];
  }

  beforeAll(async () => {
    engine = createEngine({ dataDir: join(dir.path, 'data'), command: 'eval test', ...quiet });
    client = connectInProcess(engine);
    bench = twoItemBenchmark(dir.path);
    const job = await client.call('datasets.import', {
      path: bench.file,
      format: 'stem2code',
      name: 'two',
      imagesRoot: MINI,
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    benchmarkId = engine.catalog.datasets.resolve('two').id;

    await scoreRun('exact', [
      { uid: '0', response: fenced(bench.plot) },
      { uid: '1', response: `<think>a circle, radius 6</think>${fenced(bench.circle)}` },
    ]);
    await scoreRun('recoloured', [
      {
        uid: '0',
        response: fenced(
          changed(bench.plot, [
            ["color='magenta'", "color='red'"],
            ["color='green'", "color='navy'"],
            ["color='teal'", "color='orange'"],
          ]),
        ),
      },
      {
        uid: '1',
        response: fenced(changed(bench.circle, [["edgecolor='red'", "edgecolor='blue'"]])),
      },
    ]);
    // The official results format: initial_response is already the extracted code.
    await scoreRun(
      'removed-or-moved',
      [
        {
          uuid: '0',
          initial_response: bench.plot
            .split('\n')
            .filter((l) => !l.includes("color='teal'"))
            .join('\n'),
          image_score: 50,
        },
        {
          uuid: '1',
          initial_response: changed(bench.circle, [
            ['Circle((-2, 1), 6', 'Circle((1, -1), 3'],
            ['ax.plot([-2, 1], [1, 6.196]', 'ax.plot([1, 3], [-1, 1.236]'],
          ]),
        },
      ],
      'official',
    );
    await scoreRun('broken', [
      {
        uid: '0',
        response: fenced(bench.plot.replace('fig, ax = plt.subplots(', 'fig, ax = plt.subplots((')),
      },
      { uid: '1', response: fenced(`while True:\n    pass\n${bench.circle}`) },
    ]);
  }, 240_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('scores the reference code against itself at the maximum on every deterministic metric', () => {
    const { detail, items } = runs.exact!;
    expect(detail.summary.run).toMatchObject({ total: 2, items: 2 });
    expect(detail.summary.overall).toMatchObject({ items: 2, executed: 2, execRate: { mean: 100 } });
    expect(Object.values(detail.summary.overall.failures).every((n) => n === 0)).toBe(true);
    for (const uid of ['0', '1']) {
      const item = items[uid]!;
      expect(item.failure).toBeNull();
      expect(item.official).toMatchObject({ status: 'ok', executed: true, imageWritten: true });
      for (const key of MAXED) expect(item.metrics![key], `${uid} ${key}`).toBe(1);
      // No ONNX model configured: null, never a made-up number.
      expect(item.metrics!.perceptual).toBeNull();
    }
    // A metric with no value has no strict mean either (not a made-up 0).
    const metrics = detail.summary.overall.metrics;
    expect(metrics.perceptual).toMatchObject({ available: false, conditional: { mean: null, n: 0 } });
    expect(metrics.perceptual.strict.mean).toBeNull();
    expect(metrics.edgeF1).toMatchObject({ conditional: { mean: 1, n: 2 }, strict: { mean: 1 } });
    // The reasoning was stripped before extraction.
    expect(items['1']!.code).toBe(bench.circle);
    expect(detail.environment.matplotlib).toMatch(/^\d+\.\d+/);
    expect(Object.keys(detail.environment.fonts).length).toBeGreaterThan(0);
  });

  it('recolouring costs colour F1 and pixels only; structure, text and geometry stay perfect', () => {
    const plot = runs.recoloured!.items['0']!.metrics!;
    const circle = runs.recoloured!.items['1']!.metrics!;
    expect(plot.colorF1).toBeLessThan(0.5);
    expect(circle.colorF1).toBeLessThan(1);
    expect(plot.ssim).toBeLessThan(1);
    for (const key of [
      'textF1',
      'elementTypeF1',
      'layoutF1',
      'axesBoxIoU',
      'axisFidelity',
      'curveFidelity',
    ] as const)
      expect(plot[key], key).toBe(1);
    expect(circle.primitiveF1).toBe(1);
  });

  it('a removed series costs elements, text and curves; wrong geometry costs primitives and pixels', () => {
    const removed = runs['removed-or-moved']!.items['0']!;
    const recoloured = runs.recoloured!.items['0']!.metrics!;
    expect(removed.code).not.toContain('teal');
    const m = removed.metrics!;
    expect(m.elementTypeF1).toBeLessThan(recoloured.elementTypeF1);
    expect(m.textF1).toBeLessThan(recoloured.textF1);
    expect(m.curveFidelity).toBeLessThan(recoloured.curveFidelity);
    expect(m.foregroundIou).toBeLessThan(1);
    // Two of three colours kept beat none of three kept.
    expect(m.colorF1).toBeGreaterThan(recoloured.colorF1);
    expect(m.colorF1).toBeLessThan(1);

    const moved = runs['removed-or-moved']!.items['1']!.metrics!;
    const recolouredCircle = runs.recoloured!.items['1']!.metrics!;
    expect(moved.primitiveF1).toBeLessThan(recolouredCircle.primitiveF1);
    expect(moved.foregroundIou).toBeLessThan(recolouredCircle.foregroundIou);
    expect(moved.ssim).toBeLessThan(1);
  });

  it('every metric puts the exact copy at or above every variant, and each variant below it somewhere', () => {
    for (const uid of ['0', '1']) {
      const exact = runs.exact!.items[uid]!.metrics!;
      for (const variant of ['recoloured', 'removed-or-moved']) {
        const m = runs[variant]!.items[uid]!.metrics!;
        // Every metric in MAXED is computed for executed items (never null here).
        for (const key of MAXED) expect(m[key], `${variant} ${uid} ${key}`).toBeLessThanOrEqual(exact[key]!);
        expect(MAXED.some((key) => m[key]! < exact[key]!)).toBe(true);
      }
    }
    // Strict means order the runs: exact, then the recolouring, then the structural damage, then nothing.
    const strictSsim = (name: string) => runs[name]!.detail.summary.overall.metrics.ssim.strict.mean!;
    expect(strictSsim('exact')).toBe(1);
    expect(strictSsim('exact')).toBeGreaterThan(strictSsim('recoloured'));
    expect(strictSsim('removed-or-moved')).toBeGreaterThan(strictSsim('broken'));
    expect(strictSsim('broken')).toBe(0);
  });

  it('classifies a syntax error and an infinite loop, with no metrics and an Exec Rate of 0', () => {
    const { detail, items } = runs.broken!;
    expect(items['0']).toMatchObject({ failure: 'syntax', metrics: null, canonical: null });
    expect(items['0']!.official).toMatchObject({ status: 'syntax_error', executed: false });
    expect(items['1']).toMatchObject({ failure: 'timeout', metrics: null });
    expect(detail.summary.overall).toMatchObject({
      execRate: { mean: 0 },
      failures: { syntax: 1, timeout: 1 },
    });
    expect(detail.summary.overall.metrics.ssim).toMatchObject({
      conditional: { mean: null, n: 0 },
      strict: { mean: 0 },
    });
  });

  it('pages, filters and sorts item records and shows one item with its image hashes and stages', async () => {
    const runId = runs.recoloured!.detail.id;
    const bySsim = await client.call('eval.items', { runId, sort: 'ssim', order: 'desc' });
    const ssims = bySsim.items.map((i) => i.metrics!.ssim);
    expect(ssims).toEqual([...ssims].sort((a, b) => b - a));
    const failed = await client.call('eval.items', { runId: runs.broken!.detail.id, failure: 'timeout' });
    expect(failed.items.map((i) => i.uid)).toEqual(['1']);
    expect((await client.call('eval.items', { runId, failure: 'any' })).total).toBe(0);

    const item = await client.call('eval.item', { runId, itemId: bySsim.items[0]!.itemId });
    expect(item.complete).toBe(true);
    expect(item.reference.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.result.official!.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.result.canonical!.traceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.referenceCanonical).toMatchObject({ status: 'ok' });
    expect(item.stages.map((s) => s.stage).sort()).toEqual(
      ['canonical', 'extraction', 'generation', 'metrics', 'official', 'reference'].sort(),
    );
    // The reference renders were made for the first run; later runs got them from the render cache.
    expect(item.stages.find((s) => s.stage === 'reference')!.cached).toBe(true);
    expect(item.stages.every((s) => s.attempts === 1)).toBe(true);

    const list = await client.call('eval.runs', {});
    expect(list.map((r) => r.name).sort()).toEqual(['broken', 'exact', 'recoloured', 'removed-or-moved']);
    expect(list.every((r) => r.state === 'done' && r.complete === 2)).toBe(true);
    expect(engine.evals.itemResults(runId)).toHaveLength(2);
  });

  it('eval.compare pairs the runs by uid: the exact copy beats the broken answers on Exec Rate, both flip', async () => {
    const c = await client.call('eval.compare', { a: runs.exact!.detail.id, b: runs.broken!.detail.id });
    expect(c.shared).toBe(2);
    const exec = c.rows.find((r) => r.quantity === 'execRate')!;
    expect(exec.strict).toMatchObject({ n: 2, meanA: 100, meanB: 0, difference: 100 });
    expect(exec.conditional).toBeNull();
    // Both items executed in A only, with B's failure class.
    expect(c.flips.executedInAOnly.map((f) => [f.uid, f.failure])).toEqual([
      ['0', 'syntax'],
      ['1', 'timeout'],
    ]);
    expect(c.flips.executedInBOnly).toEqual([]);
    expect(c.rows.find((r) => r.quantity === 'imageScore')!.unavailable).toMatch(/no image judge/);
    await expect(
      client.call('eval.compare', { a: 'nosuchrun', b: runs.exact!.detail.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('eval.report builds JSON, CSV and HTML of a run, with the summary eval.run shows', async () => {
    const { detail } = runs.broken!;
    const json = await client.call('eval.report', { id: detail.id, format: 'json' });
    expect(json.mimeType).toBe('application/json');
    expect(json.fileName).toBe(`codepercept-broken-${detail.id.slice(0, 8)}.json`);
    expect(json.run).toEqual({ id: detail.id, name: 'broken', items: 2, total: 2 });
    const report = JSON.parse(json.content) as { summary: unknown; items: { row: { failure: string } }[] };
    expect(report.summary).toEqual(detail.summary);
    expect(report.items.map((i) => i.row.failure)).toEqual(['syntax', 'timeout']);

    const csv = await client.call('eval.report', { id: detail.id.slice(0, 8), format: 'csv' });
    expect(csv.mimeType).toMatch(/^text\/csv/);
    expect(csv.fileName.endsWith('.csv')).toBe(true);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.startsWith('item_id,uid,category,')).toBe(true);

    const html = await client.call('eval.report', { id: runs.exact!.detail.id, format: 'html' });
    expect(html.mimeType).toBe('text/html; charset=utf-8');
    // Two references and two renders, embedded as thumbnails; nothing loaded from elsewhere.
    expect(html.content.match(/<img [^>]*src="data:image\/webp;base64,/g)).toHaveLength(4);
    expect(html.content).not.toMatch(/<script|src="http/i);
  });

  it('trace.get returns the stored canonical traces of an item; NOT_FOUND for anything else', async () => {
    const { detail, items } = runs.recoloured!;
    const item = await client.call('eval.item', { runId: detail.id, itemId: items['0']!.itemId });
    const candidateSha = item.result.canonical!.traceSha256!;
    const referenceSha = item.referenceCanonical!.traceSha256!;
    const candidate = await client.call('trace.get', { sha256: candidateSha });
    const reference = await client.call('trace.get', { sha256: referenceSha });
    expect(candidate.schemaVersion).toBe(1);
    expect(candidate.axes.length).toBeGreaterThan(0);
    // Recoloured: the same texts, other colours.
    expect(candidate.summary.texts).toEqual(reference.summary.texts);
    expect(candidate.summary.colors).not.toEqual(reference.summary.colors);
    await expect(client.call('trace.get', { sha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // An image is stored too, but is not a trace.
    await expect(
      client.call('trace.get', { sha256: item.result.canonical!.imageSha256! }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('trace.get', { sha256: 'abc' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });

  it('refuses a predictions file with a bad line, naming the file, line and field', async () => {
    const file = join(dir.path, 'bad.jsonl');
    writeFileSync(file, '{"uid": "0", "response": "x"}\n{"uid": "1"}\n');
    await expect(
      client.call('eval.start', {
        name: 'bad',
        benchmarkDatasetId: benchmarkId,
        subject: { kind: 'predictions', path: file, format: 'ours' },
      }),
    ).rejects.toThrow(/bad\.jsonl:2: field "response"/);
  });
});
