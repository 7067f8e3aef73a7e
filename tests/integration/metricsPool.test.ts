/**
 * The metrics pool on real worker threads (the built out/node/metricsWorker.js, so run after `npm run build`)
 * with real canonical renders and traces of the bundled mini benchmark from the real Python renderer: the
 * pool's numbers equal the in-thread computation's bit for bit; aborts, a crashed worker and dispose are
 * answered with clear errors and never hang.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../main/engine/engine';
import { inThreadMetrics } from '../../main/eval/metrics/metricsComputer';
import {
  MAX_METRICS_WORKERS,
  MetricsPool,
  MetricsWorkerError,
  defaultMetricsPoolSize,
} from '../../main/eval/metrics/metricsPool';
import { COMPUTED_METRIC_VERSIONS, METRICS_PROTOCOL_VERSION } from '../../main/eval/metrics/metricsProtocol';
import { metricsWorkerEntry } from '../../main/eval/metrics/metricsWorkerPath';
import type { MetricsSide } from '../../main/eval/metrics/pairMetrics';
import { deterministicMetrics } from '../../main/eval/run/deterministicMetrics';
import type { CanonicalSide } from '../../main/eval/run/deterministicMetrics';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { openRenderHarness } from './render/renderHarness';
import type { RenderHarness } from './render/renderHarness';
import { sha256 } from './render/renderHarness';

const MINI = join(repoRoot, 'resources/sample/stem2code-mini');
interface MiniItem {
  code: string;
  image: Buffer;
  category: string;
}
const miniItems: MiniItem[] = readFileSync(join(MINI, 'benchmark.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const row = JSON.parse(line) as {
      category: string;
      messages: { content: { type: string; text?: string; image?: string }[] }[];
    };
    return {
      code: row.messages[3]!.content[0]!.text!,
      image: readFileSync(join(MINI, row.messages[1]!.content[0]!.image!)),
      category: row.category,
    };
  });
// Three items of different kinds (different sizes too, so some pairs take the resize path).
const chosen = [...new Map(miniItems.map((item) => [item.category, item])).values()].slice(0, 3);

let harness: RenderHarness;
let sides: CanonicalSide[];
const dir = makeTempDir('codepercept-metrics-pool-');

beforeAll(async () => {
  harness = openRenderHarness('guards', 2);
  sides = await Promise.all(
    chosen.map(async ({ code }) => {
      const outcome = await harness.service.render(code, { mode: 'canonical', trace: true });
      if (outcome.status !== 'ok' || !outcome.image || !outcome.trace)
        throw new Error(`render failed: ${outcome.status} ${outcome.failure?.message}`);
      const png = harness.store.blobs.read(outcome.image.sha256);
      return { png, imageSha256: sha256(png), trace: outcome.trace, traceSha256: null };
    }),
  );
}, 120_000);

afterAll(async () => {
  await harness.close();
  dir.cleanup();
});

/** Every key, compared with Object.is: equal numbers, bit for bit (NaN and -0 included). */
function expectSameBits(actual: object, expected: object) {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [key, value] of Object.entries(expected))
    expect(Object.is((actual as Record<string, unknown>)[key], value), key).toBe(true);
}

/** A pair that keeps a worker busy: the largest renders against each other. */
const busyPair = (): [MetricsSide, MetricsSide] => [sides[0]!, sides[1]!];

