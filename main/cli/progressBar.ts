import type { JobSnapshot } from '../api/jobs';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line: a bar, counts, rate and ETA. Pure, so it is tested without a terminal. */
export function renderJobLine(job: JobSnapshot, width = 30): string {
  const finished = job.done + job.failed;
  const fraction = job.total > 0 ? Math.min(1, finished / job.total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const failed = job.failed > 0 ? ` ${job.failed} failed` : '';
  // Batched jobs count what a person counts (rows), not batches.
  const { units } = job;
  const counts = units ? `${units.done}/${units.total} ${units.label}` : `${finished}/${job.total}`;
  const perSecond = units ? units.ratePerSec : job.ratePerSec;
  const rate = `${perSecond === null ? '--' : perSecond.toFixed(perSecond >= 100 ? 0 : 1)} ${units ? `${units.label}/s` : 'it/s'}`;
  return `${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${counts}${failed} ${rate} ETA ${formatDuration(job.etaSec)} [${job.state}]`;
}

/** Redraws in place on a terminal; elsewhere (CI logs, pipes) prints a line at most every few seconds. */
export class TerminalProgress {
  private lastPrint = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(job: JobSnapshot): void {
    const line = renderJobLine(job);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPrint > 2000 || ['done', 'failed', 'cancelled', 'paused'].includes(job.state)) {
      this.lastPrint = now;
      this.stream.write(`${line}\n`);
    }
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
