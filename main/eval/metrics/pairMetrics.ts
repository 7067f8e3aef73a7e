import type { DeterministicMetrics } from '../../api/eval';
import type { Trace } from '../../api/trace';
import { elementMetrics } from '../elements/elementMetrics';
import { edgeF1 } from './edgeF1';
import { foregroundIou } from './foregroundIou';
import { loadImagePair } from './imagePair';
import { toGrey } from './pixels';
import { ssim } from './ssim';

/** One side of a scored pair: its canonical render and the trace of the code that drew it. */
export interface MetricsSide {
  png: Uint8Array;
  trace: Trace;
}

/** Every deterministic metric of a pair: what the metrics worker computes (the run adds version and perceptual). */
export type PairMetrics = Omit<DeterministicMetrics, 'version' | 'perceptual'>;

/**
 * Pixel metrics (SSIM, foreground IoU, edge F1) and trace metrics of a candidate render vs the reference's.
 * Pure CPU work on its inputs, no I/O beyond decoding: it runs the same in the engine or in a metrics worker.
 */
export async function pairMetrics(candidate: MetricsSide, reference: MetricsSide): Promise<PairMetrics> {
  const pair = await loadImagePair(reference.png, candidate.png);
  const elements = elementMetrics(candidate.trace, reference.trace);
  // Grey once: SSIM and edge F1 both work on it.
  const grey = { reference: toGrey(pair.reference), render: toGrey(pair.render) };
  return {
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
  };
}
