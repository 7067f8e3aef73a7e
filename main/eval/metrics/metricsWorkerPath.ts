import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findAppPaths } from '../../render/appPaths';

/**
 * The bundled metrics worker: built beside the running bundle (out/node/metricsWorker.js next to the CLI,
 * out/main/metricsWorker.js next to the desktop engine), else out/node's (TypeScript sources under vitest run
 * after `npm run build`, as the model host does). CODEPERCEPT_METRICS_WORKER points elsewhere.
 */
export function metricsWorkerEntry(
  env: NodeJS.ProcessEnv = process.env,
  from: string = fileURLToPath(import.meta.url),
): string {
  const explicit = env.CODEPERCEPT_METRICS_WORKER;
  const beside = join(dirname(from), 'metricsWorker.js');
  const entry =
    explicit ??
    (existsSync(beside) ? beside : join(findAppPaths(from, env).root, 'out', 'node', 'metricsWorker.js'));
  if (!existsSync(entry))
    throw new Error(`The metrics worker is not built (${entry} is missing). Run: npm run build`);
  return entry;
}
