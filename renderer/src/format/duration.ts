const pad2 = (n: number) => String(n).padStart(2, '0');

/** A compact duration for ETAs and uptimes: 42s, 3m 07s, 2h 05m, 3d 04h; null → an em dash. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad2(Math.floor((s % 86_400) / 3600))}h`;
}
