import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cannyEdges, edgeMapF1 } from '../../main/eval/metrics/edgeF1';
import { decodeRgba } from '../../main/eval/metrics/imagePair';
import { toGrey } from '../../main/eval/metrics/pixels';
import type { GreyImage } from '../../main/eval/metrics/pixels';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const PYTHON = '/usr/bin/python3';

/** scikit-image's Canny with its defaults (σ 1, thresholds 0.1 / 0.2 on the 0–1 image), edge maps as raw bytes. */
const SKIMAGE_CANNY = `
import json, sys
import numpy as np
try:
    from skimage.feature import canny
except ImportError as error:
    sys.exit(f"scikit-image is not importable ({error}); install it: apt-get install python3-skimage")
for p in json.load(open(sys.argv[1])):
    image = np.fromfile(p["image"], dtype=np.uint8).reshape(p["height"], p["width"])
    canny(image).astype(np.uint8).tofile(p["edges"])
`;

const IMAGES = join(repoRoot, 'resources/sample/stem2code-mini/images');

describe('Canny edges agree with scikit-image feature.canny', () => {
  const dir = makeTempDir('codepercept-canny-');
  afterAll(() => dir.cleanup());

  it('on the sample benchmark figures: the same edges to within 1 px', async () => {
    const names = readdirSync(IMAGES)
      .filter((f) => f.endsWith('.png'))
      .sort();
    // One figure per category keeps the test quick on 2 cores.
    const picked = [...new Map(names.map((f) => [f.split('-')[0], f])).values()];
    const images: [string, GreyImage][] = [];
    for (const name of picked)
      images.push([name, toGrey(await decodeRgba(readFileSync(join(IMAGES, name))))]);
    const spec = images.map(([, image], i) => {
      writeFileSync(join(dir.path, `${i}.raw`), image.data);
      return {
        width: image.width,
        height: image.height,
        image: join(dir.path, `${i}.raw`),
        edges: join(dir.path, `${i}.edges`),
      };
    });
    writeFileSync(join(dir.path, 'images.json'), JSON.stringify(spec));
    try {
      execFileSync(PYTHON, ['-c', SKIMAGE_CANNY, join(dir.path, 'images.json')], { encoding: 'utf8' });
    } catch (error) {
      // Not a skip: CI installs python3-skimage (.ci/run), so its absence is a broken environment.
      throw new Error(
        `The scikit-image reference could not run with ${PYTHON}: ${(error as { stderr?: string }).stderr ?? String(error)}`,
        { cause: error },
      );
    }
    for (const [i, [name, image]] of images.entries()) {
      const ours = cannyEdges(image).data;
      const theirs = new Uint8Array(readFileSync(spec[i]!.edges));
      let both = 0;
      let either = 0;
      for (let p = 0; p < ours.length; p++) {
        both += ours[p]! & theirs[p]!;
        either += ours[p]! | theirs[p]!;
      }
      const map = (data: Uint8Array) => ({ width: image.width, height: image.height, data });
      const within1 = edgeMapF1(map(theirs), map(ours), 1).f1;
      console.log(
        `${name}: ${either} edge px, same pixel ${(both / either).toFixed(3)}, F1 within 1 px ${within1.toFixed(4)}`,
      );
      expect(either, name).toBeGreaterThan(100);
      // Exact ties across a hard step are broken by rounding in scikit-image, by a fixed rule here (cannyEdges):
      // the same edge may sit one pixel apart, never farther.
      expect(within1, name).toBeGreaterThan(0.99);
      expect(both / either, name).toBeGreaterThan(0.6);
    }
  }, 60_000);
});
