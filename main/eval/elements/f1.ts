import { linearSumAssignment } from 'linear-sum-assignment';

export interface F1 {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * F1 from a matched weight (1 per exact match, or a similarity in [0, 1] per soft match) and the two sizes.
 * Both sides empty is a perfect 1 (nothing to find, nothing invented); one side empty is 0.
 */
export function f1Of(matched: number, generated: number, reference: number): F1 {
  if (generated === 0 && reference === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = generated === 0 ? 0 : matched / generated;
  const recall = reference === 0 ? 0 : matched / reference;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Best one-to-one assignment maximising total similarity (the Hungarian method, not permutations: 30 colours
 * would be 30! permutations). Returns the matched pairs with their similarity; pairs with similarity 0 are
 * left unmatched.
 */
export function bestMatching<A, B>(
  as: readonly A[],
  bs: readonly B[],
  similarity: (a: A, b: B) => number,
): { a: number; b: number; similarity: number }[] {
  if (as.length === 0 || bs.length === 0) return [];
  const matrix = as.map((a) => bs.map((b) => similarity(a, b)));
  const { rowAssignments } = linearSumAssignment(matrix, { maximaze: true });
  const pairs: { a: number; b: number; similarity: number }[] = [];
  rowAssignments.forEach((b, a) => {
    if (b < 0) return;
    const s = matrix[a]![b]!;
    if (s > 0) pairs.push({ a, b, similarity: s });
  });
  return pairs;
}

/** Exact multiset matching by key: min(count in a, count in b) per key. */
export function multisetMatches(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const k of a) counts.set(k, (counts.get(k) ?? 0) + 1);
  let matched = 0;
  for (const k of b) {
    const left = counts.get(k) ?? 0;
    if (left > 0) {
      matched++;
      counts.set(k, left - 1);
    }
  }
  return matched;
}
