import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ExternalResultSet } from '../../api/scaling';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import type { CliHelpers } from './models';
import { formatParameters } from '../../../renderer/src/charts/parameters';

/** A set by id, id prefix (4+ characters) or name (any case); a prefix two sets share is refused. */
export async function resolveExternalSet(client: ApiClient, ref: string): Promise<ExternalResultSet> {
  const sets = await client.call('scaling.external.list', {});
  const exact = sets.find((s) => s.id === ref || s.name.toLowerCase() === ref.toLowerCase());
  if (exact) return exact;
  const byPrefix = ref.length >= 4 ? sets.filter((s) => s.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  throw new ApiError({
    code: 'NOT_FOUND',
    message:
      byPrefix.length > 1
        ? `"${ref}" is the start of ${byPrefix.length} set ids; give more of it.`
        : `No external result set "${ref}".`,
    hint: sets.length
      ? 'codepercept external list shows the sets.'
      : 'None is imported yet: codepercept external import FILE.csv --name NAME.',
  });
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** One row per set: what it holds at a glance (benchmarks, series, points). */
export function externalSetsTable(sets: readonly ExternalResultSet[]): string {
  return formatTable(
    ['id', 'name', 'series', 'benchmarks', 'points', 'source'],
    sets.map((s) => [
      s.id.slice(0, 8),
      s.name,
      String(new Set(s.results.map((r) => r.label)).size),
      [...new Set(s.results.map((r) => r.benchmark))].join(', '),
      String(s.results.length),
      s.source.length > 60 ? `${s.source.slice(0, 57)}…` : s.source,
    ]),
  );
}

/** A set's rows as the CSV gave them, accuracy as a percentage. */
export function externalResultsTable(set: ExternalResultSet): string {
  const params = (n: number | null) => (n === null ? '' : formatParameters(n));
  return formatTable(
    ['label', 'benchmark', 'captioner', 'size', 'solver', 'size', 'accuracy', 'n'],
    set.results.map((r) => [
      r.label,
      r.benchmark,
      r.captioner,
      params(r.captionerParams),
      r.solver ?? '(direct)',
      params(r.solverParams),
      percent(r.accuracy),
      r.n === null ? '' : String(r.n),
    ]),
  );
}

export async function externalImportCommand(
  file: string,
  opts: { name?: string; source?: string; json?: boolean; dataDir?: string },
): Promise<void> {
  const path = resolve(file);
  if (!existsSync(path))
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No file at ${path}.`,
      hint: 'Give the path of a CSV.',
    });
  const csv = readFileSync(path, 'utf8');
  const name = opts.name ?? basename(path, extname(path));
  const session = openEngineSession(opts.dataDir, 'codepercept external import', { runJobs: false });
  try {
    const set = await session.client.call('scaling.external.import', {
      name,
      source: opts.source ?? '',
      csv,
    });
    if (opts.json) printJson(set);
    else
      process.stdout.write(
        `Imported ${set.results.length} results as "${set.name}" (${set.id.slice(0, 8)}).\n${externalResultsTable(set)}\n`,
      );
  } finally {
    await session.close();
  }
}

export async function externalListCommand(opts: { json?: boolean; dataDir?: string }): Promise<void> {
  const session = openEngineSession(opts.dataDir, 'codepercept external list', { runJobs: false });
  try {
    const sets = await session.client.call('scaling.external.list', {});
    if (opts.json) printJson(sets);
    else if (sets.length === 0)
      process.stdout.write('No external result sets. Import one: codepercept external import FILE.csv\n');
    else process.stdout.write(`${externalSetsTable(sets)}\n`);
  } finally {
    await session.close();
  }
}

export async function externalShowCommand(
  ref: string,
  opts: { json?: boolean; dataDir?: string },
): Promise<void> {
  const session = openEngineSession(opts.dataDir, 'codepercept external show', { runJobs: false });
  try {
    const set = await resolveExternalSet(session.client, ref);
    if (opts.json) printJson(set);
    else
      process.stdout.write(
        `${set.name} (${set.id.slice(0, 8)})\n${set.source ? `Source: ${set.source}\n` : ''}\n${externalResultsTable(set)}\n`,
      );
  } finally {
    await session.close();
  }
}

export async function externalRemoveCommand(ref: string, opts: { dataDir?: string }): Promise<void> {
  const session = openEngineSession(opts.dataDir, 'codepercept external remove', { runJobs: false });
  try {
    const set = await resolveExternalSet(session.client, ref);
    await session.client.call('scaling.external.remove', { id: set.id });
    process.stdout.write(`Removed "${set.name}" (${set.id.slice(0, 8)}).\n`);
  } finally {
    await session.close();
  }
}

export function registerExternalCommands(program: Command, { action, dataDirHelp }: CliHelpers): void {
  const external = program
    .command('external')
    .description('external result sets: published numbers to overlay on scaling charts (chart --external)');
  external
    .command('import <file>')
    .description(
      'import a CSV (label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high); every bad cell is named by line and column and nothing is stored',
    )
    .option('--name <name>', 'the set name (default: the file name without .csv)')
    .option('--source <text>', 'where the numbers come from (paper, table, figure), shown under the chart')
    .option('--json', 'print the stored set as JSON')
    .option('--data-dir <dir>', dataDirHelp)
    .action(
      action((file: string, opts: { name?: string; source?: string; json?: boolean; dataDir?: string }) =>
        externalImportCommand(file, opts),
      ),
    );
  external
    .command('list')
    .description('list the stored sets')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', dataDirHelp)
    .action(action((opts: { json?: boolean; dataDir?: string }) => externalListCommand(opts)));
  external
    .command('show <set>')
    .description("a set's results (set: id, id prefix or name)")
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', dataDirHelp)
    .action(
      action((ref: string, opts: { json?: boolean; dataDir?: string }) => externalShowCommand(ref, opts)),
    );
  external
    .command('remove <set>')
    .description('remove a set (id, id prefix or name)')
    .option('--data-dir <dir>', dataDirHelp)
    .action(action((ref: string, opts: { dataDir?: string }) => externalRemoveCommand(ref, opts)));
}
