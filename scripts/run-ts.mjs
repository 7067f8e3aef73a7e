// Runs TypeScript scripts (benchmarks in tests/bench, scripts/build-sample.ts): bundles each with esbuild
// (dependencies stay external), then executes it with this Node from the repository root.
// Usage: node scripts/run-ts.mjs FILE.ts [...]   (npm run bench -- tests/bench/<name>.bench.ts)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error(
    'usage: node scripts/run-ts.mjs FILE.ts [...]   e.g. npm run bench -- tests/bench/render.bench.ts',
  );
  process.exit(2);
}
mkdirSync('.cache/run-ts', { recursive: true });
let status = 0;
for (const file of files) {
  const outfile = join('.cache/run-ts', `${basename(file, '.ts')}.mjs`);
  await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  if (files.length > 1) console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  status ||= run.status ?? 1;
}
process.exit(status);
