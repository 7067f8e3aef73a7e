import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaleLog } from 'd3';
import { describe, expect, it } from 'vitest';
import { seriesCsv } from '../../renderer/src/charts/chartCsv';
import {
  cellEstimate,
  chartMetricOptions,
  externalMatchesMetric,
  parseChartMetric,
} from '../../renderer/src/charts/chartMetric';
import { charsForWidth, wrapNotes } from '../../renderer/src/charts/chartNotes';
import { staticChartThemes, themeTokens } from '../../renderer/src/charts/chartTheme';
import { heatmapCsv, layoutHeatmap } from '../../renderer/src/charts/heatmapLayout';
import { layoutLineChart, logTicks, xTickValues } from '../../renderer/src/charts/lineChartLayout';
import { formatParameters, labelWithParameters } from '../../renderer/src/charts/parameters';
import { scalingCurvesModel } from '../../renderer/src/charts/scalingCurvesModel';
import { buildScalingSeries } from '../../renderer/src/charts/scalingSeries';
import { sizeScoreModel } from '../../renderer/src/charts/sizeScorePoints';
import { DIRECT, GRID, fixtureExternal, fixtureSizeScorePoints, fixtureStudy } from '../e2e/chartsFixture';

const study = fixtureStudy();
const ys = (points: { y: number }[]) => points.map((p) => p.y);

describe('formatParameters', () => {
  it('writes counts the way model cards do', () => {
    expect([4e9, 0.5e9, 120e6, 7.6e9, 32e9, 1.5e12, 494e6, 70e3].map(formatParameters)).toEqual([
      '4B',
      '0.5B',
      '120M',
      '7.6B',
      '32B',
      '1.5T',
      '0.494B',
      '70K',
    ]);
    expect(formatParameters(0)).toBe('?');
    expect(labelWithParameters('qwen', 7e9)).toBe('qwen (7B)');
    expect(labelWithParameters('api', null)).toBe('api');
  });
});

