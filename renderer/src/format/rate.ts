/**
 * Items per second with precision that fits its size (123/s, 12.3/s, 1.23/s); slower than one a second
 * reads better per minute (12/min, 0.5/min). null (not measured yet) → an em dash.
 */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond) || perSecond < 0) return '—';
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(1)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(2)}/s`;
  const perMinute = perSecond * 60;
  return perMinute >= 10 ? `${Math.round(perMinute)}/min` : `${perMinute.toFixed(1)}/min`;
}
