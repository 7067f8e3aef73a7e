import type { Trace } from '../../api/trace';
import { colorF1 } from './colorF1';
import { elementTypeF1 } from './elementTypeF1';
import { curveFidelity, primitiveF1 } from './geometryMetrics';
import { axesBoxIoU, axisFidelity, layoutF1 } from './layoutMetrics';
import { textF1, tickLabelF1 } from './textMetrics';

/** Bump on any change to how a metric is computed: stored values carry it, so old runs stay comparable. */
export const ELEMENT_METRICS_VERSION = 1;

export interface ElementMetrics {
  version: number;
  textF1: number;
  tickLabelF1: number;
  elementTypeF1: number;
  colorF1: number;
  layoutF1: number;
  axesBoxIoU: number;
  axisFidelity: number;
  primitiveF1: number;
  curveFidelity: number;
}

/** Every trace-based metric of the protocol, generated vs reference; each in [0, 1], 1 for identical traces. */
export function elementMetrics(generated: Trace, reference: Trace): ElementMetrics {
  return {
    version: ELEMENT_METRICS_VERSION,
    textF1: textF1(generated, reference).f1,
    tickLabelF1: tickLabelF1(generated, reference).f1,
    elementTypeF1: elementTypeF1(generated, reference).f1,
    colorF1: colorF1(generated, reference).f1,
    layoutF1: layoutF1(generated, reference).f1,
    axesBoxIoU: axesBoxIoU(generated, reference),
    axisFidelity: axisFidelity(generated, reference),
    primitiveF1: primitiveF1(generated, reference).f1,
    curveFidelity: curveFidelity(generated, reference).score,
  };
}
