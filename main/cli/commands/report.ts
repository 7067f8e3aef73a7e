import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { PairedDifference, ReportFormat, RunComparison } from '../../api/eval';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import type { CliHelpers } from './models';

export async function reportCommand(
  run: string,
  options: { format: ReportFormat; output?: string; dataDir?: string },
): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept report', { runJobs: false });
  try {
    const report = await session.client.call('eval.report', { id: run, format: options.format });
    if (!options.output) {
      process.stdout.write(report.content);
      return;
    }
    const path = resolve(options.output);
    writeFileSync(path, report.content);
    const unfinished =
      report.run.items < report.run.total
        ? ` (${report.run.items} of ${report.run.total} items finished)`
        : '';
    process.stderr.write(
      `Wrote the ${options.format.toUpperCase()} report of run ${report.run.id.slice(0, 8)} "${report.run.name}"${unfinished} to ${path} (${Buffer.byteLength(report.content)} bytes).\n`,
    );
  } finally {
    await session.close();
  }
}

const num = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));

function differenceCells(d: PairedDifference | null, digits: number): string[] {
  if (!d || d.n === 0) return ['-', '-', '-'];
  return [
    `${num(d.difference, digits)} [${num(d.low, digits)}, ${num(d.high, digits)}]`,
    num(d.p, 4),
    `${d.verdict} (n=${d.n})`,
  ];
}

/** The comparison as a terminal table: strict (every shared item) and conditional (both executed) rows. */
export function comparisonTable(c: RunComparison): string {
  const rows: string[][] = [];
  for (const r of c.rows) {
    const digits = ['execRate', 'imageScore', 'codeScore', 'final'].includes(r.quantity) ? 2 : 4;
    if (r.unavailable && !r.strict && !r.conditional) {
      rows.push([r.quantity, '', '-', '-', '-', '-', r.unavailable]);
      continue;
    }
    for (const [variant, d] of [
      ['strict', r.strict],
      ['conditional', r.conditional],
    ] as const) {
      if (!d) continue;
      rows.push([
        r.quantity,
        variant,
        num(d.meanA, digits),
        num(d.meanB, digits),
        ...differenceCells(d, digits),
      ]);
    }
  }
  const flips = (label: string, list: RunComparison['flips']['executedInAOnly']) =>
    list.length === 0
      ? `${label}: none`
      : `${label} (${list.length}): ${list.map((f) => `${f.uid}${f.failure ? ` [${f.failure}]` : ''}`).join(', ')}`;
  // Runs with several samples per item are compared on per-item means; say N where it is not 1.
  const run = (r: RunComparison['a']) =>
    `${r.name} (${r.id.slice(0, 8)}${r.samplesPerItem && r.samplesPerItem > 1 ? `, ${r.samplesPerItem} samples per item` : ''})`;
  return [
    `A: ${run(c.a)}   B: ${run(c.b)}   shared items: ${c.shared}` +
      (c.onlyInA.length || c.onlyInB.length
        ? `   only in A: ${c.onlyInA.length}, only in B: ${c.onlyInB.length} (not compared)`
        : ''),
    formatTable(['QUANTITY', 'VARIANT', 'A', 'B', 'A − B [95% CI]', 'P', 'VERDICT'], rows),
    flips('Executed in A, failed in B', c.flips.executedInAOnly),
    flips('Executed in B, failed in A', c.flips.executedInBOnly),
  ].join('\n');
}

export async function compareCommand(
  runA: string,
  runB: string,
  options: { json?: boolean; dataDir?: string },
): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept compare', { runJobs: false });
  try {
    const comparison = await session.client.call('eval.compare', { a: runA, b: runB });
    if (options.json) printJson(comparison);
    else process.stdout.write(`${comparisonTable(comparison)}\n`);
  } finally {
    await session.close();
  }
}

export function registerReportCommands(program: Command, { action, dataDirHelp }: CliHelpers): void {
  program
    .command('report')
    .description('export an evaluation run: summary with 95% CIs, failure taxonomy and every item')
    .argument('<run>', 'run id (or a unique prefix)')
    .addOption(
      new Option(
        '--format <format>',
        'html: self-contained page with images; json: everything; csv: one row per item (per item × sample)',
      )
        .choices(['html', 'json', 'csv'])
        .default('json'),
    )
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--data-dir <dir>', dataDirHelp)
    .action(
      action((run: string, opts: { format: ReportFormat; output?: string; dataDir?: string }) =>
        reportCommand(run, opts),
      ),
    );

  program
    .command('compare')
    .description(
      'run A vs run B on their shared items: paired bootstrap per score and metric, execution flips',
    )
    .argument('<runA>', 'run id (or a unique prefix)')
    .argument('<runB>', 'run id (or a unique prefix)')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'machine-readable output')
    .action(
      action((runA: string, runB: string, opts: { json?: boolean; dataDir?: string }) =>
        compareCommand(runA, runB, opts),
      ),
    );
}
