import { Command, InvalidArgumentError, Option } from 'commander';
import { engineVersion } from '../engine/version';
import { registerChartCommand } from './commands/chart';
import { datasetsCommand, itemsCommand, searchCommand } from './commands/datasets';
import { doctorCommand } from './commands/doctor';
import { registerEvalCommands } from './commands/eval';
import { exportCommand } from './commands/export';
import { registerExternalCommands } from './commands/external';
import { importCommand } from './commands/import';
import { registerJudgeAuditCommand } from './commands/judgeAudit';
import { jobsCancelCommand, jobsDemoCommand, jobsListCommand, jobsResumeCommand } from './commands/jobs';
import { registerModelsCommands } from './commands/models';
import { renderCommand } from './commands/render';
import { registerScaleCommands } from './commands/scale';
import { registerReportCommands } from './commands/report';
import { serveCommand } from './commands/serve';
import { verifyCommand } from './commands/verify';
import { printError } from './output';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError('must be a number of seconds from 0 to 3600');
  return n;
}

const DATA_DIR_HELP = 'data directory (default: $CODEPERCEPT_HOME, else the XDG data dir)';

/** Runs a command body; errors print as message + hint with exit code 1, never as a stack trace. */
function action<A extends unknown[]>(body: (...args: A) => Promise<number | void>) {
  return async (...args: A) => {
    try {
      const code = await body(...args);
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } catch (error) {
      printError(error);
      process.exitCode = 1;
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('codepercept')
    .description('CodePercept Workbench: code-grounded visual STEM perception, offline')
    .version(engineVersion)
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the engine headless and serve the UI at a tokenised URL (for SSH tunnels and browsers)')
    .option('--port <n>', 'port (0 = any free port)', integer(0, 65535), 5757)
    .option(
      '--host <host>',
      'interface to bind; anything but loopback is reachable from other machines',
      '127.0.0.1',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--renderer-dir <dir>', 'serve another build of the UI')
    .action(
      action((opts: { port: number; host: string; dataDir?: string; rendererDir?: string }) =>
        serveCommand(opts),
      ),
    );

  program
    .command('doctor')
    .description(
      'check Node, Python + matplotlib, GPU backends, the sandbox, the data dir and Chromium; say how to fix each',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--python <path>', 'check this interpreter instead of the configured one')
    .option('--json', 'machine-readable output')
    .action(action((opts: { dataDir?: string; python?: string; json?: boolean }) => doctorCommand(opts)));

  const jobs = program.command('jobs').description('list and control long-running jobs');
  jobs
    .command('list', { isDefault: true })
    .description('list jobs, newest first')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--limit <n>', 'at most this many', integer(1, 1000))
    .option('--json', 'machine-readable output')
    .action(action((opts: { dataDir?: string; json?: boolean; limit?: number }) => jobsListCommand(opts)));
  jobs
    .command('demo')
    .description('run a demo job in the foreground with a progress bar (Ctrl+C pauses it)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--items <n>', 'number of items', integer(1, 100_000), 50)
    .option('--delay <ms>', 'milliseconds per item', integer(0, 60_000), 100)
    .option('--json', 'print the final job as JSON')
    .action(
      action((opts: { dataDir?: string; json?: boolean; items: number; delay: number }) =>
        jobsDemoCommand(opts),
      ),
    );
  jobs
    .command('resume [id]')
    .description('resume a paused job (or all unfinished jobs) and follow it to the end')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print the final job as JSON')
    .action(
      action((id: string | undefined, opts: { dataDir?: string; json?: boolean }) =>
        jobsResumeCommand({ ...opts, ...(id ? { id } : {}) }),
      ),
    );
  jobs
    .command('cancel <id>')
    .description('cancel a job (its finished items are kept; it can be resumed)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'machine-readable output')
    .action(
      action((id: string, opts: { dataDir?: string; json?: boolean }) => jobsCancelCommand({ ...opts, id })),
    );

  program
    .command('render <files...>')
    .description('render matplotlib files in the sandboxed renderer: a PNG and an execution trace per file')
    .addOption(
      new Option(
        '--mode <mode>',
        'official: the STEM2Code save rule (dpi 300); canonical: fixed size for metrics',
      )
        .choices(['official', 'canonical'])
        .default('canonical'),
    )
    .option('--out-dir <dir>', 'where to write <name>.png and <name>.trace.json (default: next to each file)')
    .option('--timeout <s>', 'seconds per file', seconds, 30)
    .option('--width <px>', 'canonical width in pixels', integer(16, 8192))
    .option('--height <px>', 'canonical height in pixels', integer(16, 8192))
    .option('--dpi <n>', 'canonical dpi', integer(10, 1200))
    .option('--no-cache', 'render again even if this exact work is cached')
    .addOption(
      new Option('--sandbox <mode>', 'auto: bubblewrap where it works, else in-process guards').choices([
        'auto',
        'bwrap',
        'guards',
      ]),
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'one JSON line per file: file, status, failure, ms, outputs')
    .action(
      action((files: string[], opts: Parameters<typeof renderCommand>[1]) => renderCommand(files, opts)),
    );

  program
    .command('import <file>')
    .description(
      'import a dataset file (or a folder of .py files) as a resumable job; prints imported, skipped and every bad row',
    )
    .addOption(
      new Option(
        '--format <format>',
        'stem2code: the official JSONL; jsonl/csv/parquet: generic with --map; folder: *.py (+ image, .md); vqa: JSONL, TSV or Parquet',
      )
        .choices(['stem2code', 'jsonl', 'csv', 'parquet', 'folder', 'vqa'])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'dataset name (default: the file name without extension)')
    .option('--images-root <dir>', 'where relative image paths are found (default: next to the file)')
    .option(
      '--allow-outside-root',
      "take image paths that resolve outside the file's folder and --images-root (off: such rows are errors)",
    )
    .option('--map <pairs>', 'field=column pairs, e.g. image=img_path,code=gt_code,caption=desc')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print the job and the report as JSON')
    .action(action((file: string, opts: Parameters<typeof importCommand>[1]) => importCommand(file, opts)));

  program
    .command('datasets')
    .description('list datasets')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'machine-readable output')
    .action(action((opts: { dataDir?: string; json?: boolean }) => datasetsCommand(opts)));

  program
    .command('items <dataset>')
    .description('list the items of a dataset, a page at a time')
    .option('--category <c>', 'only this category')
    .option('--tag <t>', 'only items with this tag')
    .option('--limit <n>', 'page size', integer(1, 500), 20)
    .option(
      '--after <id>',
      'the page after this item id (printed as "More:")',
      integer(0, Number.MAX_SAFE_INTEGER),
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'machine-readable output')
    .action(
      action((dataset: string, opts: Parameters<typeof itemsCommand>[1]) => itemsCommand(dataset, opts)),
    );

  program
    .command('search <dataset> <query>')
    .description('full-text search over captions, code and questions')
    .option('--limit <n>', 'at most this many', integer(1, 200), 20)
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'machine-readable output')
    .action(
      action((dataset: string, query: string, opts: Parameters<typeof searchCommand>[2]) =>
        searchCommand(dataset, query, opts),
      ),
    );

  program
    .command('export <dataset>')
    .description(
      'write a dataset as JSONL (our schema, images alongside), the official STEM2Code layout, or Parquet (images embedded)',
    )
    .addOption(
      new Option('--format <format>', 'output layout')
        .choices(['jsonl', 'stem2code', 'parquet'])
        .default('jsonl'),
    )
    .requiredOption('-o, --output <file>', 'the file to write')
    .option('--category <c>', 'only this category')
    .option('--source <s>', 'only this source')
    .option('--tag <t>', 'only items with this tag')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print a summary as JSON')
    .action(
      action((dataset: string, opts: Parameters<typeof exportCommand>[1]) => exportCommand(dataset, opts)),
    );

  program
    .command('verify <dataset>')
    .description(
      "re-render every item's code and compare with its image (SSIM + foreground IoU); prints counts and the worst items",
    )
    .option('--ssim <x>', 'SSIM at or above this matches', fraction, 0.9)
    .option('--iou <y>', 'foreground IoU at or above this matches', fraction, 0.8)
    .option('--worst <n>', 'list this many of the worst items', integer(0, 1000), 10)
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print the job, the counts and the worst items as JSON')
    .action(
      action((dataset: string, opts: Parameters<typeof verifyCommand>[1]) => verifyCommand(dataset, opts)),
    );

  registerModelsCommands(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerEvalCommands(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerReportCommands(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerJudgeAuditCommand(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerScaleCommands(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerChartCommand(program, { action, integer, dataDirHelp: DATA_DIR_HELP });
  registerExternalCommands(program, { action, integer, dataDirHelp: DATA_DIR_HELP });

  return program;
}

await buildProgram().parseAsync(process.argv);
