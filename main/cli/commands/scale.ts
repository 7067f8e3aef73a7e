import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import type { JobSnapshot } from '../../api/jobs';
import { parseParameterCount } from '../../api/parameterCount';
import { studyConfigSchema } from '../../api/scaling';
import type { StudyConfigInput, StudyDetail, StudyModelInput } from '../../api/scaling';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import { findDataset } from './datasets';
import { follow } from './jobs';
import type { CliHelpers } from './models';

export interface ScaleOptions {
  benchmark: string;
  captioners: string;
  solvers?: string;
  variant?: 'caption' | 'code';
  direct?: boolean;
  maxTokens?: number;
  name?: string;
  limit?: number;
  concurrency?: number;
  params?: string[];
  threads?: number;
  contextSize?: number;
  dataDir?: string;
  json?: boolean;
}

function names(list: string | undefined, flag: string): string[] {
  if (list === undefined) return [];
  const out = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (out.length === 0) throw new Error(`${flag}: give at least one model name (comma-separated).`);
  return out;
}

/**
 * The study the flags describe. A name is a registered model (`codepercept models add`) or `endpoint:NAME`
 * for a configured endpoint; its label is the name without the prefix. Local models get the load options
 * the flags give (--threads, --context-size) and `--concurrency` parallel sequences.
 */
export function scaleConfigFromFlags(options: ScaleOptions, datasetId: number): StudyConfigInput {
  const concurrency = options.concurrency ?? 1;
  const model = (name: string): StudyModelInput => {
    if (name.startsWith('endpoint:')) {
      const endpoint = name.slice('endpoint:'.length);
      if (!endpoint) throw new Error(`"${name}": give the endpoint's name after "endpoint:".`);
      return { label: endpoint, spec: { kind: 'endpoint', endpoint } };
    }
    return {
      label: name,
      spec: {
        kind: 'local',
        model: name,
        options: {
          parallel: Math.min(64, concurrency),
          ...(options.threads ? { threads: options.threads } : {}),
          ...(options.contextSize ? { contextSize: options.contextSize } : {}),
        },
      },
    };
  };
  const captioners = names(options.captioners, '--captioners').map(model);
  const solvers = names(options.solvers, '--solvers').map(model);
  for (const pair of options.params ?? []) {
    const at = pair.lastIndexOf('=');
    const label = pair.slice(0, at).replace(/^endpoint:/, '');
    const count = at > 0 ? parseParameterCount(pair.slice(at + 1)) : null;
    if (at <= 0 || count === null)
      throw new Error(
        `--params ${pair}: expected LABEL=COUNT, e.g. --params gpt-x=70B or --params gpt-x=7e10.`,
      );
    const targets = [...captioners, ...solvers].filter((m) => m.label === label);
    if (targets.length === 0)
      throw new Error(
        `--params ${pair}: no captioner or solver is labelled "${label}" (labels: ${[...captioners, ...solvers].map((m) => m.label).join(', ')}).`,
      );
    for (const target of targets) target.parameters = count;
  }
  const list = (models: StudyModelInput[]) => models.map((m) => m.label).join(',');
  return {
    name:
      options.name ??
      `${list(captioners)} → ${solvers.length > 0 ? list(solvers) : 'direct'} on ${options.benchmark}`,
    datasetId,
    captioners,
    solvers,
    settings: {
      ...(options.variant ? { variant: options.variant } : {}),
      ...(options.direct ? { direct: true } : {}),
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
    },
  };
}

/** What must be equal for a command to continue a study: data, models (without sizes) and settings. */
function sameStudy(detail: StudyDetail, wanted: ReturnType<typeof studyConfigSchema.parse>): boolean {
  const shape = (c: {
    datasetId: number;
    captioners: { label: string; spec: unknown }[];
    solvers: { label: string; spec: unknown }[];
    settings: unknown;
  }) =>
    JSON.stringify({
      datasetId: c.datasetId,
      captioners: c.captioners.map((m) => ({ label: m.label, spec: m.spec })),
      solvers: c.solvers.map((m) => ({ label: m.label, spec: m.spec })),
      settings: c.settings,
    });
  return shape(detail) === shape(wanted);
}

