/**
 * Scoring throughput on the bundled mini benchmark (48 items), predictions mode, answers that reproduce each
 * reference (plus a comment, so no render is a cache hit):
 *   (a1) the published script's approach: one fresh `python3` per item running the answer with the official
 *        save appended (dpi 300), one at a time, as the script does; (a) the same, as many at a time as the
 *        render pool has workers — the fair comparison;
 *   (b) our scoring stages: official render (Exec Rate) + canonical renders of answer and reference code with
 *       traces + every deterministic metric, through the eval job (render pool warmed first: a one-off cost);
 *   (c) the same answers as a second run: renders from the render cache, metrics from the stage cache.
 * (b) does three renders, two traces and the metrics per item where (a) does one bare render.
 * Run: npm run bench -- tests/bench/eval.bench.ts
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEngine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { makeTempDir } from '../support/tempDir';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const MINI = join(process.cwd(), 'resources/sample/stem2code-mini/benchmark.jsonl');
const cores = availableParallelism();

const references = readFileSync(MINI, 'utf8')
  .trim()
  .split('\n')
  .map(
    (l) => (JSON.parse(l) as { messages: { content: { text?: string }[] }[] }).messages[3]!.content[0]!.text!,
  );
const answers = references.map((code, i) => `${code}\n# answer ${i}\n`);
const work = makeTempDir('codepercept-eval-bench-');

async function mapLimit<T>(items: T[], limit: number, body: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await body(items[i]!, i);
      }
    }),
  );
}

function report(label: string, seconds: number): number {
  console.log(
    `${label.padEnd(70)} ${seconds.toFixed(2).padStart(7)} s  ${(answers.length / seconds).toFixed(2).padStart(6)} items/s`,
  );
  return seconds;
}

async function freshPython(parallel: number): Promise<number> {
  const t0 = performance.now();
  await mapLimit(answers, parallel, async (code, i) => {
    const dir = join(work.path, `fresh-${parallel}-${i}`);
    mkdirSync(dir, { recursive: true });
    // The official rule with no savefig/show in the code: append the save at dpi 300.
    writeFileSync(
      join(dir, 'answer.py'),
      `${code}\nimport matplotlib.pyplot as plt\nplt.savefig('out.png', dpi=300)\n`,
    );
    await run(PYTHON, ['answer.py'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', MPLBACKEND: 'Agg', HOME: dir },
    });
  });
  return (performance.now() - t0) / 1000;
}

const sequential = report(
  '(a1) fresh python3 per item, one at a time (the published script)',
  await freshPython(1),
);
const fresh = report(`(a) fresh python3 per item, ${cores} at a time`, await freshPython(cores));

const engine = createEngine({
  dataDir: join(work.path, 'data'),
  command: 'eval bench',
  log: () => {},
  environmentChecks: async () => [],
});
const client = connectInProcess(engine);
const imported = await client.call('datasets.import', { path: MINI, format: 'stem2code', name: 'mini' });
await engine.jobs.waitFor(imported.id);
await engine.render.start();
const predictions = join(work.path, 'predictions.jsonl');
writeFileSync(
  predictions,
  `${answers.map((a, i) => JSON.stringify({ uid: String(i), response: `\`\`\`python\n${a}\n\`\`\`` })).join('\n')}\n`,
);

async function scoringRun(
  name: string,
): Promise<{ seconds: number; execRate: number | null; ssim: number | null }> {
  const t0 = performance.now();
  const { runId, job } = await client.call('eval.start', {
    name,
    benchmarkDatasetId: engine.catalog.datasets.resolve('mini').id,
    subject: { kind: 'predictions', path: predictions, format: 'ours' },
  });
  const final = await engine.jobs.waitFor(job.id);
  const seconds = (performance.now() - t0) / 1000;
  if (final.state !== 'done' || final.failed > 0)
    throw new Error(`${name}: ${final.state} ${final.error ?? ''}`);
  const { summary } = await client.call('eval.run', { id: runId });
  return {
    seconds,
    execRate: summary.overall.execRate.mean,
    ssim: summary.overall.metrics.ssim.conditional.mean,
  };
}

const first = await scoringRun('bench');
const ours = report(
  `(b) eval scoring stages, ${engine.render.health().workers.length} render workers [${engine.render.health().sandbox}]`,
  first.seconds,
);
const again = await scoringRun('bench again');
const cached = report('(c) the same answers again (render cache + metrics stage cache)', again.seconds);
console.log(
  `    Exec Rate ${first.execRate}, mean SSIM ${first.ssim?.toFixed(4)} (both runs: ${again.execRate}, ${again.ssim?.toFixed(4)})`,
);

client.close();
await engine.dispose();
work.cleanup();

const ratio = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`);
console.log('');
ratio(
  'eval scoring vs fresh python3 one at a time (b)/(a1):',
  `${(sequential / ours).toFixed(2)}× the items/s`,
);
ratio(
  'eval scoring vs fresh python3, equal parallelism (b)/(a):',
  `${(fresh / ours).toFixed(2)}× the items/s`,
);
ratio(
  'cached re-score vs fresh python3, equal parallelism (c)/(a):',
  `${(fresh / cached).toFixed(2)}× the items/s`,
);
