import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createElement } from 'react';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import sharp from 'sharp';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ExternalResultSet, StudyDetail } from '../../api/scaling';
import { seriesCsv } from '../../../renderer/src/charts/chartCsv';
import { chartMetricOptions, parseChartMetric } from '../../../renderer/src/charts/chartMetric';
import { ChartThemeContext, staticChartThemes } from '../../../renderer/src/charts/chartTheme';
import { GridHeatmapSvg } from '../../../renderer/src/charts/GridHeatmap';
import { heatmapCsv, layoutHeatmap } from '../../../renderer/src/charts/heatmapLayout';
import { ScalingCurvesSvg } from '../../../renderer/src/charts/ScalingCurves';
import { scalingCurvesModel } from '../../../renderer/src/charts/scalingCurvesModel';
import type { ChartMetric, ScalingMode } from '../../../renderer/src/charts/types';
import { openEngineSession } from '../engineSession';
import type { CliHelpers } from './models';

export type ChartFormat = 'svg' | 'png' | 'csv';
export type ChartKind = 'curves' | 'heatmap';

export interface ChartInput {
  chart: ChartKind;
  study: StudyDetail | null;
  external: ExternalResultSet[];
  mode: ScalingMode;
  metric: ChartMetric;
  theme: 'light' | 'dark';
  width: number;
  height: number;
}

export interface ChartFile {
  content: Buffer;
  /** What was drawn, in words, for the command's summary line. */
  summary: string;
}

/**
 * The chart as a standalone SVG: the page's own React chart component, rendered on the server with the
 * theme's concrete colours (no CSS variables, no stylesheet), so any SVG reader shows it as the app does.
 */
export function chartSvg(input: ChartInput): string {
  const chart: ReactElement =
    input.chart === 'heatmap'
      ? createElement(GridHeatmapSvg, {
          study: requireStudy(input),
          metric: input.metric,
          width: input.width,
        })
      : createElement(ScalingCurvesSvg, {
          study: input.study,
          external: input.external,
          metric: input.metric,
          mode: input.mode,
          width: input.width,
          height: input.height,
        });
  const markup = renderToStaticMarkup(
    createElement(ChartThemeContext.Provider, { value: staticChartThemes[input.theme] }, chart),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${markup}\n`;
}

/** The SVG rasterised by sharp (librsvg) at 2×: 144 dpi over SVG's 72. Text uses the system's DejaVu Sans. */
export async function chartPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
}

/** Exactly the data the chart draws, as CSV. */
export function chartCsvText(input: ChartInput): string {
  if (input.chart === 'heatmap') {
    const study = requireStudy(input);
    return heatmapCsv(layoutHeatmap(study, input.metric, input.width), study);
  }
  return seriesCsv(scalingCurvesModel(input).series, new Set(), 'accuracy');
}

export async function renderChartFile(input: ChartInput, format: ChartFormat): Promise<ChartFile> {
  const what =
    input.chart === 'heatmap'
      ? `the ${input.study?.captioners.length ?? 0} × ${input.study?.solvers.length ?? 0} heatmap`
      : `${scalingCurvesModel(input).series.length} series (${input.mode})`;
  if (format === 'csv') return { content: Buffer.from(chartCsvText(input)), summary: what };
  const svg = chartSvg(input);
  return { content: format === 'svg' ? Buffer.from(svg) : await chartPng(svg), summary: what };
}

function requireStudy(input: ChartInput): StudyDetail {
  if (input.study) return input.study;
  throw new ApiError({
    code: 'INVALID_PARAMS',
    message: 'The heatmap needs a study; external results alone can only be drawn as curves.',
    hint: 'Name a study (codepercept studies lists them), or use --chart curves.',
  });
}

/** A study by id, id prefix or exact name, as `codepercept studies` lists them. */
export async function resolveStudy(client: ApiClient, ref: string): Promise<StudyDetail> {
  const studies = await client.call('scaling.studies', { limit: 1000 });
  const matches = studies.filter((s) => s.id === ref || s.id.startsWith(ref) || s.name === ref);
  const exact = matches.filter((s) => s.id === ref || s.name === ref);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 1) return client.call('scaling.study', { id: chosen[0]!.id });
  throw new ApiError({
    code: chosen.length === 0 ? 'NOT_FOUND' : 'INVALID_PARAMS',
    message:
      chosen.length === 0
        ? `No study "${ref}".`
        : `"${ref}" matches ${chosen.length} studies: ${chosen.map((s) => `${s.id.slice(0, 8)} "${s.name}"`).join(', ')}.`,
    hint: 'codepercept studies lists the studies with their ids.',
  });
}

/** External result sets by name or id (case-insensitive name). */
export async function resolveExternal(
  client: ApiClient,
  refs: readonly string[],
): Promise<ExternalResultSet[]> {
  if (refs.length === 0) return [];
  const sets = await client.call('scaling.external.list', {});
  return refs.map((ref) => {
    const found = sets.find((s) => s.id === ref || s.name.toLowerCase() === ref.toLowerCase());
    if (found) return found;
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No external result set "${ref}".`,
      hint: sets.length
        ? `Known sets: ${sets.map((s) => `"${s.name}"`).join(', ')}.`
        : 'None is imported yet; import a CSV of published numbers first.',
    });
  });
}

