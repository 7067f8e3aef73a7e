import { createHash } from 'node:crypto';
import type { DeterministicMetrics } from '../../api/eval';
import type { Trace } from '../../api/trace';
import { ELEMENT_METRICS_VERSION, elementMetrics } from '../elements/elementMetrics';
import { EDGE_F1_VERSION, edgeF1 } from '../metrics/edgeF1';
import { FOREGROUND_IOU_VERSION, foregroundIou } from '../metrics/foregroundIou';
import { loadImagePair } from '../metrics/imagePair';
import { toGrey } from '../metrics/pixels';
import { SSIM_VERSION, ssim } from '../metrics/ssim';
import { PERCEPTUAL_VERSION } from '../perceptual/perceptualScorer';
import type { PerceptualScorer } from '../perceptual/perceptualScorer';
import type { PerceptualIdentity } from './perceptualModel';

/** Bump when the set of metrics or how they are combined changes; each metric also carries its own version. */
export const DETERMINISTIC_METRICS_VERSION = 1;

/**
 * Versions of every metric, stored in each run's environment fingerprint and in the metrics cache key;
 * perceptual has one only when the run configures a perceptual model.
 */
export function metricVersions(perceptual = false): Record<string, number | null> {
  return {
    deterministic: DETERMINISTIC_METRICS_VERSION,
    ssim: SSIM_VERSION,
    foregroundIou: FOREGROUND_IOU_VERSION,
    edgeF1: EDGE_F1_VERSION,
    elements: ELEMENT_METRICS_VERSION,
    perceptual: perceptual ? PERCEPTUAL_VERSION : null,
  };
}

export interface CanonicalSide {
  png: Uint8Array;
  imageSha256: string;
  trace: Trace;
  traceSha256: string | null;
}

/**
 * The content hash of one metrics computation: both images, both traces, every metric version, and the
 * perceptual model's file hash and family when one is configured.
 */
export function metricsCacheKey(
  candidate: CanonicalSide,
  reference: CanonicalSide,
  perceptual: PerceptualIdentity | null = null,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        stage: 'metrics',
        candidate: [candidate.imageSha256, candidate.traceSha256],
        reference: [reference.imageSha256, reference.traceSha256],
        versions: metricVersions(perceptual !== null),
        ...(perceptual && { perceptual }),
      }),
    )
    .digest('hex');
}

/**
 * Every deterministic metric of the protocol, candidate canonical render vs the reference code's canonical
 * render (same size, dpi, fonts and seeds), pixels and traces. Each in [0, 1]; 1 for identical renders.
 */
export async function deterministicMetrics(
  candidate: CanonicalSide,
  reference: CanonicalSide,
  perceptual: { scorer: PerceptualScorer; signal?: AbortSignal } | null = null,
): Promise<DeterministicMetrics> {
  const pair = await loadImagePair(reference.png, candidate.png);
  const elements = elementMetrics(candidate.trace, reference.trace);
  // Grey once: SSIM and edge F1 both work on it.
  const grey = { reference: toGrey(pair.reference), render: toGrey(pair.render) };
  return {
    version: DETERMINISTIC_METRICS_VERSION,
    ssim: ssim(grey.reference, grey.render),
    foregroundIou: foregroundIou(pair.reference, pair.render),
    edgeF1: edgeF1(grey.reference, grey.render).f1,
    textF1: elements.textF1,
    tickLabelF1: elements.tickLabelF1,
    elementTypeF1: elements.elementTypeF1,
    colorF1: elements.colorF1,
    layoutF1: elements.layoutF1,
    axesBoxIoU: elements.axesBoxIoU,
    axisFidelity: elements.axisFidelity,
    primitiveF1: elements.primitiveF1,
    curveFidelity: elements.curveFidelity,
    perceptual: perceptual
      ? await perceptual.scorer.similarity(
          candidate.png,
          reference.png,
          perceptual.signal ? { signal: perceptual.signal } : {},
        )
      : null,
  };
}
