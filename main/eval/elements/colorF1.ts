import { differenceCiede2000 } from 'culori';
import type { Trace } from '../../api/trace';
import { bestMatching, f1Of } from './f1';
import type { F1 } from './f1';

const deltaE = differenceCiede2000();

/** ΔE2000 at which two colours stop counting as the same at all (similarity falls linearly to 0 there). */
export const COLOR_DELTA_E_LIMIT = 20;

/** Similarity of two #rrggbb colours: 1 − ΔE2000 / limit, floored at 0 (ΔE ≈ 2.3 is a just-noticeable step). */
export function colorSimilarity(a: string, b: string, limit = COLOR_DELTA_E_LIMIT): number {
  return Math.max(0, 1 - deltaE(a, b) / limit);
}

/** Colour F1 over the distinct colours of data elements, soft-matched one to one by the Hungarian method. */
export function colorF1(generated: Trace, reference: Trace): F1 {
  const g = generated.summary.colors;
  const r = reference.summary.colors;
  const pairs = bestMatching(g, r, (a, b) => colorSimilarity(a, b));
  return f1Of(
    pairs.reduce((s, p) => s + p.similarity, 0),
    g.length,
    r.length,
  );
}
