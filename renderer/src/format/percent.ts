/** Whole percent, rounded down so 100% only shows when every item is processed; 0 of 0 → 0%. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${Math.floor((Math.min(part, whole) / whole) * 100)}%`;
}
