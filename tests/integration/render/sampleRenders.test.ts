import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_CATEGORIES, generateSample } from '../../../main/icc/generators';
import { SAMPLE_PER_CATEGORY, SAMPLE_RENDER, SAMPLE_SEED } from '../../../main/icc/sampleLayout';
import { openRenderHarness } from './renderHarness';
import type { RenderHarness } from './renderHarness';

const BENCHMARK = join('resources', 'sample', 'stem2code-mini', 'benchmark.jsonl');

describe('generated ICC figures through the real render pool', () => {
  let harness: RenderHarness;
  beforeAll(async () => {
    harness = openRenderHarness('auto', 2);
    await harness.service.start();
  }, 60_000);
  afterAll(() => harness.close());

  it('renders figures of every category from a fresh seed, drawing every text its caption quotes', async () => {
    // A seed other than the sample's, so these are programs nobody has rendered before.
    const figures = generateSample(99, 8);
    const outcomes = await Promise.all(
      figures.map((f) => harness.service.render(f.code, SAMPLE_RENDER, { useCache: false })),
    );
    outcomes.forEach((outcome, i) => {
      const figure = figures[i];
      expect({ uid: figure?.uid, status: outcome.status, stderr: outcome.stderr }).toMatchObject({
        status: 'ok',
      });
      expect(outcome.image).toMatchObject({ width: 640, height: 480 });
      // Captions come from the parameters, so the trace of the real render is the check that they hold:
      // every string a caption quotes is a visible text of the figure.
      const visible = [...(outcome.trace?.summary.texts ?? []), ...(outcome.trace?.summary.tickLabels ?? [])];
      const quoted = [...(figure?.caption ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
      expect({ uid: figure?.uid, missing: quoted.filter((q) => !visible.includes(q ?? '')) }).toEqual({
        uid: figure?.uid,
        missing: [],
      });
    });
    expect(new Set(figures.map((f) => f.category))).toEqual(new Set(FIGURE_CATEGORIES));
  }, 60_000);
});

describe('the bundled STEM2Code mini benchmark', () => {
  const lines = readFileSync(BENCHMARK, 'utf8').trim().split('\n');
  const figures = new Map(generateSample(SAMPLE_SEED, SAMPLE_PER_CATEGORY).map((f) => [f.uid, f]));

  it('has at least 40 official-layout lines whose images exist and whose code is the generated item', () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    for (const line of lines) {
      const { messages } = JSON.parse(line) as {
        messages: { role: string; content: { type: string; image?: string; text?: string }[] }[];
      };
      const image = messages[1]?.content[0]?.image ?? '';
      expect(image).toMatch(/^images\/.+\.png$/);
      expect(existsSync(join(dirname(BENCHMARK), image))).toBe(true);
      const uid = image.slice('images/'.length, -'.png'.length);
      expect(messages[3]?.content[0]?.text).toBe(figures.get(uid)?.code);
      expect(messages[2]?.content[0]?.text).toBe(figures.get(uid)?.caption);
    }
  });
});