export interface ChartOptions {
  format: ChartFormat;
  output: string;
  chart: ChartKind;
  mode: ScalingMode;
  metric: string;
  external?: string[];
  theme: 'light' | 'dark';
  width: number;
  height: number;
  dataDir?: string;
}

export async function chartCommand(studyRef: string | undefined, options: ChartOptions): Promise<void> {
  const metric = parseChartMetric(options.metric);
  if (!metric)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: `--metric "${options.metric}" is not a chart metric.`,
      hint: 'Use overall, macro, benchmark:NAME or category:NAME.',
    });
  if (!studyRef && !options.external?.length)
    throw new ApiError({
      code: 'INVALID_PARAMS',
      message: 'Nothing to chart: name a study, or external result sets with --external NAME.',
      hint: 'codepercept studies lists the studies.',
    });
  const session = openEngineSession(options.dataDir, 'codepercept chart', { runJobs: false });
  try {
    const study = studyRef ? await resolveStudy(session.client, studyRef) : null;
    const external = await resolveExternal(session.client, options.external ?? []);
    const known = chartMetricOptions(study, external).map((o) => o.value as string);
    if (!known.includes(metric))
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `This chart has no metric "${metric}".`,
        hint: `Choose one of: ${known.join(', ')}.`,
      });
    const input: ChartInput = { ...options, metric, study, external };
    const file = await renderChartFile(input, options.format);
    const path = resolve(options.output);
    writeFileSync(path, file.content);
    process.stderr.write(
      `Wrote ${options.format.toUpperCase()} of ${file.summary}${study ? ` for study ${study.id.slice(0, 8)} "${study.name}"` : ''} to ${path} (${file.content.length} bytes).\n`,
    );
  } finally {
    await session.close();
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerChartCommand(program: Command, { action, integer, dataDirHelp }: CliHelpers): void {
  program
    .command('chart [study]')
    .description(
      'draw a scaling study (id, id prefix or name) as curves or a heatmap to SVG, PNG or CSV; with --external and no study, only the published numbers',
    )
    .addOption(
      new Option('--format <format>', 'file type').choices(['svg', 'png', 'csv']).makeOptionMandatory(),
    )
    .requiredOption('-o, --output <file>', 'the file to write')
    .addOption(
      new Option('--chart <chart>', 'curves: accuracy vs size; heatmap: the captioner × solver grid')
        .choices(['curves', 'heatmap'])
        .default('curves'),
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'perception: x = captioner, a line per solver; reasoning: x = solver; compare: perception scaled vs reasoning scaled',
      )
        .choices(['perception', 'reasoning', 'compare'])
        .default('compare'),
    )
    .option('--metric <metric>', 'overall, macro, benchmark:NAME or category:NAME', 'overall')
    .option('--external <name>', 'overlay an external result set (repeatable)', collect)
    .addOption(new Option('--theme <theme>', 'colours').choices(['light', 'dark']).default('light'))
    .option('--width <px>', 'width in SVG pixels (the PNG is twice as large)', integer(320, 4000), 860)
    .option('--height <px>', 'height of the curves plot in SVG pixels', integer(200, 3000), 420)
    .option('--data-dir <dir>', dataDirHelp)
    .action(action((study: string | undefined, opts: ChartOptions) => chartCommand(study, opts)));
}
