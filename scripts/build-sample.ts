// Builds resources/sample: seeded STEM figures rendered through the real sandboxed render pool, written as
// the official STEM2Code-Eval JSONL and a generic image–caption–code JSONL. Run: npm run sample:build
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../main/icc/generators';
import {
  iccLine,
  SAMPLE_PER_CATEGORY,
  SAMPLE_RENDER,
  SAMPLE_SEED,
  stem2codeLine,
} from '../main/icc/sampleLayout';
import { RenderService } from '../main/render/renderService';
import { openWorkbenchStore } from '../main/store/workbenchStore';

const OUT = join('resources', 'sample');
const figures = generateSample(SAMPLE_SEED, SAMPLE_PER_CATEGORY);
const dataDir = mkdtempSync(join(tmpdir(), 'codepercept-sample-'));
const store = openWorkbenchStore(dataDir, 'sample:build');
const service = new RenderService({
  store,
  pythonPath: () => null,
  poolSize: Math.min(4, availableParallelism()),
  log: (message) => console.error(message),
});

try {
  const rendered = await Promise.all(
    figures.map(async (figure) => ({
      figure,
      outcome: await service.render(figure.code, { ...SAMPLE_RENDER, trace: false }, { useCache: false }),
    })),
  );
  const failed = rendered.filter(({ outcome }) => outcome.status !== 'ok' || !outcome.image);
  for (const { figure, outcome } of failed)
    console.error(`${figure.uid}: ${outcome.status}\n${outcome.stderr}`);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${figures.length} sample figures did not render; nothing was written.`,
    );
  }

  // Only the generated folders are replaced; the README beside them is written by hand.
  for (const generated of ['stem2code-mini', 'icc-sample'])
    rmSync(join(OUT, generated), { recursive: true, force: true });
  const images = join(OUT, 'stem2code-mini', 'images');
  mkdirSync(images, { recursive: true });
  mkdirSync(join(OUT, 'icc-sample'), { recursive: true });
  for (const { figure, outcome } of rendered) {
    writeFileSync(join(images, `${figure.uid}.png`), store.blobs.read(outcome.image?.sha256 ?? ''));
  }
  const jsonl = (lines: unknown[]) => lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
  writeFileSync(
    join(OUT, 'stem2code-mini', 'benchmark.jsonl'),
    jsonl(figures.map((f) => stem2codeLine(f, `images/${f.uid}.png`))),
  );
  // The generic copy shares the benchmark's PNGs rather than duplicating them.
  writeFileSync(
    join(OUT, 'icc-sample', 'items.jsonl'),
    jsonl(figures.map((f) => iccLine(f, `../stem2code-mini/images/${f.uid}.png`))),
  );
  console.log(`wrote ${figures.length} items to ${OUT}`);
} finally {
  await service.dispose();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
