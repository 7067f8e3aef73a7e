// Bundles the CLI (and with it the engine) for plain Node. Dependencies stay external: they are installed,
// and better-sqlite3 is a native module that cannot be bundled.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  // The model host is forked once per loaded model (main/models/host/hostEntryPath.ts finds it here); the
  // metrics worker is the engine's worker thread for image metrics (main/eval/metrics/metricsWorkerPath.ts).
  entryPoints: {
    cli: 'main/cli/index.ts',
    modelHost: 'main/models/host/hostEntry.ts',
    metricsWorker: 'main/eval/metrics/metricsWorker.ts',
  },
  outdir: 'out/node',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  // The chart command renders the renderer's React chart components (.tsx) to SVG.
  jsx: 'automatic',
  sourcemap: true,
  define: { __CODEPERCEPT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
console.log('out/node/cli.js, out/node/modelHost.js and out/node/metricsWorker.js built');
