/**
 * Trace-based metrics on real traces: each figure is rendered by the real Python worker, then compared with
 * crafted variants that break one thing each. The reference against itself scores 1 on every metric; each
 * variant loses on the metric that measures what it broke, and keeps (near) full marks elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../main/api/trace';
import { elementMetrics } from '../../main/eval/elements/elementMetrics';
import type { ElementMetrics } from '../../main/eval/elements/elementMetrics';
import { openRenderHarness } from './render/renderHarness';
import type { RenderHarness } from './render/renderHarness';

const REFERENCE = `
import numpy as np
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 4))
x = np.linspace(0, 2 * np.pi, 200)
ax.plot(x, np.sin(x), color='tab:blue', label='sin')
ax.plot(x, np.cos(x), color='tab:orange', label='cos')
ax.plot([0, 6], [-1, 1], color='gray')
ax.add_patch(plt.Circle((3, 0), 0.5, fill=False, color='green'))
ax.add_patch(plt.Polygon([[1, -0.5], [2, -0.5], [1.5, 0.3]], color='purple', alpha=0.5))
ax.set_xlim(0, 2 * np.pi)
ax.set_ylim(-1.5, 1.5)
ax.set_title('Trigonometric functions')
ax.set_xlabel('angle (rad)')
ax.legend()
`;

const variants: Record<string, string> = {
  recoloured: REFERENCE.replace("color='tab:blue'", "color='red'").replace(
    "color='tab:orange'",
    "color='black'",
  ),
  seriesRemoved: REFERENCE.replace("ax.plot(x, np.cos(x), color='tab:orange', label='cos')\n", ''),
  wrongGeometry: REFERENCE.replace('plt.Circle((3, 0), 0.5', 'plt.Circle((4.5, 0.8), 0.2').replace(
    '[[1, -0.5], [2, -0.5], [1.5, 0.3]]',
    '[[4, -1], [5, -1], [4.5, -0.2]]',
  ),
  retitled: REFERENCE.replace('Trigonometric functions', 'Some curves').replace('angle (rad)', 'x'),
  rescaled: REFERENCE.replace('ax.set_xlim(0, 2 * np.pi)', 'ax.set_xlim(0, 10)'),
  twoPanels: REFERENCE.replace(
    'fig, ax = plt.subplots(figsize=(6, 4))',
    'fig, (ax, ax2) = plt.subplots(1, 2, figsize=(6, 4))',
  ),
  shiftedCurve: REFERENCE.replace('np.sin(x), color', 'np.sin(x) + 0.3, color'),
};

let harness: RenderHarness;
const traces = new Map<string, Trace>();

async function traceOf(code: string): Promise<Trace> {
  const outcome = await harness.service.render(code, { mode: 'canonical', trace: true });
  if (outcome.status !== 'ok' || !outcome.trace)
    throw new Error(`render failed: ${outcome.status} ${outcome.failure?.message}`);
  return outcome.trace;
}

beforeAll(async () => {
  harness = openRenderHarness('guards', 2);
  const entries = Object.entries({ reference: REFERENCE, ...variants });
  const rendered = await Promise.all(entries.map(([, code]) => traceOf(code)));
  entries.forEach(([name], i) => traces.set(name, rendered[i]!));
}, 120_000);

afterAll(() => harness.close());

const score = (name: string): ElementMetrics => elementMetrics(traces.get(name)!, traces.get('reference')!);
const KEYS = [
  'textF1',
  'tickLabelF1',
  'elementTypeF1',
  'colorF1',
  'layoutF1',
  'axesBoxIoU',
  'axisFidelity',
  'primitiveF1',
  'curveFidelity',
] as const;

describe('element metrics on real traces', () => {
  it('the reference against itself gets 1 on every metric', () => {
    const self = score('reference');
    for (const key of KEYS) expect(self[key], key).toBeCloseTo(1, 9);
    expect(self.version).toBe(1);
  });

  it('recolouring lowers colour F1 only', () => {
    const m = score('recoloured');
    expect(m.colorF1).toBeLessThan(0.8);
    for (const key of KEYS.filter((k) => k !== 'colorF1')) expect(m[key], key).toBeCloseTo(1, 6);
  });

  it('removing a series lowers element-type F1, colour F1, text F1 (legend) and curve fidelity', () => {
    const m = score('seriesRemoved');
    expect(m.elementTypeF1).toBeLessThan(1);
    expect(m.curveFidelity).toBeLessThan(0.75);
    expect(m.curveFidelity).toBeGreaterThan(0.4);
    expect(m.textF1).toBeLessThan(1);
    expect(m.primitiveF1).toBeCloseTo(1, 6);
    expect(m.axisFidelity).toBeCloseTo(1, 6);
  });

  it('moving the circle and the triangle lowers primitive F1 only', () => {
    const m = score('wrongGeometry');
    // 3 primitives (circle, triangle, segment): only the segment still matches → F1 = 1/3.
    expect(m.primitiveF1).toBeCloseTo(1 / 3, 6);
    expect(m.elementTypeF1).toBeCloseTo(1, 6);
    expect(m.curveFidelity).toBeCloseTo(1, 6);
    expect(m.textF1).toBeCloseTo(1, 6);
  });

  it('changing the title and the axis label lowers text F1 only', () => {
    const m = score('retitled');
    expect(m.textF1).toBeLessThan(0.7);
    expect(m.elementTypeF1).toBeCloseTo(1, 6);
    expect(m.colorF1).toBeCloseTo(1, 6);
  });

  it('different x limits lower axis fidelity and tick labels, and move the curves', () => {
    const m = score('rescaled');
    expect(m.axisFidelity).toBeLessThan(0.8);
    expect(m.tickLabelF1).toBeLessThan(1);
    expect(m.curveFidelity).toBeLessThan(1);
    expect(m.colorF1).toBeCloseTo(1, 6);
  });

  it('an extra subplot lowers layout F1 and axes-box IoU', () => {
    const m = score('twoPanels');
    expect(m.layoutF1).toBe(0);
    expect(m.axesBoxIoU).toBeLessThan(0.5);
  });

  it('shifting one curve by 0.3 lowers curve fidelity by about 0.3 / y-range on that curve', () => {
    const m = score('shiftedCurve');
    // sin's y range is 2 data units; in figure fraction the shift and range scale alike: nRMSE = 0.15.
    expect(m.curveFidelity).toBeLessThan(0.97);
    expect(m.curveFidelity).toBeGreaterThan(0.85);
  });

  it('orders the variants: every variant scores below the reference on the mean of all metrics', () => {
    const mean = (m: ElementMetrics) => KEYS.reduce((s, k) => s + m[k], 0) / KEYS.length;
    const reference = mean(score('reference'));
    for (const name of Object.keys(variants)) expect(mean(score(name)), name).toBeLessThan(reference);
  });
});
