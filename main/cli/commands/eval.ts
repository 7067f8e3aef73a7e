import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import { evalRunConfigSchema } from '../../api/eval';
import type { EvalRunConfigInput, ModelSpec, RunSummaryReport } from '../../api/eval';
import type { JobSnapshot } from '../../api/jobs';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import { findDataset } from './datasets';
import { follow } from './jobs';
import type { CliHelpers } from './models';

export interface EvalOptions {
  benchmark: string;
  model?: string;
  mmproj?: string;
  endpoint?: string;
  predictions?: string;
  predictionsFormat?: 'ours' | 'official';
  imageJudge?: string;
  codeJudge?: string;
  name?: string;
  limit?: number;
  timeout?: number;
  maxTokens?: number;
  samples?: number;
  temperature?: number;
  seed?: number;
  block?: 'first' | 'last';
  promptVariant?: 'official' | 'no-system';
  perceptualModel?: string;
  perceptualFamily?: 'clip' | 'siglip' | 'dinov2';
  perceptualOutput?: string;
  dataDir?: string;
  json?: boolean;
}

/** A judge flag: `endpoint:NAME` for a configured endpoint, otherwise a local model (name, path or file). */
export function judgeSpec(value: string): ModelSpec {
  return value.startsWith('endpoint:')
    ? { kind: 'endpoint', endpoint: value.slice('endpoint:'.length) }
    : { kind: 'local', model: value };
}

/** The run config the flags describe; exactly one of --model, --endpoint, --predictions. */
export function evalConfigFromFlags(options: EvalOptions, benchmarkDatasetId: number): EvalRunConfigInput {
  const given = [options.model, options.endpoint, options.predictions].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw new Error('Give exactly one of --model FILE, --endpoint NAME or --predictions FILE.');
  if (options.mmproj && !options.model) throw new Error('--mmproj goes with --model.');
  if ((options.perceptualModel === undefined) !== (options.perceptualFamily === undefined))
    throw new Error('--perceptual-model FILE and --perceptual-family clip|siglip|dinov2 go together.');
  if (options.perceptualOutput && !options.perceptualModel)
    throw new Error('--perceptual-output goes with --perceptual-model.');
  const subject: EvalRunConfigInput['subject'] = options.predictions
    ? { kind: 'predictions', path: resolve(options.predictions), format: options.predictionsFormat ?? 'ours' }
    : options.endpoint
      ? { kind: 'endpoint', endpoint: options.endpoint }
      : {
          kind: 'local',
          model: options.model!,
          ...(options.mmproj ? { mmproj: resolve(options.mmproj) } : {}),
        };
  const what = options.predictions ?? options.endpoint ?? options.model!;
  return {
    name: options.name ?? `${what.split('/').at(-1)} on ${options.benchmark}`,
    benchmarkDatasetId,
    subject,
    imageJudge: options.imageJudge ? judgeSpec(options.imageJudge) : null,
    codeJudge: options.codeJudge ? judgeSpec(options.codeJudge) : null,
    settings: {
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.timeout ? { timeoutS: Math.ceil(options.timeout) } : {}),
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
      ...(options.samples !== undefined ? { samples: options.samples } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.block ? { blockChoice: options.block } : {}),
      ...(options.promptVariant ? { promptVariant: options.promptVariant } : {}),
      ...(options.perceptualModel && options.perceptualFamily
        ? {
            perceptual: {
              modelPath: resolve(options.perceptualModel),
              family: options.perceptualFamily,
              ...(options.perceptualOutput ? { outputName: options.perceptualOutput } : {}),
            },
          }
        : {}),
    },
  };
}

const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '-' : value.toFixed(digits);

/**
 * The summary table: Exec Rate, the judge scores both ways, Final, then every deterministic metric. With
 * several samples per item it says N, counts answers, and adds pass@N of execution and the within-item spread.
 */
