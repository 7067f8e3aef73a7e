import { pairMetrics } from './pairMetrics';
import type { MetricsSide, PairMetrics } from './pairMetrics';
import { compareRenders } from './renderComparison';
import type { RenderComparison } from './renderComparison';

/**
 * Where the CPU-heavy image metrics run. The engine passes a MetricsPool (worker threads, so its event loop
 * keeps serving the API while items are scored); inThreadMetrics computes the same values on the caller's
 * thread (the baseline the pool is checked and benchmarked against).
 */
export interface MetricsComputer {
  /** Every deterministic metric of a candidate vs a reference (eval runs). */
  pairMetrics(candidate: MetricsSide, reference: MetricsSide, signal?: AbortSignal): Promise<PairMetrics>;
  /** SSIM, foreground IoU and the difference overlay of a re-render vs its image (dataset verification). */
  compareRenders(
    referencePng: Uint8Array,
    renderPng: Uint8Array,
    signal?: AbortSignal,
  ): Promise<RenderComparison>;
}

export const inThreadMetrics: MetricsComputer = {
  async pairMetrics(candidate, reference, signal) {
    signal?.throwIfAborted();
    return pairMetrics(candidate, reference);
  },
  async compareRenders(referencePng, renderPng, signal) {
    signal?.throwIfAborted();
    return compareRenders(referencePng, renderPng);
  },
};
