import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { RenderMode, RenderOutcome } from '../../api/render';
import type { SandboxPreference } from '../../render/renderService';
import { openEngineSession } from '../engineSession';

export interface RenderCommandOptions {
  dataDir?: string;
  mode: RenderMode;
  outDir?: string;
  timeout: number;
  width?: number;
  height?: number;
  dpi?: number;
  json?: boolean;
  cache: boolean;
  sandbox?: SandboxPreference;
}

interface FileReport {
  file: string;
  status: RenderOutcome['status'] | 'unreadable';
  failure: RenderOutcome['failure'] | { message: string } | null;
  ms: number;
  cached: boolean;
  png: string | null;
  trace: string | null;
}

/** Output names: `<stem>.png` and `<stem>.trace.json`, made unique when two inputs share a stem. */
function outputStems(files: string[], outDir: string | undefined): string[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const stem = join(outDir ? resolve(outDir) : dirname(resolve(file)), basename(file, extname(file)));
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return n === 1 ? stem : `${stem}-${n}`;
  });
}

function describe(report: FileReport): string {
  const mark = report.status === 'ok' ? '✓' : '✗';
  const failure = report.failure
    ? ` — ${'type' in report.failure && report.failure.type ? `${report.failure.type}: ` : ''}${report.failure.message}` +
      ('line' in report.failure && report.failure.line ? ` (line ${report.failure.line})` : '')
    : '';
  return `${mark} ${report.file}  ${report.status}${failure}  ${Math.round(report.ms)} ms${report.cached ? ' (cached)' : ''}`;
}

/** Renders many files through the warm pool; one line per file as each finishes. Exit 1 if any is not ok. */
export async function renderCommand(files: string[], options: RenderCommandOptions): Promise<number> {
  if (options.outDir) mkdirSync(options.outDir, { recursive: true });
  const stems = outputStems(files, options.outDir);
  const session = openEngineSession(options.dataDir, 'codepercept render', {
    runJobs: false,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  try {
    const reports = await Promise.all(
      files.map(async (file, i): Promise<FileReport> => {
        const started = Date.now();
        let code: string;
        try {
          code = readFileSync(file, 'utf8');
        } catch (error) {
          const report: FileReport = {
            file,
            status: 'unreadable',
            failure: { message: (error as Error).message },
            ms: 0,
            cached: false,
            png: null,
            trace: null,
          };
          emit(report, options.json);
          return report;
        }
        const outcome = await session.client.call('render.run', {
          code,
          options: {
            mode: options.mode,
            timeoutMs: Math.round(options.timeout * 1000),
            ...(options.width ? { width: options.width } : {}),
            ...(options.height ? { height: options.height } : {}),
            ...(options.dpi ? { dpi: options.dpi } : {}),
          },
          useCache: options.cache,
        });
        const stem = stems[i]!;
        let png: string | null = null;
        let trace: string | null = null;
        if (outcome.image) {
          png = `${stem}.png`;
          writeFileSync(png, session.engine.store.blobs.read(outcome.image.sha256));
        }
        if (outcome.trace !== null) {
          trace = `${stem}.trace.json`;
          writeFileSync(trace, `${JSON.stringify(outcome.trace, null, 1)}\n`);
        }
        const report: FileReport = {
          file,
          status: outcome.status,
          failure: outcome.failure,
          ms: outcome.cached ? Date.now() - started : outcome.durationMs,
          cached: outcome.cached,
          png,
          trace,
        };
        emit(report, options.json);
        return report;
      }),
    );
    if (!options.json) {
      const ok = reports.filter((r) => r.status === 'ok').length;
      const health = session.engine.render.health();
      process.stderr.write(
        `${ok}/${reports.length} rendered ok (${options.mode} mode, sandbox: ${health.sandbox ?? 'none'}${health.seccomp ? ' + seccomp' : ''})\n`,
      );
      if (health.sandboxWarning) process.stderr.write(`WARNING: ${health.sandboxWarning}\n`);
    }
    return reports.every((r) => r.status === 'ok') ? 0 : 1;
  } finally {
    await session.close();
  }
}

function emit(report: FileReport, json: boolean | undefined): void {
  process.stdout.write(`${json ? JSON.stringify(report) : describe(report)}\n`);
}
