// Bundles scripts/build-sample.ts with esbuild (dependencies stay external) and runs it with this Node,
// from the repository root so the render pool finds native/python and the output lands in resources/.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const outfile = '.cache/sample/build-sample.mjs';
await build({
  entryPoints: ['scripts/build-sample.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(run.status ?? 1);
