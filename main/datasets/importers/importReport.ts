import type { ImportReport } from '../../api/datasets';
import type { SqliteDatabase } from '../../store/sqlite';
import type { BatchResult } from './importJob';

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
      const [kind, a, b] = batch.key.split(':');
      const line = kind === 'lines' ? Number(b) : Number(a) + 2;
      report.errors.push({
        file,
        line,
        field: null,
        reason: `batch failed: ${batch.error ?? 'unknown error'}`,
      });
    }
  }
  return report;
}
