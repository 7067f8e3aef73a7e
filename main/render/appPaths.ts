import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  root: string;
  /** native/python: the render worker and the tracer. */
  workerDir: string;
  /** resources/fonts: bundled fonts for deterministic text. */
  fontsDir: string;
}

/**
 * Finds the app's files from wherever the running code sits (TypeScript sources in tests, out/node for the
 * CLI, out/main for the desktop app): the nearest ancestor holding native/python/render_worker.py.
 * CODEPERCEPT_APP_ROOT overrides it (a packaged app points it at its resources).
 */
export function findAppPaths(
  from: string = fileURLToPath(import.meta.url),
  env: NodeJS.ProcessEnv = process.env,
): AppPaths {
  const explicit = env.CODEPERCEPT_APP_ROOT;
  let dir = explicit ?? dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'native', 'python', 'render_worker.py'))) {
      return {
        root: dir,
        workerDir: join(dir, 'native', 'python'),
        fontsDir: join(dir, 'resources', 'fonts'),
      };
    }
    const parent = dirname(dir);
    if (explicit || parent === dir) {
      throw new Error(
        `Cannot find native/python/render_worker.py above ${explicit ?? dirname(from)}; set CODEPERCEPT_APP_ROOT.`,
      );
    }
    dir = parent;
  }
}
