import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalEnvironment } from '../../api/eval';
import type { RenderService } from '../../render/renderService';
import { metricVersions } from './deterministicMetrics';
import type { PerceptualIdentity } from './perceptualModel';

/** sha256 of each font file the renderer is given, by name: a changed font changes every text metric. */
export function fontHashes(fontsDir: string): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(fontsDir).filter((n) => /\.(ttf|otf|ttc)$/i.test(n));
  } catch {
    return {};
  }
  return Object.fromEntries(
    names.sort().map((n) => [
      n,
      createHash('sha256')
        .update(readFileSync(join(fontsDir, n)))
        .digest('hex'),
    ]),
  );
}

/**
 * What a run's numbers were made with. Starts the render pool, since the library versions are what its
 * workers report. `perceptual`: the run's perceptual model, when it has one.
 */
export async function environmentFingerprint(
  render: RenderService,
  fontsDir: string,
  engineVersion: string,
  perceptual: PerceptualIdentity | null = null,
): Promise<EvalEnvironment> {
  await render.start();
  const health = render.health();
  return {
    engineVersion,
    rendererVersion: health.rendererVersion,
    python: health.python?.version ?? null,
    matplotlib: health.python?.matplotlib ?? null,
    numpy: health.python?.numpy ?? null,
    fonts: fontHashes(fontsDir),
    metricVersions: metricVersions(perceptual !== null),
    perceptual,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
}
