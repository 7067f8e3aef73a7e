import type { ImportReport } from '../../api/datasets';
import type { SqliteDatabase } from '../../store/sqlite';
import { parseCsvBatchKey } from './csvRecords';
import { parseFolderBatchKey } from './folderRows';
import type { BatchResult } from './importJob';
import { parseChunkKey } from './lineChunks';
import { parseParquetBatchKey } from './parquetRows';

/** Where a batch begins, from its key (see the plan of each source in importJob.ts). */
function batchStart(key: string, file: string): { file: string; line: number } {
  if (key.startsWith('lines:')) return { file, line: parseChunkKey(key).firstLine };
  if (key.startsWith('csv:')) return { file, line: parseCsvBatchKey(key).linesBefore + 1 };
  if (key.startsWith('rows:')) return { file, line: parseParquetBatchKey(key).from + 1 };
  if (key.startsWith('files:')) return { file: parseFolderBatchKey(key).first, line: 1 };
  return { file, line: 0 };
}

/** Rows in a batch, from its key; null for folder batches (named by their first and last file only). */
export function rowsInBatch(key: string): number | null {
  if (key.startsWith('lines:')) return parseChunkKey(key).lines;
  if (key.startsWith('csv:')) return parseCsvBatchKey(key).count;
  if (key.startsWith('rows:')) return parseParquetBatchKey(key).count;
  return null;
}

/** Sums the batches of an import job. A batch that failed as a whole is one error naming its first line. */
export function importReport(db: SqliteDatabase, jobId: string, file: string): ImportReport {
  const batches = db
    .prepare('SELECT key, state, result, error FROM job_items WHERE job_id = ? ORDER BY idx')
    .all(jobId) as { key: string; state: string; result: string | null; error: string | null }[];
  const report: ImportReport = { jobId, imported: 0, skipped: 0, errors: [] };
  for (const batch of batches) {
    if (batch.state === 'done' && batch.result) {
      const r = JSON.parse(batch.result) as BatchResult;
      report.imported += r.imported;
      report.skipped += r.skipped;
      report.errors.push(...r.errors);
    } else if (batch.state === 'failed') {
      report.errors.push({
        ...batchStart(batch.key, file),
        field: null,
        reason: `batch failed: ${batch.error ?? 'unknown error'}`,
      });
    }
  }
  return report;
}
