import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findAppPaths } from '../../render/appPaths';

/**
 * The bundled model host (scripts/build-node.mjs writes out/node/modelHost.js next to the CLI). The desktop
 * app, `serve` and the CLI all fork this one file; CODEPERCEPT_MODEL_HOST points elsewhere (tests build their own).
 */
export function modelHostEntry(env: NodeJS.ProcessEnv = process.env): string {
  const entry = env.CODEPERCEPT_MODEL_HOST ?? join(findAppPaths().root, 'out', 'node', 'modelHost.js');
  if (!existsSync(entry))
    throw new Error(`The model host is not built (${entry} is missing). Run: npm run build`);
  return entry;
}
