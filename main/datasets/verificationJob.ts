import { verifyParamsSchema } from '../api/datasets';
import type { VerificationStatus, VerifyParams } from '../api/datasets';
import type { MetricsComputer } from '../eval/metrics/metricsComputer';
import type { JobDefinition } from '../jobs/jobDefinition';
import type { RenderService } from '../render/renderService';
import type { WorkbenchStore } from '../store/workbenchStore';
import { ItemVerifier } from './verification';
import type { VerifiableItem } from './verification';
import { VerificationRepository } from './verificationRepository';

export const VERIFY_JOB_TYPE = 'datasets.verify';

/**
 * Items per job item. Small enough that a crash or pause loses little rendering; the job runs two batches at
 * once so the render pool always has queued work while one batch waits for its slowest render.
 */
export const ITEMS_PER_BATCH = 16;
const BATCHES_AT_ONCE = 2;

/** What each batch records as its result: how many items got each verdict. */
export type VerifyBatchResult = Partial<Record<VerificationStatus, number>>;

/** The id range and how many items it holds (ids may have gaps), so progress counts items, not batches. */
export function batchKey(firstId: number, lastId: number, count: number): string {
  return `ids:${firstId}-${lastId}:${count}`;
}

export function parseBatchKey(key: string): { firstId: number; lastId: number; count: number } {
  const match = /^ids:(\d+)-(\d+):(\d+)$/.exec(key);
  if (!match) throw new Error(`Not a verification batch key: "${key}".`);
  return { firstId: Number(match[1]), lastId: Number(match[2]), count: Number(match[3]) };
}

/**
 * The verification job: re-render every item's code canonically at its image's size and compare (SSIM +
 * foreground IoU). Plan: the dataset's item ids in batches, by id range, fixed at the first start. Each batch
 * renders its items in parallel and writes all verdicts in one transaction, so a resumed job redoes only
 * batches whose verdicts were not stored.
 */
export function createVerificationJob(
  store: WorkbenchStore,
  render: RenderService,
  metrics: MetricsComputer,
): JobDefinition<VerifyParams> {
  const verifier = new ItemVerifier(render, store.blobs, metrics);
  const verifications = new VerificationRepository(store.db);
  const datasetName = (id: number) =>
    (store.db.prepare('SELECT name FROM datasets WHERE id = ?').pluck().get(id) as string | undefined) ??
    `#${id}`;

  return {
    type: VERIFY_JOB_TYPE,
    paramsSchema: verifyParamsSchema,
    title: (p) => `Verify "${datasetName(p.datasetId)}" (SSIM ≥ ${p.ssimThreshold}, IoU ≥ ${p.iouThreshold})`,
    concurrency: BATCHES_AT_ONCE,
    units: () => ({ label: 'items', of: (key) => parseBatchKey(key).count }),
    plan({ params }) {
      const ids = store.db
        .prepare('SELECT id FROM items WHERE dataset_id = ? ORDER BY id')
        .pluck()
        .all(params.datasetId) as number[];
      const keys: string[] = [];
      for (let i = 0; i < ids.length; i += ITEMS_PER_BATCH) {
        const batch = ids.slice(i, i + ITEMS_PER_BATCH);
        keys.push(batchKey(batch[0]!, batch.at(-1)!, batch.length));
      }
      return keys;
    },
    async runItem({ jobId, params, key, signal }): Promise<VerifyBatchResult> {
      signal.throwIfAborted();
      const { firstId, lastId } = parseBatchKey(key);
      const items = store.db
        .prepare(
          `SELECT id, code, image_sha256 AS imageSha256 FROM items
           WHERE dataset_id = ? AND id BETWEEN ? AND ? ORDER BY id`,
        )
        .all(params.datasetId, firstId, lastId) as (VerifiableItem & { id: number })[];
      // All at once: the render pool queues them and keeps every worker busy.
      const verdicts = await Promise.all(
        items.map(async (item) => ({
          itemId: item.id,
          verification: (await verifier.verify(item, params, { signal })).verification,
        })),
      );
      signal.throwIfAborted();
      verifications.saveAll(verdicts, jobId);
      const counts: VerifyBatchResult = {};
      for (const { verification } of verdicts)
        counts[verification.status] = (counts[verification.status] ?? 0) + 1;
      return counts;
    },
  };
}
