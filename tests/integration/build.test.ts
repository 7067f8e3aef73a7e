import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serveProcess';

// `npm test` runs `npm run build` first (electron-vite build + the CLI bundle); this checks what it produced.
describe('electron-vite build output', () => {
  const out = (p: string) => join(repoRoot, 'out', p);

  it('has the main process, the engine utilityProcess entry, the preload and the renderer', () => {
    for (const file of [
      'main/index.js',
      'main/engine.js',
      'preload/index.cjs',
      'renderer/index.html',
      'node/cli.js',
      // The engine's metrics worker threads, beside each engine bundle.
      'node/metricsWorker.js',
      'main/metricsWorker.js',
    ]) {
      expect(existsSync(out(file)), `out/${file}`).toBe(true);
    }
  });

  it('keeps electron out of the engine bundle and the CLI', () => {
    expect(readFileSync(out('main/engine.js'), 'utf8')).not.toMatch(
      /require\(["']electron["']\)|from ["']electron["']/,
    );
    expect(readFileSync(out('node/cli.js'), 'utf8')).not.toMatch(/from ["']electron["']/);
  });

  it('the preload is CommonJS, as sandboxed preloads must be', () => {
    const preload = readFileSync(out('preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*import\s/m);
  });
});
