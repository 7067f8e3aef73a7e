import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Three bundles: the Electron main process plus the engine's utilityProcess entry, the sandboxed preload
// (CommonJS, as sandboxed preloads require), and the React renderer that `codepercept serve` also serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/app/main.ts'),
          engine: resolve(__dirname, 'main/engine/utilityEntry.ts'),
          // The engine's worker thread for image metrics, found beside engine.js (metricsWorkerPath.ts).
          metricsWorker: resolve(__dirname, 'main/eval/metrics/metricsWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      // Fonts (KaTeX's smallest is under 4 KB) stay files: the CSP's default-src 'self' refuses data: fonts.
      assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
