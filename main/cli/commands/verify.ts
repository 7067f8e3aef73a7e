import type { ApiClient } from '../../api/client';
import type { Item, VerificationFilter } from '../../api/datasets';
import type { JobSnapshot } from '../../api/jobs';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';
import { findDataset } from './datasets';
import { follow } from './jobs';

export interface VerifyOptions {
  ssim?: number;
  iou?: number;
  /** How many of the worst items to list. */
  worst?: number;
  dataDir?: string;
  json?: boolean;
}

export interface WorstItem {
  id: number;
  uid: string;
  status: string;
  ssim: number | null;
  iou: number | null;
  renderStatus: string | null;
}

const VERIFY_JOB_TYPE = 'datasets.verify';

/**
 * The worst verdicts: failed renders first, then mismatches by SSIM, lowest first. Walks only the items
 * with those verdicts (keyset pages over the verification-status index), never the whole dataset.
 */
async function worstItems(client: ApiClient, datasetId: number, limit: number): Promise<WorstItem[]> {
  const found: WorstItem[] = [];
  for (const status of ['render_failed', 'mismatch'] satisfies VerificationFilter[]) {
    const ofStatus: WorstItem[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await client.call('items.page', {
        datasetId,
        verification: status,
        limit: 500,
        ...(after ? { after } : {}),
      });
      ofStatus.push(...page.items.map(toWorst));
      // Failed renders have no score to rank by: the first ones are as bad as any.
      if (page.next === null || (status === 'render_failed' && ofStatus.length >= limit)) break;
      after = page.next;
    }
    ofStatus.sort((a, b) => (a.ssim ?? 0) - (b.ssim ?? 0) || (a.iou ?? 0) - (b.iou ?? 0) || a.id - b.id);
    found.push(...ofStatus);
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}

function toWorst(item: Item): WorstItem {
  const v = item.verification!;
  return {
    id: item.id,
    uid: item.uid,
    status: v.status,
    ssim: v.ssim,
    iou: v.iou,
    renderStatus: v.renderStatus,
  };
}

const score = (value: number | null) => (value === null ? '-' : value.toFixed(3));

/**
 * Re-renders every item's code and compares it with the item's image, with a progress bar; prints how many
 * items got each verdict and the worst ones. Running it again after Ctrl+C or a crash continues the same job.
 */
export async function verifyCommand(dataset: string, options: VerifyOptions): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept verify');
  try {
    const { client } = session;
    const ds = await findDataset(client, dataset);
    const params = {
      datasetId: ds.id,
      ssimThreshold: options.ssim ?? 0.9,
      iouThreshold: options.iou ?? 0.8,
    };
    const unfinished = (await client.call('jobs.list', { limit: 1000 })).find((j) => {
      const p = j.params as typeof params;
      return (
        j.type === VERIFY_JOB_TYPE &&
        !['done', 'cancelled'].includes(j.state) &&
        p.datasetId === params.datasetId &&
        p.ssimThreshold === params.ssimThreshold &&
        p.iouThreshold === params.iouThreshold
      );
    });
    let job: JobSnapshot;
    if (unfinished) {
      if (!options.json)
        process.stderr.write(`Continuing the unfinished verification ${unfinished.id.slice(0, 8)}.\n`);
      job = ['paused', 'failed'].includes(unfinished.state)
        ? await client.call('jobs.resume', { id: unfinished.id })
        : unfinished;
    } else job = await client.call('datasets.verify', params);
    const final = await follow(client, job, options.json ?? false, false);
    const facets = await client.call('items.facets', { datasetId: ds.id });
    const counts = Object.fromEntries(facets.verification.map((v) => [v.value, v.count]));
    const worst = await worstItems(client, ds.id, options.worst ?? 10);
    if (options.json) printJson({ job: final, counts, worst });
    else {
      const seconds =
        final.startedAt && final.finishedAt ? (final.finishedAt - final.startedAt) / 1000 : null;
      process.stdout.write(
        `Verified "${ds.name}" (SSIM ≥ ${params.ssimThreshold}, IoU ≥ ${params.iouThreshold}): ` +
          `${facets.verification.map((v) => `${v.value} ${v.count}`).join(', ')}` +
          (seconds ? ` — ${facets.total} items in ${seconds.toFixed(1)} s` : '') +
          '\n',
      );
      if (worst.length > 0)
        process.stdout.write(
          `Worst items:\n${formatTable(
            ['ID', 'UID', 'STATUS', 'SSIM', 'IOU', 'RENDER'],
            worst.map((w) => [
              String(w.id),
              w.uid,
              w.status,
              score(w.ssim),
              score(w.iou),
              w.renderStatus ?? '',
            ]),
          )}\n`,
        );
    }
    if (final.state === 'failed' || final.failed > 0) {
      process.stderr.write(
        `error: ${final.state === 'failed' ? `the verification failed: ${final.error ?? 'unknown error'}` : `${final.failed} batch(es) could not be verified`}\n` +
          '  Check the renderer with: codepercept doctor — then run the same command again to retry.\n',
      );
      return 1;
    }
    return 0;
  } finally {
    await session.close();
  }
}