describe('buildScalingSeries', () => {
  it('perception: x = captioner size, one line per solver (smallest first), then direct, then external', () => {
    const { series, unplaced } = buildScalingSeries({
      study,
      external: [fixtureExternal],
      metric: 'overall',
      mode: 'perception',
    });
    expect(series.map((s) => s.id)).toEqual([
      'solver:sol-0.5b',
      'solver:sol-7b',
      'solver:sol-32b',
      'direct',
      'external:ext-paper:perception scaled',
    ]);
    expect(series[1]!.points.map((p) => p.x)).toEqual([1e9, 4e9, 8e9]);
    expect(ys(series[1]!.points)).toEqual([
      GRID['cap-1b']!['sol-7b'],
      GRID['cap-4b']!['sol-7b'],
      GRID['cap-8b']!['sol-7b'],
    ]);
    expect(series[1]!.points[1]).toMatchObject({
      low: 0.56,
      high: 0.66,
      n: 100,
      cell: { captioner: 'cap-4b', solver: 'sol-7b' },
    });
    expect(ys(series[3]!.points)).toEqual([DIRECT['cap-1b'], DIRECT['cap-4b'], DIRECT['cap-8b']]);
    expect(series[4]).toMatchObject({ dashed: true, label: 'perception scaled (Paper)' });
    expect(unplaced).toEqual([]);
  });

  it('reasoning: x = solver size, one line per captioner; the external reasoning curve', () => {
    const { series } = buildScalingSeries({
      study,
      external: [fixtureExternal],
      metric: 'overall',
      mode: 'reasoning',
    });
    expect(series.map((s) => s.id)).toEqual([
      'captioner:cap-1b',
      'captioner:cap-4b',
      'captioner:cap-8b',
      'direct',
      'external:ext-paper:reasoning scaled',
    ]);
    expect(series[0]!.points.map((p) => p.x)).toEqual([0.5e9, 7e9, 32e9]);
    expect(ys(series[0]!.points)).toEqual([0.4, 0.52, 0.58]);
    // The direct baseline stays at the captioner's size in every mode.
    expect(series[3]!.points.map((p) => p.x)).toEqual([1e9, 4e9, 8e9]);
  });

  it('compare: smallest solver fixed while captioners scale, smallest captioner fixed while solvers scale', () => {
    const { series } = buildScalingSeries({ study, external: [], metric: 'overall', mode: 'compare' });
    const perception = series.find((s) => s.id === 'perception-scaled')!;
    const reasoning = series.find((s) => s.id === 'reasoning-scaled')!;
    expect(perception.label).toBe('perception scaled (solver sol-0.5b (0.5B))');
    expect(ys(perception.points)).toEqual([0.4, 0.48, 0.55]);
    expect(reasoning.label).toBe('reasoning scaled (captioner cap-1b (1B))');
    expect(reasoning.points.map((p) => [p.x, p.y])).toEqual([
      [0.5e9, 0.4],
      [7e9, 0.52],
      [32e9, 0.58],
    ]);
  });

  it('names models without a parameter count instead of placing them', () => {
    const partial = fixtureStudy({ 'cap-4b': null, 'sol-0.5b': null });
    const perception = buildScalingSeries({
      study: partial,
      external: [],
      metric: 'overall',
      mode: 'perception',
    });
    expect(perception.unplaced).toEqual(['captioner cap-4b']);
    // Each line keeps its two placed captioners; sol-0.5b still has its line (its own size is not on x).
    expect(perception.series.map((s) => [s.id, s.points.map((p) => p.x)])).toEqual([
      ['solver:sol-7b', [1e9, 8e9]],
      ['solver:sol-32b', [1e9, 8e9]],
      ['solver:sol-0.5b', [1e9, 8e9]],
      ['direct', [1e9, 8e9]],
    ]);
    const compare = buildScalingSeries({ study: partial, external: [], metric: 'overall', mode: 'compare' });
    // The smallest placed solver is now sol-7b.
    expect(compare.series[0]!.label).toBe('perception scaled (solver sol-7b (7B))');
    // The direct baseline sits at its captioner's size in every mode, so cap-4b is named too.
    expect(
      scalingCurvesModel({ study: partial, external: [], metric: 'overall', mode: 'reasoning' }).notes,
    ).toEqual(['Not plotted, no parameter count: solver sol-0.5b; captioner cap-4b.']);
  });

  it('with no study draws only the external sets', () => {
    const { series } = buildScalingSeries({
      study: null,
      external: [fixtureExternal],
      metric: 'overall',
      mode: 'compare',
    });
    expect(series.map((s) => [s.label, s.points.length])).toEqual([
      ['perception scaled (Paper)', 3],
      ['reasoning scaled (Paper)', 3],
    ]);
  });

  it('reads every metric from the cells, and external rows only where their benchmark matches', () => {
    const cell = study.cells.find((c) => c.captioner === 'cap-4b' && c.solver === 'sol-7b')!;
    expect(cellEstimate(cell, 'benchmark:MathVista')).toMatchObject({ mean: 0.61 - 0.04, n: 50 });
    expect(cellEstimate(cell, 'category:chart')).toMatchObject({ n: 40 });
    expect(cellEstimate(cell, 'macro')).toEqual({ mean: 0.61, low: null, high: null, n: 100 });
    expect(cellEstimate(cell, 'benchmark:Nope')).toBeNull();
    expect(externalMatchesMetric('Avg', 'overall')).toBe(true);
    expect(externalMatchesMetric('mathvista', 'benchmark:MathVista')).toBe(true);
    expect(externalMatchesMetric('Avg', 'benchmark:MathVista')).toBe(false);
    expect(chartMetricOptions(study).map((o) => o.value)).toEqual([
      'overall',
      'macro',
      'benchmark:ChartQA',
      'benchmark:MathVista',
      'category:chart',
      'category:geometry',
    ]);
    expect(parseChartMetric('benchmark:ChartQA')).toBe('benchmark:ChartQA');
    expect(parseChartMetric('accuracy')).toBeNull();
  });
});

describe('layoutLineChart', () => {
  const { series } = buildScalingSeries({
    study,
    external: [fixtureExternal],
    metric: 'overall',
    mode: 'perception',
  });
  const layout = layoutLineChart({
    series,
    hidden: new Set(),
    width: 800,
    height: 380,
    yPercent: true,
    noteLines: 0,
  });

  it('puts x on a log scale with the model sizes as ticks, y in percent', () => {
    expect(layout.xTicks.map((t) => t.label)).toEqual(['1B', '4B', '8B']);
    const [a, b, c] = layout.xTicks.map((t) => t.position) as [number, number, number];
    expect((c - b) / (b - a)).toBeCloseTo(0.5, 6);
    expect(layout.yTicks.map((t) => t.label)).toContain('50%');
    expect(layout.yDomain[0]).toBeGreaterThanOrEqual(0);
    expect(layout.yDomain[1]).toBeLessThanOrEqual(1);
  });

  it('draws a line for each series and a CI band for each series with CIs', () => {
    expect(layout.series.filter((s) => s.line).length).toBe(5);
    expect(layout.series.filter((s) => s.band).map((s) => s.id)).toEqual([
      'solver:sol-0.5b',
      'solver:sol-7b',
      'solver:sol-32b',
      'direct',
    ]);
  });

  it('keeps colours when a series is hidden, and the zoomed domain when given', () => {
    const hidden = layoutLineChart({
      series,
      hidden: new Set(['solver:sol-7b']),
      width: 800,
      height: 380,
      yPercent: true,
      noteLines: 0,
    });
    expect(hidden.series.map((s) => s.colorIndex)).toEqual(layout.series.map((s) => s.colorIndex));
    expect(hidden.legend[1]!.hidden).toBe(true);
    const zoomed = layoutLineChart({
      series,
      hidden: new Set(),
      width: 800,
      height: 380,
      yPercent: true,
      noteLines: 0,
      xDomain: [2e9, 5e9],
    });
    expect(zoomed.xDomain).toEqual([2e9, 5e9]);
    expect(zoomed.xTicks.map((t) => t.label)).toEqual(['2B', '3B', '4B', '5B']);
  });

  it('thins crowded log ticks to 1-2-5', () => {
    expect(logTicks(scaleLog().domain([0.45e9, 36e9])).map(formatParameters)).toEqual([
      '0.5B',
      '1B',
      '2B',
      '5B',
      '10B',
      '20B',
    ]);
    // 7B and 8B 30px apart would overlap: round ticks instead of the sizes.
    const crowded = scaleLog().domain([0.45e9, 36e9]).range([0, 400]);
    const { series: compare } = buildScalingSeries({
      study,
      external: [],
      metric: 'overall',
      mode: 'compare',
    });
    expect(xTickValues(crowded, compare).map(formatParameters)).toEqual([
      '0.5B',
      '1B',
      '2B',
      '5B',
      '10B',
      '20B',
    ]);
  });
});

