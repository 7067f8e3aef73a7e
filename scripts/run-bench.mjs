// Runs a TypeScript benchmark from tests/bench: bundles it with esbuild (dependencies stay external), then
// executes it with this Node. Usage: npm run bench -- tests/bench/<name>.bench.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run bench -- tests/bench/<name>.bench.ts [...]');
  process.exit(2);
}
mkdirSync('.cache/bench', { recursive: true });
let status = 0;
for (const file of files) {
  const outfile = join('.cache/bench', `${basename(file, '.ts')}.mjs`);
  await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  status ||= run.status ?? 1;
}
process.exit(status);
