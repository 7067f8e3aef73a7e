const pad2 = (n: number) => String(n).padStart(2, '0');

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Local time of day for today's events (14:03:22), with the date otherwise (2026-11-23 14:03). */
export function formatTimestamp(epochMs: number | null, now: number = Date.now()): string {
  if (epochMs === null) return '—';
  const at = new Date(epochMs);
  const time = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
  if (sameDay(at, new Date(now))) return `${time}:${pad2(at.getSeconds())}`;
  return `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())} ${time}`;
}
