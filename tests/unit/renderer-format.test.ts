import { describe, expect, it } from 'vitest';
import { formatDuration, formatMilliseconds } from '../../renderer/src/format/duration';
import { formatPercent } from '../../renderer/src/format/percent';
import { formatRate } from '../../renderer/src/format/rate';
import { formatTimestamp } from '../../renderer/src/format/timestamp';

describe('formatMilliseconds', () => {
  it.each([
    [-1, '—'],
    [Number.NaN, '—'],
    [0, '0 ms'],
    [340.4, '340 ms'],
    [999.4, '999 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [59_940, '59.9 s'],
    [60_000, '1m 00s'],
  ])('%j → %j', (ms, expected) => {
    expect(formatMilliseconds(ms)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [-1, '—'],
    [Number.POSITIVE_INFINITY, '—'],
    [0, '0s'],
    [0.4, '0s'],
    [42.6, '43s'],
    [59.4, '59s'],
    [60, '1m 00s'],
    [187, '3m 07s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [7500, '2h 05m'],
    [86_400, '1d 00h'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 04h'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatRate', () => {
  it.each([
    [null, '—'],
    [-2, '—'],
    [Number.NaN, '—'],
    [123.4, '123/s'],
    [100, '100/s'],
    [12.34, '12.3/s'],
    [9.9, '9.90/s'],
    [1, '1.00/s'],
    [0.5, '30/min'],
    [1 / 6, '10/min'],
    [0.1, '6.0/min'],
    [0.00833, '0.5/min'],
    [0, '0.0/min'],
  ])('%s items/s → %s', (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0, 0, '0%'],
    [0, 20, '0%'],
    [1, 3, '33%'],
    [199, 200, '99%'],
    [20, 20, '100%'],
    [25, 20, '100%'],
  ])('%s of %s → %s', (part, whole, expected) => {
    expect(formatPercent(part, whole)).toBe(expected);
  });
});

describe('formatTimestamp', () => {
  // Local-time constructors keep the expectations independent of the machine's time zone.
  const now = new Date(2026, 10, 24, 15, 0, 0).getTime();

  it('shows only the time of day for today', () => {
    expect(formatTimestamp(new Date(2026, 10, 24, 9, 3, 7).getTime(), now)).toBe('09:03:07');
  });

  it('adds the date for other days', () => {
    expect(formatTimestamp(new Date(2026, 10, 23, 23, 59, 59).getTime(), now)).toBe('2026-11-23 23:59');
    expect(formatTimestamp(new Date(2025, 0, 5, 8, 4, 0).getTime(), now)).toBe('2025-01-05 08:04');
  });

  it('shows an em dash for a job not started yet', () => {
    expect(formatTimestamp(null, now)).toBe('—');
  });
});
