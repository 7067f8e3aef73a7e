import { Option } from 'commander';
import type { Command } from 'commander';
import type { JudgeAuditReportResult } from '../../api/judgeAudit';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import { findDataset } from './datasets';
import { judgeSpec } from './eval';
import type { CliHelpers } from './models';

export interface JudgeAuditOptions {
  benchmark: string;
  judge: string;
  kind: 'image' | 'code';
  run?: string;
  limit?: number;
  attempts?: number;
  dataDir?: string;
  json?: boolean;
}

const num = (value: number | null, digits = 1) => (value === null ? '-' : value.toFixed(digits));

/** The report as a person reads it: one line per check with its verdict, then the numbers behind them. */
export function auditTable(report: JudgeAuditReportResult): string {
  const findings = formatTable(
    ['CHECK', 'LEVEL', 'FINDING'],
    report.findings.map((f) => [f.check, f.level, f.message]),
  );
  const metrics = report.metricAgreement
    .filter((m) => m.spearman !== null)
    .map((m) => `${m.metric} ${num(m.spearman, 2)}`)
    .join(', ');
  return (
    `Judge ${report.judge} (${report.kind}) on ${report.items} item(s), ${report.judgments} judgments: ` +
    `self mean ${num(report.self.mean)}, repeat |Δ| ${num(report.repeat.meanAbsDiff)}, ` +
    `swapped |Δ| ${num(report.swapped.meanAbsDiff)}, ${report.failedJudgments} unscored, ` +
    `${report.failedAttempts} failed attempts\n${findings}\n` +
    `Spearman with the metrics: ${metrics || 'none (no run given, or too few varying items)'}`
  );
}

export async function judgeAuditCommand(options: JudgeAuditOptions): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept judge-audit', { runJobs: false });
  try {
    const { client } = session;
    const benchmark = await findDataset(client, options.benchmark);
    const report = await client.call(
      'eval.auditJudge',
      {
        benchmarkDatasetId: benchmark.id,
        judge: judgeSpec(options.judge),
        kind: options.kind,
        ...(options.run !== undefined && { runId: options.run }),
        ...(options.limit !== undefined && { limit: options.limit }),
        ...(options.attempts !== undefined && { attempts: options.attempts }),
      },
      {
        onChunk: ({ done, total }) => {
          if (!options.json && process.stderr.isTTY) process.stderr.write(`\rjudging ${done}/${total}`);
        },
      },
    );
    if (!options.json && process.stderr.isTTY) process.stderr.write('\n');
    if (options.json) printJson(report);
    else process.stdout.write(`${auditTable(report)}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

export function registerJudgeAuditCommand(
  program: Command,
  { action, integer, dataDirHelp }: CliHelpers,
): void {
  program
    .command('judge-audit')
    .description(
      'how far to trust a judge: reference vs itself, repeat agreement, swapped order, agreement with the metrics',
    )
    .requiredOption('--benchmark <dataset>', 'a stem2code dataset (name or id)')
    .requiredOption('--judge <model>', 'the judge: a local model, or endpoint:NAME')
    .addOption(
      new Option('--kind <kind>', 'image: the multimodal judge; code: the text judge')
        .choices(['image', 'code'])
        .makeOptionMandatory(),
    )
    .option('--run <run>', 'a run on this benchmark: its candidates and metrics (id or prefix)')
    .option('--limit <n>', 'at most N items', integer(1, 10_000))
    .option('--attempts <n>', 'attempts per judgment before it counts as failed (default 3)', integer(1, 10))
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'print the whole report as JSON')
    .action(action((opts: JudgeAuditOptions) => judgeAuditCommand(opts)));
}
