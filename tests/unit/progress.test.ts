import { describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../main/api/jobs';
import { formatDuration, renderJobLine } from '../../main/cli/progressBar';
import { ProgressRate } from '../../main/jobs/progressRate';

describe('ProgressRate', () => {
  it('has no rate until two completions', () => {
    const r = new ProgressRate();
    expect(r.perSecond()).toBeNull();
    r.record(1000);
    expect(r.perSecond()).toBeNull();
    expect(r.etaSeconds(10)).toBeNull();
  });

  it('computes items/s over the window and the ETA it implies', () => {
    const r = new ProgressRate(5);
    for (const t of [0, 500, 1000, 1500, 2000]) r.record(t);
    expect(r.perSecond()).toBe(2);
    expect(r.etaSeconds(10)).toBe(5);
    expect(r.etaSeconds(0)).toBe(0);
  });

  it('forgets completions older than the window, so the rate follows speed changes', () => {
    const r = new ProgressRate(3);
    for (const t of [0, 100, 200]) r.record(t); // 10/s
    for (const t of [1200, 2200, 3200]) r.record(t); // 1/s
    expect(r.perSecond()).toBe(1);
  });
});

describe('terminal progress line', () => {
  const job: JobSnapshot = {
    id: 'j',
    type: 'demo.count',
    title: 'Demo',
    state: 'running',
    total: 200,
    done: 48,
    failed: 2,
    ratePerSec: 12.34,
    etaSec: 125,
    error: null,
    units: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    params: {},
  };

  it('shows bar, percent, counts, failures, rate and ETA', () => {
    expect(renderJobLine(job, 10)).toBe('███░░░░░░░  25% 50/200 2 failed 12.3 it/s ETA 2m05s [running]');
  });

  it('counts units (rows) instead of batches when the job has them', () => {
    const batched = { ...job, units: { label: 'rows', done: 100_000, total: 400_000, ratePerSec: 9737.2 } };
    expect(renderJobLine(batched, 10)).toBe(
      '███░░░░░░░  25% 100000/400000 rows 2 failed 9737 rows/s ETA 2m05s [running]',
    );
  });

  it('formats durations for humans', () => {
    expect(formatDuration(null)).toBe('--');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});