/** An unfinished study with this name and these inputs (an earlier command stopped by Ctrl+C or a crash). */
async function unfinishedStudy(client: ApiClient, input: StudyConfigInput): Promise<StudyDetail | null> {
  const wanted = studyConfigSchema.parse(input);
  for (const info of await client.call('scaling.studies', { limit: 1000 })) {
    if (info.name !== wanted.name || ['completed', 'cancelled'].includes(info.status)) continue;
    const detail = await client.call('scaling.study', { id: info.id });
    if (sameStudy(detail, wanted)) return detail;
  }
  return null;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}`;

function formatCount(n: number | null): string {
  if (n === null) return '-';
  for (const [suffix, size] of [
    ['T', 1e12],
    ['B', 1e9],
    ['M', 1e6],
    ['K', 1e3],
  ] as const)
    if (n >= size) return `${(n / size).toFixed(n >= 10 * size ? 0 : 1)}${suffix}`;
  return String(n);
}

/** The accuracy table: one row per cell, with model sizes, the 95% CI and the macro mean over benchmarks. */
export function accuracyTable(detail: StudyDetail): string {
  const size = (role: 'captioners' | 'solvers', label: string | null) =>
    label === null ? '' : formatCount(detail[role].find((m) => m.label === label)?.parameters ?? null);
  const benchmarks = [...new Set(detail.cells.flatMap((c) => Object.keys(c.byBenchmark)))].sort();
  const rows = detail.cells.map((c) => [
    c.captioner,
    size('captioners', c.captioner),
    c.solver ?? '(direct)',
    size('solvers', c.solver),
    `${pct(c.overall.mean)} [${pct(c.overall.low)}, ${pct(c.overall.high)}]`,
    ...benchmarks.map((b) => pct(c.byBenchmark[b]?.mean)),
    pct(c.macro),
    `${c.overall.correct}/${c.overall.n}`,
    String(c.failed),
    String(c.pending),
  ]);
  return formatTable(
    [
      'CAPTIONER',
      'PARAMS',
      'SOLVER',
      'PARAMS',
      'ACCURACY % [95% CI]',
      ...benchmarks.map((b) => b.toUpperCase()),
      'MACRO',
      'CORRECT',
      'FAILED',
      'PENDING',
    ],
    rows,
  );
}

/**
 * Runs (or continues) a scaling study with a progress bar over answers, then prints the accuracy table.
 * Ctrl+C pauses; the same command continues the same study, recomputing no finished caption or answer.
 */
export async function scaleCommand(options: ScaleOptions): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept scale');
  try {
    const { client } = session;
    const benchmark = await findDataset(client, options.benchmark);
    const config = scaleConfigFromFlags(options, benchmark.id);
    const existing = await unfinishedStudy(client, config);
    let studyId: string;
    let job: JobSnapshot;
    if (existing?.jobId) {
      if (!options.json)
        process.stderr.write(`Continuing the unfinished study ${existing.id.slice(0, 8)}.\n`);
      studyId = existing.id;
      const current = await client.call('jobs.get', { id: existing.jobId });
      job = ['paused', 'failed', 'cancelled'].includes(current.state)
        ? await client.call('jobs.resume', { id: existing.jobId })
        : current;
      // Sizes given now win over the stored ones (they are not part of what makes a study the same).
      for (const [role, list] of [
        ['captioner', config.captioners],
        ['solver', config.solvers],
      ] as const)
        for (const m of list)
          if (typeof m.parameters === 'number')
            await client.call('scaling.setParameters', {
              id: studyId,
              role,
              label: m.label,
              parameters: m.parameters,
            });
    } else ({ studyId, job } = await client.call('scaling.start', config));
    const final = await follow(client, job, options.json ?? false, false);
    const detail = await client.call('scaling.study', { id: studyId });
    if (options.json) printJson({ studyId, state: final.state, cells: detail.cells });
    else
      process.stdout.write(
        `Study ${studyId.slice(0, 8)} "${detail.name}" on ${detail.datasetName} (${detail.variant}, ${detail.items} items): ${final.state}\n` +
          `${accuracyTable(detail)}\n` +
          `Answers: ${detail.done}/${detail.total}; captions computed ${detail.captions.computed}, from the cache ${detail.captions.cached}.\n`,
      );
    if (final.state === 'failed' || final.failed > 0) {
      process.stderr.write(
        `error: ${final.state === 'failed' ? `the study failed: ${final.error ?? 'unknown error'}` : `${final.failed} unit(s) could not be run`}\n` +
          '  See codepercept jobs; run the same command again to retry the unfinished units.\n',
      );
      return 1;
    }
    return final.state === 'done' || final.state === 'paused' ? 0 : 1;
  } finally {
    await session.close();
  }
}

export async function studiesCommand(options: { dataDir?: string; json?: boolean }): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept studies', { runJobs: false });
  try {
    const studies = await session.client.call('scaling.studies', { limit: 1000 });
    if (options.json) printJson(studies);
    else if (studies.length === 0)
      process.stdout.write(
        'No scaling studies yet. Try: codepercept scale --benchmark DATASET --captioners A,B --solvers X,Y\n',
      );
    else
      process.stdout.write(
        `${formatTable(
          ['ID', 'NAME', 'BENCHMARK', 'VARIANT', 'CAPTIONERS', 'SOLVERS', 'STATUS', 'ANSWERS', 'CREATED'],
          studies.map((s) => [
            s.id.slice(0, 8),
            s.name,
            s.datasetName,
            s.variant,
            s.captioners.map((m) => m.label).join(','),
            s.solvers.map((m) => m.label).join(',') || '-',
            s.status,
            `${s.done}/${s.total}`,
            new Date(s.createdAt).toISOString().replace('T', ' ').slice(0, 19),
          ]),
        )}\n`,
      );
  } finally {
    await session.close();
  }
}

function parameterPair(value: string, previous: string[] = []): string[] {
  if (!value.includes('=')) throw new InvalidArgumentError('expected LABEL=COUNT, e.g. gpt-x=70B');
  return [...previous, value];
}

export function registerScaleCommands(program: Command, { action, integer, dataDirHelp }: CliHelpers): void {
  program
    .command('scale')
    .description(
      'perception vs. reasoning scaling study: every captioner describes each image once, every solver answers from the descriptions',
    )
    .requiredOption('--benchmark <dataset>', 'a vqa dataset (name or id)')
    .requiredOption(
      '--captioners <names>',
      'vision models, comma-separated: registered names or endpoint:NAME',
    )
    .option('--solvers <names>', 'text models, comma-separated: registered names or endpoint:NAME')
    .addOption(
      new Option(
        '--variant <variant>',
        'caption: a detailed description; code: matplotlib code that redraws it',
      )
        .choices(['caption', 'code'])
        .default('caption'),
    )
    .option('--direct', 'also the direct baseline: each captioner answers from the image')
    .option(
      '--max-tokens <n>',
      'token budget of each caption and answer (default 1024)',
      integer(1, 1_000_000),
    )
    .option('--name <study>', 'study name (the same name and inputs continue an unfinished study)')
    .option('--limit <n>', 'only the first N items', integer(1, 1_000_000))
    .option('--concurrency <n>', 'calls in flight per model (default 1)', integer(1, 256))
    .option(
      '--params <label=count>',
      'parameter count of a model without GGUF metadata (endpoints), e.g. gpt-x=70B; repeatable',
      parameterPair,
    )
    .option('--threads <n>', 'CPU threads of local models (default: physical cores)', integer(1, 512))
    .option('--context-size <n>', 'context size of local models (default 4096)', integer(128, 1_048_576))
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'print {studyId, state, cells} as JSON')
    .action(action((opts: ScaleOptions) => scaleCommand(opts)));

  program
    .command('studies')
    .description('list scaling studies, newest first')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(action((opts: { dataDir?: string; json?: boolean }) => studiesCommand(opts)));
}
