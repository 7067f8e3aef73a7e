import type { FieldMap, ImportFormat, ImportReport } from '../../api/datasets';
import { mappableFields } from '../../api/datasets';
import type { JobSnapshot } from '../../api/jobs';
import { resolve } from 'node:path';
import { basename, extname } from 'node:path';
import { openEngineSession } from '../engineSession';
import { printJson } from '../output';
import { follow } from './jobs';

export interface ImportOptions {
  format: ImportFormat;
  name?: string;
  imagesRoot?: string;
  allowOutsideRoot?: boolean;
  map?: string;
  dataDir?: string;
  json?: boolean;
}

/** Parses `--map image=img_path,code=gt_code`: our field on the left, the file's column on the right. */
export function parseFieldMap(text: string): FieldMap {
  const map: FieldMap = {};
  for (const pair of text.split(',')) {
    const [field, column, ...rest] = pair.split('=').map((s) => s.trim());
    if (!field || !column || rest.length > 0)
      throw new Error(`--map: "${pair}" is not field=column (e.g. image=img_path,code=gt_code).`);
    if (!(mappableFields as readonly string[]).includes(field))
      throw new Error(`--map: unknown field "${field}"; known fields: ${mappableFields.join(', ')}.`);
    map[field as keyof FieldMap] = column;
  }
  return map;
}

export function formatImportReport(report: ImportReport, name: string): string {
  const lines = [
    `Imported ${report.imported}, skipped ${report.skipped} (duplicates), ${report.errors.length} error(s) into "${name}".`,
  ];
  for (const e of report.errors)
    lines.push(`  ${e.file}:${e.line}${e.field ? ` [${e.field}]` : ''} ${e.reason}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Imports in the foreground with a progress bar. Running the same import again after a crash or Ctrl+C
 * continues the unfinished job instead of starting a second one, so the counts stay those of one import.
 */
export async function importCommand(path: string, options: ImportOptions): Promise<number> {
  const map = options.map ? parseFieldMap(options.map) : undefined;
  const absolute = resolve(path);
  const name = options.name ?? basename(absolute, extname(absolute));
  const session = openEngineSession(options.dataDir, 'codepercept import');
  try {
    const { client } = session;
    const unfinished = (await client.call('jobs.list', { limit: 1000 })).find((j) => {
      const p = j.params as { path?: string; format?: string; name?: string; allowOutsideRoot?: boolean };
      return (
        j.type === 'datasets.import' &&
        !['done', 'cancelled'].includes(j.state) &&
        p.path === absolute &&
        p.format === options.format &&
        p.name === name &&
        (p.allowOutsideRoot ?? false) === (options.allowOutsideRoot ?? false)
      );
    });
    let job: JobSnapshot;
    if (unfinished) {
      if (!options.json)
        process.stderr.write(`Continuing the unfinished import ${unfinished.id.slice(0, 8)}.\n`);
      job = ['paused', 'failed'].includes(unfinished.state)
        ? await client.call('jobs.resume', { id: unfinished.id })
        : unfinished;
    } else {
      job = await client.call('datasets.import', {
        path: absolute,
        format: options.format,
        name,
        ...(options.imagesRoot ? { imagesRoot: options.imagesRoot } : {}),
        ...(options.allowOutsideRoot ? { allowOutsideRoot: true } : {}),
        ...(map ? { map } : {}),
      });
    }
    const final = await follow(client, job, options.json ?? false, false);
    const report = await client.call('datasets.errors', { jobId: job.id });
    if (options.json) printJson({ job: final, report });
    else process.stdout.write(formatImportReport(report, name));
    if (final.state === 'failed') {
      process.stderr.write(`error: the import failed: ${final.error ?? 'unknown error'}\n`);
      return 1;
    }
    // Non-zero only when nothing at all could be taken: some bad rows are a report, not a failure.
    return final.state === 'done' && report.imported === 0 && report.skipped === 0 ? 1 : 0;
  } finally {
    await session.close();
  }
}
