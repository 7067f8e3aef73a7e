import { ApiError } from '../../api/errors';
import type { EvalItemDetail, EvalOverlay } from '../../api/eval';
import { inkDifference } from '../metrics/diffOverlay';
import { encodePng, loadImagePair } from '../metrics/imagePair';

export interface ItemOverlayDeps {
  /** The item as eval.item returns it: the hashes of both canonical renders. */
  item: (runId: string, itemId: number, sample: number) => EvalItemDetail;
  readBlob: (sha256: string) => Uint8Array;
}

export interface ItemOverlayRequest {
  runId: string;
  itemId: number;
  sample?: number | undefined;
}

/**
 * The difference overlay of one item's canonical renders (reference code vs candidate code), from the same
 * image pair and ink masks the foreground IoU metric uses, so its counts give the item's foreground IoU.
 */
export async function itemOverlay(deps: ItemOverlayDeps, request: ItemOverlayRequest): Promise<EvalOverlay> {
  const detail = deps.item(request.runId, request.itemId, request.sample ?? 0);
  const uid = detail.result.uid;
  const referenceSha = detail.referenceCanonical?.imageSha256 ?? null;
  if (referenceSha === null)
    throw new ApiError({
      code: 'CONFLICT',
      message: `Item ${uid} has no canonical render of its reference code${
        detail.referenceCanonical ? ` (${detail.referenceCanonical.status})` : ' yet'
      }, so there is nothing to compare the candidate with.`,
      hint: detail.complete
        ? 'Check the reference code in the Datasets page.'
        : 'Wait for the run to reach it.',
    });
  const candidateSha = detail.result.canonical?.imageSha256 ?? null;
  if (candidateSha === null)
    throw new ApiError({
      code: 'CONFLICT',
      message: `Item ${uid} has no canonical render of the candidate's code${
        detail.result.failure ? ` (it failed: ${detail.result.failure})` : detail.complete ? '' : ' yet'
      }, so there is no difference to draw.`,
    });
  const pair = await loadImagePair(deps.readBlob(referenceSha), deps.readBlob(candidateSha));
  const difference = inkDifference(pair.reference, pair.render);
  const png = await encodePng(difference.overlay);
  return {
    dataUrl: `data:image/png;base64,${png.toString('base64')}`,
    width: difference.overlay.width,
    height: difference.overlay.height,
    counts: {
      referenceOnly: difference.counts.referenceOnly,
      candidateOnly: difference.counts.renderOnly,
      shared: difference.counts.both,
    },
    resized: pair.resized,
  };
}