describe('MetricsPool results', () => {
  it('scores every pair of the sample exactly as the in-thread function does', async () => {
    const pool = new MetricsPool({ size: 2 });
    try {
      const pairs = sides.flatMap((candidate) => sides.map((reference) => [candidate, reference] as const));
      const pooled = await Promise.all(
        pairs.map(([candidate, reference]) => deterministicMetrics(candidate, reference, { metrics: pool })),
      );
      for (const [i, [candidate, reference]] of pairs.entries()) {
        const inThread = await deterministicMetrics(candidate, reference, { metrics: inThreadMetrics });
        expectSameBits(pooled[i]!, inThread);
        // The stored JSON (what the metrics cache holds) is the same text.
        expect(JSON.stringify(pooled[i])).toBe(JSON.stringify(inThread));
      }
      // Not all ones: the pairs differ, so equal results mean equal computations.
      const identical = pooled[0]!;
      const different = pooled[1]!;
      expect(identical.ssim).toBe(1);
      expect(different.ssim).toBeLessThan(0.99);
      expect(different.textF1).toBeLessThan(1);
      expect(pool.workers).toBe(2);
      // The caller's PNG bytes are copied, not transferred away: the perceptual scorer reads them next.
      for (const side of sides) expect(sha256(Buffer.from(side.png))).toBe(side.imageSha256);
    } finally {
      await pool.dispose();
    }
  }, 120_000);

  it('compares re-renders with dataset images exactly as the in-thread function does', async () => {
    const pool = new MetricsPool({ size: 2 });
    try {
      for (const [i, item] of chosen.entries()) {
        const [pooled, inThread] = await Promise.all([
          pool.compareRenders(item.image, sides[i]!.png),
          inThreadMetrics.compareRenders(item.image, sides[i]!.png),
        ]);
        expect(Object.is(pooled.ssim, inThread.ssim)).toBe(true);
        expect(Object.is(pooled.iou, inThread.iou)).toBe(true);
        expect(pooled.diff.width).toBe(inThread.diff.width);
        expect(pooled.diff.height).toBe(inThread.diff.height);
        expect(Buffer.compare(Buffer.from(pooled.diff.data), Buffer.from(inThread.diff.data))).toBe(0);
        expect(pooled.ssim).toBeGreaterThan(0.5);
      }
    } finally {
      await pool.dispose();
    }
  });

  it("fails a metric's own error with the in-thread function's words", async () => {
    const pool = new MetricsPool({ size: 1 });
    try {
      const notPng = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const inThread = await inThreadMetrics.compareRenders(notPng, sides[0]!.png).catch((e: Error) => e);
      const pooled = await pool.compareRenders(notPng, sides[0]!.png).catch((e: Error) => e);
      expect(inThread).toBeInstanceOf(Error);
      expect(pooled).toBeInstanceOf(Error);
      expect((pooled as Error).message).toBe((inThread as Error).message);
      expect((pooled as Error).name).toBe((inThread as Error).name);
      // The worker survived its task's error.
      const after = await pool.pairMetrics(sides[2]!, sides[2]!);
      expect(after.ssim).toBe(1);
    } finally {
      await pool.dispose();
    }
  });
});

describe('MetricsPool aborts', () => {
  it('drops an aborted task from the queue and answers the others', async () => {
    const pool = new MetricsPool({ size: 1 });
    try {
      const expected = await inThreadMetrics.pairMetrics(...busyPair());
      const first = pool.pairMetrics(...busyPair());
      const controller = new AbortController();
      const dropped = pool.pairMetrics(...busyPair(), controller.signal);
      const last = pool.pairMetrics(...busyPair());
      expect(pool.queued).toBe(2);
      controller.abort();
      expect(pool.queued).toBe(1);
      await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
      expectSameBits(await first, expected);
      expectSameBits(await last, expected);
    } finally {
      await pool.dispose();
    }
  });

  it('answers a running task with its abort at once and ignores its late result', async () => {
    const pool = new MetricsPool({ size: 1 });
    try {
      const controller = new AbortController();
      const running = pool.pairMetrics(...busyPair(), controller.signal);
      const next = pool.pairMetrics(sides[2]!, sides[0]!);
      expect(pool.queued).toBe(1);
      controller.abort();
      await expect(running).rejects.toMatchObject({ name: 'AbortError' });
      // The next task waits for the worker to finish the abandoned one, then gets its own numbers.
      expectSameBits(await next, await inThreadMetrics.pairMetrics(sides[2]!, sides[0]!));
      await expect(pool.pairMetrics(...busyPair(), AbortSignal.abort())).rejects.toMatchObject({
        name: 'AbortError',
      });
    } finally {
      await pool.dispose();
    }
  });
  it('watches a signal shared by many tasks (an eval job gives all its items one) with one listener', async () => {
    const pool = new MetricsPool({ size: 1 });
    try {
      const controller = new AbortController();
      const tasks = Array.from({ length: 12 }, () =>
        pool.pairMetrics(...busyPair(), controller.signal).catch((e: unknown) => e),
      );
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort();
      for (const error of await Promise.all(tasks)) expect(error).toMatchObject({ name: 'AbortError' });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(pool.queued).toBe(0);
    } finally {
      await pool.dispose();
    }
  });
});

