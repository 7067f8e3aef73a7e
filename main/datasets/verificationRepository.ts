import type { Verification } from '../api/datasets';
import type { SqliteDatabase } from '../store/sqlite';
import type { Statement } from 'better-sqlite3';

/** The latest verification of each item: one row per item, replaced on every check. */
export class VerificationRepository {
  private upsert: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  /** Stores several verdicts in one transaction: a batch is stored whole or not at all. */
  saveAll(rows: { itemId: number; verification: Verification }[], jobId: string | null): void {
    this.upsert ??= this.db.prepare(
      `INSERT INTO verifications (item_id, status, ssim, iou, render_status, render_sha256, job_id, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET status = excluded.status, ssim = excluded.ssim, iou = excluded.iou,
         render_status = excluded.render_status, render_sha256 = excluded.render_sha256,
         job_id = excluded.job_id, checked_at = excluded.checked_at`,
    );
    const upsert = this.upsert;
    this.db.transaction(() => {
      for (const { itemId, verification: v } of rows)
        upsert.run(itemId, v.status, v.ssim, v.iou, v.renderStatus, v.renderSha256, jobId, v.checkedAt);
    })();
  }
}