describe('exports and notes', () => {
  it('writes exactly the plotted points as CSV, hidden series left out', () => {
    const { series } = buildScalingSeries({
      study,
      external: [fixtureExternal],
      metric: 'overall',
      mode: 'perception',
    });
    const lines = seriesCsv(series, new Set(['direct']), 'accuracy')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('series,kind,point,captioner,solver,run,parameters,accuracy,low,high,n');
    expect(lines).toHaveLength(1 + 9 + 3);
    expect(lines).toContain(
      'solver sol-0.5b (0.5B),pipeline,cap-1b → sol-0.5b,cap-1b,sol-0.5b,,1000000000,0.4,0.35,0.45,100',
    );
    expect(lines).toContain('perception scaled (Paper),external,"P-4B → R-0.5B, Avg",,,,4000000000,0.5,,,');
  });

  it('lays out the heatmap as captioners × (solvers + direct), and its CSV', () => {
    const layout = layoutHeatmap(study, 'overall', 800);
    expect([layout.rowCount, layout.columnCount, layout.cells.length]).toEqual([3, 4, 12]);
    expect(layout.rows.map((r) => r.label)).toEqual(['cap-1b (1B)', 'cap-4b (4B)', 'cap-8b (8B)']);
    expect(layout.cells.find((c) => c.captioner === 'cap-8b' && c.solver === 'sol-32b')!.text).toBe('74%');
    const csv = heatmapCsv(layout, study).trim().split('\n');
    expect(csv[0]).toBe('captioner,captioner_params,solver,solver_params,accuracy,low,high,n');
    expect(csv).toContain('cap-1b,1000000000,,,0.35,0.3,0.4,100');
  });

  it('scatters runs by size and names those without a size or value', () => {
    const model = sizeScoreModel(fixtureSizeScorePoints, 'final');
    expect(model.series[0]!.points.map((p) => [p.runId, p.x, p.y])).toEqual([
      ['run-a', 2e9, 40.1],
      ['run-b', 7e9, 52.3],
    ]);
    expect(model.notes).toEqual(['Not plotted, no parameter count: api model.']);
    expect(sizeScoreModel(fixtureSizeScorePoints, 'ssim').notes).toEqual([
      'No ssim in: tiny-vl 2B; mid-vl 7B; api model.',
    ]);
  });

  it('wraps long notes at word boundaries', () => {
    expect(wrapNotes(['aaa bbb ccc ddd'], 9)).toEqual(['aaa bbb', '  ccc ddd']);
    expect(charsForWidth(620)).toBe(100);
  });

  it('keeps the static (CLI) theme equal to the app tokens in styles/tokens.css', () => {
    const css = readFileSync(join(import.meta.dirname, '../../renderer/src/styles/tokens.css'), 'utf8');
    const block = (selector: string) =>
      css.slice(css.indexOf(selector), css.indexOf('}', css.indexOf(selector)));
    for (const [name, blockText] of [
      ['light', block(":root[data-theme='light']")],
      ['dark', block(":root[data-theme='dark']")],
    ] as const) {
      for (const [key, token] of Object.entries(themeTokens)) {
        const value = new RegExp(`${token}:\\s*([^;]+);`).exec(blockText)?.[1];
        expect([name, key, staticChartThemes[name][key as keyof typeof themeTokens]]).toEqual([
          name,
          key,
          value,
        ]);
      }
    }
  });
});
