/** "3, 7 12" → [3, 7, 12]; empty → []; anything that is not a non-negative integer → null. */
export function parseIndexList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}
