import { createHash } from 'node:crypto';
import type { DeterministicMetrics } from '../../api/eval';
import type { Trace } from '../../api/trace';
import { ELEMENT_METRICS_VERSION } from '../elements/elementMetrics';
import { EDGE_F1_VERSION } from '../metrics/edgeF1';
import { FOREGROUND_IOU_VERSION } from '../metrics/foregroundIou';
import type { MetricsComputer } from '../metrics/metricsComputer';
import { SSIM_VERSION } from '../metrics/ssim';
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

export interface MetricsCall {
  /** Where the image and trace metrics run: the engine's MetricsPool, or inThreadMetrics. */
  metrics: MetricsComputer;
  /** The run's perceptual model, when it has one (runs here, beside the pool: ONNX has its own threads). */
  perceptual?: PerceptualScorer | null;
  signal?: AbortSignal;
}

/**
 * Every deterministic metric of the protocol, candidate canonical render vs the reference code's canonical
 * render (same size, dpi, fonts and seeds), pixels and traces. Each in [0, 1]; 1 for identical renders.
 */
export async function deterministicMetrics(
  candidate: CanonicalSide,
  reference: CanonicalSide,
  call: MetricsCall,
): Promise<DeterministicMetrics> {
  const { metrics, perceptual, signal } = call;
  const options = signal ? { signal } : {};
  const [pair, perceptualScore] = await Promise.all([
    metrics.pairMetrics(candidate, reference, signal),
    perceptual ? perceptual.similarity(candidate.png, reference.png, options) : null,
  ]);
  return { version: DETERMINISTIC_METRICS_VERSION, ...pair, perceptual: perceptualScore };
}
