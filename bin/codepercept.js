#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run automatically by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';

const bundle = new URL('../out/node/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('codepercept is not built yet. Run: npm run build\n');
  process.exit(1);
}
await import(bundle.href);