describe('MetricsPool failures', () => {
  it('fails the task of a crashed worker with a clear error, replaces the worker and keeps working', async () => {
    // The real worker, plus a trigger that crashes the thread on a 4-byte render (as a native fault would):
    // the crash cannot be provoked in the real worker on purpose.
    // ES modules run in import order, so the trigger's listener sees each task before the real worker's does.
    const trigger = join(dir.path, 'crashTrigger.mjs');
    writeFileSync(
      trigger,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m?.task?.kind === 'compare' && m.task.renderPng.byteLength === 4) throw new Error('simulated crash');
});
`,
    );
    const crashing = join(dir.path, 'crashingMetricsWorker.mjs');
    writeFileSync(
      crashing,
      `import ${JSON.stringify(pathToFileURL(trigger).href)};
import ${JSON.stringify(pathToFileURL(metricsWorkerEntry()).href)};
`,
    );
    const logged: string[] = [];
    const pool = new MetricsPool({ size: 1, entry: () => crashing, log: (m) => logged.push(m) });
    try {
      const crashed = pool.compareRenders(sides[0]!.png, new Uint8Array(4));
      const queued = pool.pairMetrics(sides[1]!, sides[2]!);
      const error = await crashed.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MetricsWorkerError);
      expect((error as MetricsWorkerError).code).toBe('WORKER_CRASHED');
      expect((error as Error).message).toMatch(/metrics worker stopped \(exit code 1: simulated crash\)/);
      expect(logged.join('\n')).toMatch(/exited with code 1/);
      // The queued task runs on the replacement worker.
      expectSameBits(await queued, await inThreadMetrics.pairMetrics(sides[1]!, sides[2]!));
      expect(pool.workers).toBe(1);
      const again = await pool.compareRenders(chosen[0]!.image, sides[0]!.png);
      expect(again.ssim).toBeGreaterThan(0.5);
    } finally {
      await pool.dispose();
    }
  });

  it('refuses the answers of a worker built with other metric versions, saying to rebuild', async () => {
    // The real worker, announced as computing another SSIM version (as a stale build would).
    const stale = join(dir.path, 'staleMetricsWorker.mjs');
    writeFileSync(
      stale,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage(${JSON.stringify({
        type: 'ready',
        protocol: METRICS_PROTOCOL_VERSION,
        versions: { ...COMPUTED_METRIC_VERSIONS, ssim: COMPUTED_METRIC_VERSIONS.ssim! + 1 },
      })});
await import(${JSON.stringify(pathToFileURL(metricsWorkerEntry()).href)});
`,
    );
    const pool = new MetricsPool({ size: 1, entry: () => stale });
    try {
      const error = await pool.pairMetrics(sides[2]!, sides[2]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MetricsWorkerError);
      expect((error as MetricsWorkerError).code).toBe('WORKER_MISMATCH');
      expect((error as Error).message).toContain(`"ssim":${COMPUTED_METRIC_VERSIONS.ssim! + 1}`);
      expect((error as Error).message).toContain('Run: npm run build');
      expect(pool.workers).toBe(0);
    } finally {
      await pool.dispose();
    }
  });

  it('says to build when the worker file is missing', async () => {
    const missing = join(dir.path, 'nowhere', 'metricsWorker.js');
    const pool = new MetricsPool({
      size: 1,
      entry: () => metricsWorkerEntry({ CODEPERCEPT_METRICS_WORKER: missing }),
    });
    await expect(pool.pairMetrics(sides[0]!, sides[0]!)).rejects.toThrow(
      `The metrics worker is not built (${missing} is missing). Run: npm run build`,
    );
    await pool.dispose();
  });

  it('dispose fails queued and running tasks, terminates the workers and refuses new tasks', async () => {
    const pool = new MetricsPool({ size: 1 });
    const running = pool.pairMetrics(...busyPair()).catch((e: unknown) => e);
    const queued = pool.pairMetrics(...busyPair()).catch((e: unknown) => e);
    expect(pool.workers).toBe(1);
    await pool.dispose();
    for (const error of [await running, await queued]) {
      expect(error).toBeInstanceOf(MetricsWorkerError);
      expect((error as MetricsWorkerError).code).toBe('POOL_DISPOSED');
    }
    expect(pool.workers).toBe(0);
    expect(pool.queued).toBe(0);
    await expect(pool.pairMetrics(...busyPair())).rejects.toMatchObject({ code: 'POOL_DISPOSED' });
  });
});

