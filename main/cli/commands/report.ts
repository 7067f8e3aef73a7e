import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ApiClient } from '../../api/client';
import type { EvalItemResult } from '../../api/eval';
import { compareRuns } from '../../eval/report/compareRuns';
import type { PairedDifference, RunComparison } from '../../eval/report/compareRuns';
import { toCsv } from '../../eval/report/toCsv';
import { toHtml } from '../../eval/report/toHtml';
import { toJson } from '../../eval/report/toJson';
import type { ItemExtras, ReportInput } from '../../eval/report/toJson';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import type { CliHelpers } from './models';

export type ReportFormat = 'html' | 'json' | 'csv';

/** eval.items' page limit: a run's records are read page by page. */
const PAGE = 1000;

/**
 * A run's finished items with their reference images and stages, as the report functions take them.
 * Unfinished items are left out (the summary says how many finished of how many planned).
 */
export async function loadReportInput(client: ApiClient, runIdOrPrefix: string): Promise<ReportInput> {
  const detail = await client.call('eval.run', { id: runIdOrPrefix });
  const records: EvalItemResult[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.call('eval.items', { runId: detail.id, offset, limit: PAGE });
    records.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  const items: EvalItemResult[] = [];
  const extras = new Map<number, ItemExtras>();
  for (const record of records) {
    const item = await client.call('eval.item', { runId: detail.id, itemId: record.itemId });
    if (!item.complete) continue;
    items.push(item.result);
    extras.set(record.itemId, {
      referenceImageSha256: item.reference.imageSha256,
      stages: item.stages.map(({ stage, cached, durationMs, attempts }) => ({
        stage,
        cached,
        durationMs,
        attempts,
      })),
      complete: true,
    });
  }
  return {
    info: {
      id: detail.id,
      name: detail.name,
      subject: detail.subject,
      benchmark: detail.benchmark.name,
      createdAt: detail.createdAt,
      total: detail.total,
      judges: { image: detail.config.imageJudge !== null, code: detail.config.codeJudge !== null },
    },
    items,
    extras,
  };
}

/** Thumbnails (WebP, longest side ≤ 256 px) of every reference and render, fetched before the sync render. */
async function thumbnails(client: ApiClient, input: ReportInput): Promise<Map<string, Buffer>> {
  const wanted = new Set<string>();
  for (const r of input.items) {
    const reference = input.extras?.get(r.itemId)?.referenceImageSha256;
    if (reference) wanted.add(reference);
    if (r.official?.imageSha256) wanted.add(r.official.imageSha256);
  }
  const images = new Map<string, Buffer>();
  for (const sha256 of wanted) {
    try {
      const { dataUrl } = await client.call('media.thumbnail', { sha256 });
      images.set(sha256, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    } catch {
      // A missing or unreadable image shows as "not available" in its cell; the report still stands.
    }
  }
  return images;
}

export async function reportCommand(
  run: string,
  options: { format: ReportFormat; output?: string; dataDir?: string },
): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept report', { runJobs: false });
  try {
    const input = await loadReportInput(session.client, run);
    let text: string;
    if (options.format === 'json') text = toJson(input);
    else if (options.format === 'csv') text = toCsv(input);
    else {
      const images = await thumbnails(session.client, input);
      text = toHtml(input, { loadImage: (sha) => images.get(sha) ?? null });
    }
    if (!options.output) {
      process.stdout.write(text);
      return;
    }
    const path = resolve(options.output);
    writeFileSync(path, text);
    const unfinished =
      input.info.total !== undefined && input.items.length < input.info.total
        ? ` (${input.items.length} of ${input.info.total} items finished)`
        : '';
    process.stderr.write(
      `Wrote the ${options.format.toUpperCase()} report of run ${input.info.id.slice(0, 8)} "${input.info.name}"${unfinished} to ${path} (${Buffer.byteLength(text)} bytes).\n`,
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
  return [
    `A: ${c.a.name} (${c.a.id.slice(0, 8)})   B: ${c.b.name} (${c.b.id.slice(0, 8)})   shared items: ${c.shared}` +
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
    const a = await loadReportInput(session.client, runA);
    const b = await loadReportInput(session.client, runB);
    const comparison = compareRuns(a, b);
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
        'html: self-contained page with images; json: everything; csv: one row per item',
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
