/**
 * Render throughput on the same 60 programs, four ways (all canonical 800×600 at dpi 100, cache off):
 *   (a) a fresh `python3 file.py` per program, as the published evaluation script runs them — one at a time
 *       (a1) and as many at a time as the pool has workers (a), the fair comparison;
 *   (b) the render pool: warm zygotes in bubblewrap, a seccomp'd fresh fork per job (cores workers);
 *   (c) an unsandboxed warm loop: one Python process exec'ing every program in turn, no isolation at all;
 *   (d) the pool with one worker, to compare per-job cost with (c) at equal parallelism.
 * Prints programs/s and the ratios the renderer issue targets: (b)/(a) ≥ 6, (c)/(d) ≤ 1.3 (time ratio).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RenderService } from '../../main/render/renderService';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import { makeTempDir } from '../support/tempDir';
import { renderPrograms } from './renderPrograms';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const programs = renderPrograms(60);
const cores = availableParallelism();
const SAVE =
  "\nimport matplotlib.pyplot as _plt\n_f = _plt.gcf()\n_f.set_size_inches(8, 6)\n_f.savefig('out.png', dpi=100)\n";

async function mapLimit<T>(
  items: T[],
  limit: number,
  body: (item: T, i: number) => Promise<void>,
): Promise<void> {
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
  const rate = programs.length / seconds;
  console.log(
    `${label.padEnd(62)} ${seconds.toFixed(2).padStart(7)} s  ${rate.toFixed(1).padStart(6)} programs/s`,
  );
  return seconds;
}

const work = makeTempDir('codepercept-render-bench-');

// (a) fresh interpreter per program: one at a time, and as many at a time as the pool has workers
async function freshRuns(parallel: number): Promise<number> {
  const t0 = performance.now();
  await mapLimit(programs, parallel, async (code, i) => {
    const dir = join(work.path, `p${parallel}-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'prog.py'), code + SAVE);
    await run(PYTHON, ['prog.py'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', MPLBACKEND: 'Agg', HOME: dir },
    });
  });
  return (performance.now() - t0) / 1000;
}
const freshSequential = report('(a1) fresh python3 per program, one at a time', await freshRuns(1));
const fresh = report(`(a) fresh python3 per program, ${cores} at a time`, await freshRuns(cores));

// (c) warm unsandboxed loop in one process
const programsFile = join(work.path, 'programs.json');
writeFileSync(programsFile, JSON.stringify(programs));
const loop = `
import io, json, sys, time
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt, numpy
programs = json.load(open(sys.argv[1]))
start = time.perf_counter()
for code in programs:
    exec(compile(code, '<prog>', 'exec'), {'__name__': '__main__'})
    f = plt.gcf(); f.set_size_inches(8, 6); f.savefig(io.BytesIO(), format='png', dpi=100)
    plt.close('all')
print(time.perf_counter() - start)
`;
const { stdout } = await run(PYTHON, ['-c', loop, programsFile], {
  env: { PATH: '/usr/bin:/bin', MPLBACKEND: 'Agg', HOME: work.path },
});
const warmLoop = report('(c) warm loop in one process, no isolation', Number(stdout.trim()));

async function pooled(label: string, poolSize: number, trace: boolean): Promise<number> {
  const dir = makeTempDir('codepercept-render-bench-store-');
  const store = openWorkbenchStore(dir.path, 'render bench');
  const service = new RenderService({ store, pythonPath: () => PYTHON, poolSize, log: () => {} });
  const startAt = performance.now();
  await service.start();
  const startup = performance.now() - startAt;
  const t = performance.now();
  const outcomes = await Promise.all(
    programs.map((code) =>
      service.render(code, { width: 800, height: 600, dpi: 100, trace }, { useCache: false }),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  const failed = outcomes.filter((o) => o.status !== 'ok');
  const health = service.health();
  await service.dispose();
  store.close();
  dir.cleanup();
  if (failed.length > 0) console.log(`  ${failed.length} failed: ${JSON.stringify(failed[0]?.failure)}`);
  report(
    `${label} [${health.sandbox}${health.seccomp ? '+seccomp' : ''}, start-up ${Math.round(startup)} ms]`,
    seconds,
  );
  return seconds;
}

const poolNoTrace = await pooled(`(b) render pool, ${cores} workers, fork per job, no trace`, cores, false);
const poolTrace = await pooled(`(b') render pool, ${cores} workers, fork per job, with trace`, cores, true);
const poolOne = await pooled('(d) render pool, 1 worker, fork per job, no trace', 1, false);

const ratio = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
console.log('');
ratio(
  'pool vs fresh interpreters, equal parallelism (b)/(a):',
  `${(fresh / poolNoTrace).toFixed(1)}× faster (target ≥ 6×)`,
);
ratio(
  'pool vs fresh interpreters one at a time (b)/(a1):',
  `${(freshSequential / poolNoTrace).toFixed(1)}× faster`,
);
ratio("pool with trace vs fresh, equal parallelism (b')/(a):", `${(fresh / poolTrace).toFixed(1)}× faster`);
ratio('1-worker pool vs warm loop, time (d)/(c):', `${(poolOne / warmLoop).toFixed(2)}× (target ≤ 1.3×)`);
ratio(`${cores}-worker pool vs warm loop, time (b)/(c):`, `${(poolNoTrace / warmLoop).toFixed(2)}×`);
work.cleanup();