describe('the engine and its metrics pool', () => {
  it('creates one pool, starts workers on first use and terminates them on dispose', async () => {
    const engine = createEngine({
      dataDir: join(dir.path, 'engine'),
      command: 'metrics pool test',
      log: () => {},
      environmentChecks: async () => [],
      metricsPoolSize: 2,
    });
    const pool = engine.metrics as MetricsPool;
    try {
      expect(pool).toBeInstanceOf(MetricsPool);
      expect(pool.size).toBe(2);
      expect(pool.workers).toBe(0);
      expect((await pool.pairMetrics(sides[2]!, sides[2]!)).ssim).toBe(1);
      expect(pool.workers).toBe(1);
    } finally {
      await engine.dispose();
    }
    expect(pool.workers).toBe(0);
    await expect(pool.pairMetrics(sides[2]!, sides[2]!)).rejects.toMatchObject({ code: 'POOL_DISPOSED' });
  });
});

describe('the metrics worker contract', () => {
  it('announces its protocol and refuses a request it cannot read', async () => {
    const worker = new Worker(metricsWorkerEntry());
    try {
      const replies: unknown[] = [];
      const twoReplies = new Promise<void>((resolve) =>
        worker.on('message', (m) => {
          if (replies.push(m) === 2) resolve();
        }),
      );
      worker.postMessage({
        protocol: METRICS_PROTOCOL_VERSION,
        id: 7,
        task: { kind: 'pair', candidate: {} },
      });
      await twoReplies;
      expect(replies[0]).toEqual({
        type: 'ready',
        protocol: METRICS_PROTOCOL_VERSION,
        versions: COMPUTED_METRIC_VERSIONS,
      });
      expect(replies[1]).toMatchObject({ type: 'failed', id: 7, name: 'TypeError' });
      expect((replies[1] as { message: string }).message).toMatch(/does not understand/);
    } finally {
      await worker.terminate();
    }
  });

  it('is found beside the bundle that runs, else in out/node', () => {
    expect(metricsWorkerEntry({})).toBe(join(repoRoot, 'out', 'node', 'metricsWorker.js'));
    expect(metricsWorkerEntry({}, join(repoRoot, 'out', 'main', 'engine.js'))).toBe(
      join(repoRoot, 'out', 'main', 'metricsWorker.js'),
    );
  });

  it('sizes the pool one worker under the cores, at least one, at most the cap', () => {
    expect(defaultMetricsPoolSize(1)).toBe(1);
    expect(defaultMetricsPoolSize(2)).toBe(1);
    expect(defaultMetricsPoolSize(4)).toBe(3);
    expect(defaultMetricsPoolSize(64)).toBe(MAX_METRICS_WORKERS);
    expect(() => new MetricsPool({ size: 0 })).toThrow(RangeError);
    expect(() => new MetricsPool({ size: MAX_METRICS_WORKERS + 1 })).toThrow(RangeError);
  });
});
