import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import type { ChatPart, GpuBackend, ModelFile } from '../../api/models';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
}

export interface RunOptions extends CommonOptions {
  model: string;
  mmproj?: string;
  image?: string[];
  prompt: string;
  system?: string;
  maxTokens: number;
  seed?: number;
  temperature: number;
  threads?: number;
  context: number;
  gpu: GpuBackend;
}

/** Paths the user typed are relative to their shell; the engine wants absolute ones. Names pass through. */
function pathOrName(reference: string): string {
  return existsSync(reference) ? resolve(reference) : reference;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function formatParams(n: number | null): string {
  if (n === null) return '';
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e3).toFixed(1)}K`;
}

function kindOf(m: ModelFile): string {
  if (m.format === 'onnx') return 'onnx';
  if (m.isProjector) return 'mmproj';
  return m.vision ? 'vision' : 'text';
}

async function withClient<T>(options: CommonOptions, body: (client: ApiClient) => Promise<T>): Promise<T> {
  const session = openEngineSession(options.dataDir, 'codepercept models', { runJobs: false });
  try {
    return await body(session.client);
  } finally {
    await session.close();
  }
}

export function modelsListCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client) => {
    const models = await client.call('models.list', {});
    if (options.json) return printJson(models);
    if (models.length === 0) {
      const folders = await client.call('models.folders', {});
      process.stdout.write(
        `No models in ${folders.join(', ')}.\nAdd one: codepercept models add PATH, or try: codepercept models make-test-model DIR\n`,
      );
      return;
    }
    process.stdout.write(
      `${formatTable(
        ['NAME', 'KIND', 'ARCH', 'PARAMS', 'QUANT', 'CONTEXT', 'SIZE', 'NOTE'],
        models.map((m) => [
          m.name,
          kindOf(m),
          m.architecture ?? '',
          formatParams(m.parameterCount),
          m.quantization ?? '',
          m.contextLength?.toString() ?? '',
          formatBytes(m.sizeBytes),
          m.error ?? (m.mmprojPath ? `mmproj: ${m.mmprojPath}` : ''),
        ]),
      )}\n`,
    );
  });
}

export function modelsInspectCommand(
  model: string,
  options: CommonOptions & { context: number },
): Promise<void> {
  return withClient(options, async (client) => {
    const file = await client.call('models.inspect', { model: pathOrName(model) });
    // The estimate needs a loadable model; for projectors and broken files the file facts are the answer.
    const fit =
      file.format === 'gguf' && !file.isProjector && !file.error
        ? await client.call('models.fit', { model: file.path, contextSize: options.context })
        : null;
    if (options.json) return printJson({ ...file, fit });
    const rows: [string, string][] = [
      ['name', file.name],
      ['path', file.path],
      ['kind', kindOf(file)],
      ['architecture', file.architecture ?? '—'],
      ['parameters', file.parameterCount?.toLocaleString('en-US') ?? '—'],
      ['quantization', file.quantization ?? '—'],
      ['context length', file.contextLength?.toString() ?? '—'],
      ['chat template', file.hasChatTemplate ? 'yes' : 'no'],
      ['size', formatBytes(file.sizeBytes)],
      ['mmproj', file.mmprojPath ?? '—'],
    ];
    if (file.error) rows.push(['problem', file.error]);
    if (fit) rows.push(['fit', fit.note]);
    process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(15)} ${v}`).join('\n')}\n`);
  });
}

export function modelsAddCommand(
  path: string,
  options: CommonOptions & { mmproj?: string; name?: string },
): Promise<void> {
  return withClient(options, async (client) => {
    const added = await client.call('models.add', {
      path: resolve(path),
      ...(options.mmproj ? { mmproj: resolve(options.mmproj) } : {}),
      ...(options.name ? { name: options.name } : {}),
    });
    if (options.json) return printJson(added);
    if (added.folder)
      process.stdout.write(`Added folder ${added.folder} (${added.models.length} model file(s) found).\n`);
    else
      for (const m of added.models)
        process.stdout.write(
          `Registered ${m.name} → ${m.path}${m.mmprojPath ? ` (mmproj ${m.mmprojPath})` : ''}\n`,
        );
  });
}

export function modelsRemoveCommand(name: string, options: CommonOptions): Promise<number> {
  return withClient(options, async (client) => {
    const { removed } = await client.call('models.remove', { name });
    if (options.json) printJson({ removed });
    else
      process.stdout.write(
        removed ? `Removed ${name} (files stay on disk).\n` : `Nothing registered as ${name}.\n`,
      );
    return removed ? 0 : 1;
  });
}

export function makeTestModelCommand(dir: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client) => {
    const set = await client.call('models.makeTestModel', { dir: resolve(dir) });
    if (options.json) return printJson(set);
    process.stdout.write(
      `Wrote random-weight test models (their answers are noise):\n  text    ${set.text}\n  vision  ${set.vision}\n  mmproj  ${set.mmproj}\n` +
        `Try: codepercept models run --model ${set.text} --prompt "hello"\n`,
    );
  });
}

/** Loads the model in a host, streams one answer to stdout (stats to stderr), unloads. Ctrl+C stops it. */
export function modelsRunCommand(options: RunOptions): Promise<void> {
  return withClient(options, async (client) => {
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const loaded = await client.call(
        'models.load',
        {
          model: pathOrName(options.model),
          ...(options.mmproj ? { mmproj: resolve(options.mmproj) } : {}),
          options: {
            contextSize: options.context,
            gpu: options.gpu,
            ...(options.threads ? { threads: options.threads } : {}),
          },
        },
        { signal: controller.signal },
      );
      const content: ChatPart[] = [
        ...(options.image ?? []).map((image) => ({ type: 'image' as const, image: resolve(image) })),
        { type: 'text', text: options.prompt },
      ];
      const result = await client.call(
        'models.chat',
        {
          id: loaded.id,
          request: {
            messages: [
              ...(options.system ? [{ role: 'system' as const, content: options.system }] : []),
              { role: 'user', content: options.image?.length ? content : options.prompt },
            ],
            maxTokens: options.maxTokens,
            temperature: options.temperature,
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
          },
        },
        options.json
          ? { signal: controller.signal }
          : { signal: controller.signal, onChunk: (c) => process.stdout.write(c.text) },
      );
      await client.call('models.unload', { id: loaded.id });
      if (options.json) return printJson({ model: loaded, result });
      const t = result.timings;
      process.stdout.write('\n');
      process.stderr.write(
        `[${loaded.engine}, ${loaded.gpu?.backend ?? 'cpu'}] ${result.tokens.prompt} prompt + ${result.tokens.completion} completion tokens, ` +
          `${t.tokensPerSecond === null ? '—' : t.tokensPerSecond.toFixed(1)} tokens/s, first token ${t.firstTokenMs === null ? '—' : Math.round(t.firstTokenMs)} ms, stop: ${result.stopReason}\n`,
      );
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}

export interface CliHelpers {
  action: <A extends unknown[]>(
    body: (...args: A) => Promise<number | void>,
  ) => (...args: A) => Promise<void>;
  integer: (min: number, max: number) => (value: string) => number;
  dataDirHelp: string;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 5) throw new InvalidArgumentError('must be a number from 0 to 5');
  return n;
}

export function registerModelsCommands(program: Command, { action, integer, dataDirHelp }: CliHelpers): void {
  const models = program
    .command('models')
    .description('local models: list, register, inspect (with "will it fit"), run, make test models');
  models
    .command('list', { isDefault: true })
    .description('GGUF and ONNX files in the models folders plus registered models, with their metadata')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(action((opts: CommonOptions) => modelsListCommand(opts)));
  models
    .command('add <path>')
    .description('register a model file under a name (a folder: scan it for models too)')
    .option('--mmproj <file>', 'the vision projector that goes with this model')
    .option('--name <name>', 'the name to use in other commands (default: the file name)')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(
      action((path: string, opts: Parameters<typeof modelsAddCommand>[1]) => modelsAddCommand(path, opts)),
    );
  models
    .command('remove <name>')
    .description('forget a registered model or an added folder (files stay on disk)')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(action((name: string, opts: CommonOptions) => modelsRemoveCommand(name, opts)));
  models
    .command('inspect <model>')
    .description('metadata of a model (name, path or file name) and whether it fits this machine')
    .option('--context <n>', 'context size for the fit estimate', integer(128, 1_048_576), 4096)
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(
      action((model: string, opts: Parameters<typeof modelsInspectCommand>[1]) =>
        modelsInspectCommand(model, opts),
      ),
    );
  models
    .command('run')
    .description('load a model in its own process, stream one answer to stdout, unload (Ctrl+C stops)')
    .requiredOption('--model <model>', 'registered name, path, or file name in the models folders')
    .option('--mmproj <file>', 'vision projector (default: the one paired with the model)')
    .option('--image <file...>', 'image(s) to show a vision model')
    .requiredOption('--prompt <text>', 'the user message')
    .option('--system <text>', 'a system message')
    .option('--max-tokens <n>', 'at most this many tokens', integer(1, 1_000_000), 256)
    .option('--seed <n>', 'sampling seed (same seed, same answer)', integer(0, 2 ** 31 - 1))
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', number, 0)
    .option('--threads <n>', 'CPU threads (default: physical cores)', integer(1, 512))
    .option('--context <n>', 'context size in tokens', integer(128, 1_048_576), 4096)
    .addOption(
      new Option('--gpu <backend>', 'GPU backend')
        .choices(['auto', 'cuda', 'vulkan', 'metal', 'cpu'])
        .default('auto'),
    )
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'print the loaded model and the result as JSON instead of streaming')
    .action(action((opts: RunOptions) => modelsRunCommand(opts)));
  models
    .command('make-test-model <dir>')
    .description('write random-weight tiny models (text, vision + mmproj) to try every model path offline')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(action((dir: string, opts: CommonOptions) => makeTestModelCommand(dir, opts)));
}