export function summaryTable(summary: RunSummaryReport): string {
  const o = summary.overall;
  const s = o.samples;
  const rows: string[][] = s
    ? [
        [
          'Answers',
          `${summary.run.items}/${summary.run.total ?? summary.run.items}`,
          `${o.items} items × N = ${summary.run.samplesPerItem ?? s.perItem} samples; scores are per-item means`,
        ],
        [
          'Exec Rate',
          num(o.execRate.mean),
          `share of samples executed; any image written: ${num(o.imageWrittenRate.mean)}`,
        ],
        ['Any sample executed', num(s.anyExecuted.mean), 'items with ≥ 1 executed sample (pass@N)'],
      ]
    : [
        ['Items', `${summary.run.items}/${summary.run.total ?? summary.run.items}`, ''],
        ['Exec Rate', num(o.execRate.mean), `any image written: ${num(o.imageWrittenRate.mean)}`],
      ];
  for (const [label, score] of [
    ['Image Score', o.imageScore],
    ['Code Score', o.codeScore],
  ] as const) {
    if (score)
      rows.push([
        label,
        `${num(score.conditional.mean)} / ${num(score.strict.mean)}`,
        `${score.conditional.n} scored, ${score.unscored} unscored, ${score.failedAttempts} failed attempts`,
      ]);
  }
  if (o.final)
    rows.push([
      'Final',
      `${num(o.final.conditional.mean)} / ${num(o.final.strict.mean)}`,
      'published / strict',
    ]);
  if (s)
    rows.push([
      'Within-item std',
      s.withinItemStd.final === null ? num(s.withinItemStd.execRate) : num(s.withinItemStd.final),
      `of ${s.withinItemStd.final === null ? 'Exec (0/100)' : 'the strict Final'} across an item's samples, mean over items`,
    ]);
  for (const [key, mean] of Object.entries(o.metrics))
    rows.push([
      key,
      `${num(mean.conditional.mean, 3)} / ${num(mean.strict.mean, 3)}`,
      `n=${mean.conditional.n}`,
    ]);
  const failures = Object.entries(o.failures)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const exceptions = Object.entries(o.exceptions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${formatTable(['METRIC', 'CONDITIONAL / STRICT', 'NOTE'], rows)}\n` +
    `Failures: ${failures || 'none'}${exceptions ? ` (runtime: ${exceptions})` : ''}`
  );
}

/** An unfinished run with exactly this config (an earlier command stopped by Ctrl+C or a crash). */
async function unfinishedRun(client: ApiClient, input: EvalRunConfigInput) {
  // Both sides parsed with their defaults (a run stored before a setting existed gets its default), so equal
  // flags give byte-equal JSON.
  const wanted = JSON.stringify(evalRunConfigSchema.parse(input));
  for (const run of await client.call('eval.runs', { limit: 1000 })) {
    if (run.name !== input.name || ['done', 'cancelled'].includes(run.state)) continue;
    const detail = await client.call('eval.run', { id: run.id });
    if (JSON.stringify(evalRunConfigSchema.parse(detail.config)) === wanted) return detail;
  }
  return null;
}

/**
 * Runs (or continues) an evaluation with a progress bar, then prints the summary. Ctrl+C pauses; the same
 * command continues the same run, recomputing no finished stage.
 */
export async function evalCommand(options: EvalOptions): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept eval');
  try {
    const { client } = session;
    const benchmark = await findDataset(client, options.benchmark);
    const config = evalConfigFromFlags(options, benchmark.id);
    const existing = await unfinishedRun(client, config);
    let runId: string;
    let job: JobSnapshot;
    if (existing?.job) {
      if (!options.json) process.stderr.write(`Continuing the unfinished run ${existing.id.slice(0, 8)}.\n`);
      runId = existing.id;
      job = ['paused', 'failed'].includes(existing.job.state)
        ? await client.call('jobs.resume', { id: existing.job.id })
        : existing.job;
    } else ({ runId, job } = await client.call('eval.start', config));
    const final = await follow(client, job, options.json ?? false, false);
    const detail = await client.call('eval.run', { id: runId });
    if (options.json) printJson({ runId, state: final.state, summary: detail.summary });
    else {
      process.stdout.write(
        `Run ${runId.slice(0, 8)} "${detail.name}" (${detail.subject} on ${detail.benchmark.name}): ${final.state}\n${summaryTable(detail.summary)}\n`,
      );
    }
    if (final.state === 'failed' || final.failed > 0) {
      process.stderr.write(
        `error: ${final.state === 'failed' ? `the run failed: ${final.error ?? 'unknown error'}` : `${final.failed} item(s) could not be evaluated`}\n` +
          '  See codepercept jobs; run the same command again to retry the unfinished items.\n',
      );
      return 1;
    }
    return final.state === 'done' || final.state === 'paused' ? 0 : 1;
  } finally {
    await session.close();
  }
}

export async function runsCommand(options: { dataDir?: string; json?: boolean }): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept runs', { runJobs: false });
  try {
    const runs = await session.client.call('eval.runs', {});
    if (options.json) printJson(runs);
    else if (runs.length === 0)
      process.stdout.write(
        'No evaluation runs yet. Try: codepercept eval --benchmark DATASET --predictions FILE\n',
      );
    else
      process.stdout.write(
        `${formatTable(
          ['ID', 'NAME', 'BENCHMARK', 'SUBJECT', 'STATE', 'ITEMS', 'CREATED'],
          runs.map((r) => [
            r.id.slice(0, 8),
            r.name,
            r.benchmark.name,
            r.subject,
            r.state,
            `${r.complete}/${r.total}`,
            new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19),
          ]),
        )}\n`,
      );
  } finally {
    await session.close();
  }
}

function temperature(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 5)
    throw new InvalidArgumentError('must be a number from 0 to 5');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError('must be seconds from 1 to 3600');
  return n;
}

export function registerEvalCommands(program: Command, { action, integer, dataDirHelp }: CliHelpers): void {
  program
    .command('eval')
    .description(
      'STEM2Code-Eval: generate (or read predictions), execute, score by the protocol and deterministic metrics',
    )
    .requiredOption('--benchmark <dataset>', 'a stem2code dataset (name or id)')
    .option('--model <model>', 'local vision GGUF under test (name, path or file name)')
    .option('--mmproj <file>', 'its vision projector (default: the paired one)')
    .option('--endpoint <name>', 'a configured OpenAI-compatible endpoint under test')
    .option('--predictions <file>', 'score answers produced elsewhere (JSONL)')
    .addOption(
      new Option(
        '--predictions-format <format>',
        'ours: {uid, response}; official: results with initial_response',
      )
        .choices(['ours', 'official'])
        .default('ours'),
    )
    .option('--image-judge <model>', 'multimodal judge: a local model, or endpoint:NAME')
    .option('--code-judge <model>', 'text judge: a local model, or endpoint:NAME')
    .option('--name <run>', 'run name (the same name and inputs continue an unfinished run)')
    .option('--limit <n>', 'only the first N items', integer(1, 1_000_000))
    .option('--timeout <s>', 'execution timeout per render in seconds (default 30)', seconds)
    .option('--max-tokens <n>', 'generation budget per item (default 4096)', integer(1, 1_000_000))
    .option(
      '--samples <n>',
      'answers drawn per item, sample k with seed + k (default 1; use with --temperature > 0)',
      integer(1, 64),
    )
    .option('--temperature <t>', 'generation temperature (default 0 = greedy)', temperature)
    .option('--seed <n>', 'generation seed of sample 0 (default 0)', integer(0, 2 ** 31 - 1))
    .addOption(new Option('--block <which>', 'which code block is the answer').choices(['first', 'last']))
    .addOption(
      new Option(
        '--prompt-variant <variant>',
        'official: the protocol system + user prompt; no-system: the user prompt only',
      ).choices(['official', 'no-system']),
    )
    .option('--perceptual-model <file>', 'ONNX vision tower for perceptual similarity of the renders')
    .addOption(
      new Option('--perceptual-family <family>', "the perceptual model's preprocessing").choices([
        'clip',
        'siglip',
        'dinov2',
      ]),
    )
    .option('--perceptual-output <name>', "the perceptual model's embedding output (default: its first)")
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'print the run id and the summary as JSON')
    .action(action((opts: EvalOptions) => evalCommand(opts)));

  program
    .command('runs')
    .description('list evaluation runs, newest first')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(action((opts: { dataDir?: string; json?: boolean }) => runsCommand(opts)));
}
