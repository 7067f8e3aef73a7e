import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { chartCommand, chartSvg, renderChartFile } from '../../main/cli/commands/chart';
import type { ChartInput } from '../../main/cli/commands/chart';
import { ARTIFACTS } from '../support/chromiumPage';
import { fixtureExternal, fixtureStudy } from '../e2e/chartsFixture';

/**
 * `codepercept chart`'s rendering: the page's chart components through react-dom/server into a standalone
 * SVG (concrete colours), and that SVG through sharp into a PNG. The PNGs go to tests/e2e/artifacts/ to be
 * looked at (text must be drawn: librsvg uses the system's DejaVu Sans).
 */

const base: ChartInput = {
  chart: 'curves',
  study: fixtureStudy(),
  external: [fixtureExternal],
  mode: 'perception',
  metric: 'overall',
  theme: 'light',
  width: 860,
  height: 420,
};
const count = (svg: string, testId: string) => svg.split(`data-testid="${testId}"`).length - 1;

describe('codepercept chart rendering', () => {
  it('renders the curves as a standalone SVG: series, points, bands, log ticks, no CSS variables', () => {
    const svg = chartSvg(base);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).not.toContain('var(');
    expect(svg).not.toContain('tabindex');
    expect(count(svg, 'chart-series')).toBe(5);
    expect(count(svg, 'chart-point')).toBe(15);
    expect(count(svg, 'chart-band')).toBe(4);
    const ticks = [...svg.matchAll(/data-testid="chart-x-tick"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['1B', '4B', '8B']);
    // Light theme colours straight from tokens.css.
    expect(svg).toContain('fill:#ffffff');
    expect(chartSvg({ ...base, theme: 'dark' })).toContain('fill:#161b22');
  });

  it('draws published numbers alone when there is no study', () => {
    const svg = chartSvg({ ...base, study: null, mode: 'compare' });
    expect(count(svg, 'chart-series')).toBe(2);
    expect(svg).toContain('reasoning scaled (Paper)');
    expect(svg).toContain('Perception scaled vs reasoning scaled: published results');
  });

  it('renders the heatmap, and refuses it without a study', () => {
    const svg = chartSvg({ ...base, chart: 'heatmap' });
    expect(count(svg, 'heatmap-cell')).toBe(12);
    expect(() => chartSvg({ ...base, chart: 'heatmap', study: null })).toThrow(/heatmap needs a study/);
  });

  it('writes PNGs at twice the SVG size with the text drawn, and CSV of the plotted data', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, input] of [
      ['cli-chart-compare', { ...base, mode: 'compare' }],
      ['cli-chart-heatmap-dark', { ...base, chart: 'heatmap', theme: 'dark' }],
    ] as const) {
      const png = await renderChartFile(input as ChartInput, 'png');
      writeFileSync(join(ARTIFACTS, `${name}.png`), png.content);
      const meta = await sharp(png.content).metadata();
      const svg = await sharp(Buffer.from(chartSvg(input as ChartInput))).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', svg.width! * 2, svg.height! * 2]);
    }
    // Text is drawn: the x axis title's strip holds dark pixels where the text is, not only background.
    const png = (await renderChartFile(base, 'png')).content;
    const strip = await sharp(png)
      .extract({ left: 300, top: 2 * (14 + 360 + 26), width: 600, height: 40 })
      .greyscale()
      .raw()
      .toBuffer();
    expect(Math.min(...strip)).toBeLessThan(100);
    const csv = (await renderChartFile(base, 'csv')).content.toString().trim().split('\n');
    expect(csv).toHaveLength(1 + 15);
  });

  it('rejects an unknown metric and a call with nothing to chart before touching the data dir', async () => {
    const options = {
      format: 'svg',
      output: '/nonexistent/x.svg',
      chart: 'curves',
      mode: 'compare',
      theme: 'light',
      width: 860,
      height: 420,
    } as const;
    await expect(chartCommand(undefined, { ...options, metric: 'overall' })).rejects.toThrow(
      /Nothing to chart/,
    );
    await expect(chartCommand('s', { ...options, metric: 'accuracy' })).rejects.toThrow(/not a chart metric/);
  });
});
