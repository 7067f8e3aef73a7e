/**
 * Items per second over the last `window` completions, and the ETA it implies. A sliding window rather than
 * the whole-run average so the rate follows a job whose speed changes (warm-up, a slower stage).
 */
export class ProgressRate {
  private readonly times: number[] = [];

  constructor(private readonly window = 20) {}

  record(at: number): void {
    this.times.push(at);
    if (this.times.length > this.window) this.times.shift();
  }

  reset(): void {
    this.times.length = 0;
  }

  perSecond(): number | null {
    if (this.times.length < 2) return null;
    const span = this.times.at(-1)! - this.times[0]!;
    if (span <= 0) return null;
    return ((this.times.length - 1) * 1000) / span;
  }

  etaSeconds(remaining: number): number | null {
    if (remaining <= 0) return 0;
    const rate = this.perSecond();
    return rate ? remaining / rate : null;
  }
}
