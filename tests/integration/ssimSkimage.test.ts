import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRgba } from '../../main/eval/metrics/imagePair';
import { toGrey } from '../../main/eval/metrics/pixels';
import type { GreyImage } from '../../main/eval/metrics/pixels';
import { ssim } from '../../main/eval/metrics/ssim';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const PYTHON = '/usr/bin/python3';

/** scikit-image's SSIM with the parameters our metric claims to reproduce, on raw grey bytes. */
const SKIMAGE_SSIM = `
import json, sys
import numpy as np
try:
    from skimage.metrics import structural_similarity
except ImportError as error:
    sys.exit(f"scikit-image is not importable ({error}); install it: apt-get install python3-skimage")
pairs = json.load(open(sys.argv[1]))
out = []
for p in pairs:
    a, b = (np.fromfile(f, dtype=np.uint8).reshape(p["height"], p["width"]).astype(np.float64) for f in (p["a"], p["b"]))
    out.append(structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255))
print(json.dumps(out))
`;

function grey(width: number, height: number, at: (x: number, y: number) => number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = at(x, y);
  return { width, height, data };
}

function noise(width: number, height: number, seed: number): GreyImage {
  let s = seed >>> 0;
  return grey(width, height, () => ((s = (s * 1664525 + 1013904223) >>> 0), s >>> 24));
}

const sampleImage = (name: string) =>
  readFileSync(join(repoRoot, 'resources/sample/stem2code-mini/images', `${name}.png`));

describe('SSIM agrees with scikit-image', () => {
  const dir = makeTempDir('codepercept-ssim-');
  afterAll(() => dir.cleanup());

  it('to within 1e-3 on figures, noise, shifts, flat and odd-sized images', async () => {
    const figureA = toGrey(await decodeRgba(sampleImage('function_plot-20260310-000')));
    const figureB = toGrey(await decodeRgba(sampleImage('function_plot-20260310-001')));
    const chart = toGrey(await decodeRgba(sampleImage('chart-20260310-000')));
    const blurred = toGrey(
      await decodeRgba(await sharp(sampleImage('chart-20260310-000')).blur(1.2).png().toBuffer()),
    );
    const shifted = grey(
      chart.width,
      chart.height,
      (x, y) => chart.data[y * chart.width + Math.max(0, x - 3)]!,
    );
    const pairs: [string, GreyImage, GreyImage][] = [
      ['two different function plots', figureA, figureB],
      ['a chart and its blur', chart, blurred],
      ['a chart and itself shifted 3 px', chart, shifted],
      ['noise vs noise, odd size', noise(37, 23, 1), noise(37, 23, 2)],
      [
        'noise vs itself + 40',
        noise(64, 48, 3),
        grey(64, 48, (x, y) => Math.min(255, noise(64, 48, 3).data[y * 64 + x]! + 40)),
      ],
      ['flat 0 vs flat 255', grey(11, 11, () => 0), grey(11, 11, () => 255)],
      ['gradient vs inverted gradient', grey(50, 40, (x) => x * 5), grey(50, 40, (x) => 255 - x * 5)],
    ];
    const spec = pairs.map(([, a, b], i) => {
      writeFileSync(join(dir.path, `${i}a.raw`), a.data);
      writeFileSync(join(dir.path, `${i}b.raw`), b.data);
      return {
        width: a.width,
        height: a.height,
        a: join(dir.path, `${i}a.raw`),
        b: join(dir.path, `${i}b.raw`),
      };
    });
    writeFileSync(join(dir.path, 'pairs.json'), JSON.stringify(spec));
    let stdout: string;
    try {
      stdout = execFileSync(PYTHON, ['-c', SKIMAGE_SSIM, join(dir.path, 'pairs.json')], { encoding: 'utf8' });
    } catch (error) {
      // Not a skip: CI installs python3-skimage (.ci/run), so its absence is a broken environment.
      throw new Error(
        `The scikit-image reference could not run with ${PYTHON}: ${(error as { stderr?: string }).stderr ?? String(error)}`,
        { cause: error },
      );
    }
    const reference = JSON.parse(stdout) as number[];
    const rows = pairs.map(([name, a, b], i) => ({ name, ts: ssim(a, b), skimage: reference[i]! }));
    const worst = Math.max(...rows.map((r) => Math.abs(r.ts - r.skimage)));
    console.log(`SSIM TS vs scikit-image: max |diff| ${worst.toExponential(2)}`);
    for (const row of rows) expect(Math.abs(row.ts - row.skimage), row.name).toBeLessThan(1e-3);
    // The pairs span the scale, so agreement is not agreement on one easy value.
    expect(Math.min(...rows.map((r) => r.skimage))).toBeLessThan(0.1);
    expect(Math.max(...rows.map((r) => r.skimage))).toBeGreaterThan(0.8);
  }, 60_000);
});
