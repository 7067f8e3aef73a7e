import type { Trace } from '../../api/trace';
import { f1Of } from './f1';
import type { F1 } from './f1';

/** The element types of the protocol, each summing the trace's finer counts. */
export const ELEMENT_TYPES = {
  lines: ['lines', 'lineCollections'],
  rectangles: ['rectangles', 'fancyboxes'],
  circles: ['circles', 'ellipses'],
  polygons: ['polygons', 'paths', 'wedges', 'arrows', 'polyCollections'],
  scatter: ['scatter'],
  images: ['images'],
  meshes: ['meshes', 'contours'],
  texts: ['texts'],
} as const;
export type ElementType = keyof typeof ELEMENT_TYPES;

export function elementCounts(trace: Trace): Record<ElementType, number> {
  const c = trace.summary.counts;
  return Object.fromEntries(
    Object.entries(ELEMENT_TYPES).map(([type, keys]) => [type, keys.reduce((n, k) => n + c[k], 0)]),
  ) as Record<ElementType, number>;
}

/** Element-type F1: per type, min(generated, reference) elements match; summed over types. */
export function elementTypeF1(generated: Trace, reference: Trace): F1 & { perType: Record<ElementType, F1> } {
  const g = elementCounts(generated);
  const r = elementCounts(reference);
  let matched = 0;
  let gTotal = 0;
  let rTotal = 0;
  const perType = {} as Record<ElementType, F1>;
  for (const type of Object.keys(ELEMENT_TYPES) as ElementType[]) {
    const m = Math.min(g[type], r[type]);
    matched += m;
    gTotal += g[type];
    rTotal += r[type];
    perType[type] = f1Of(m, g[type], r[type]);
  }
  return { ...f1Of(matched, gTotal, rTotal), perType };
}
