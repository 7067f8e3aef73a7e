import { describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../main/api/jobs';
import { parseIndexList } from '../../renderer/src/jobs/indexList';
import {
  availableActions,
  isActive,
  mergeListed,
  processedItems,
  sortJobs,
} from '../../renderer/src/jobs/jobModel';

function job(id: string, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id,
    type: 'demo.count',
    title: `Demo ${id}`,
    state: 'running',
    total: 10,
    done: 0,
    failed: 0,
    ratePerSec: null,
    etaSec: null,
    error: null,
    units: null,
    createdAt: 1000,
    startedAt: 1000,
    finishedAt: null,
    params: { items: 10, delayMs: 1 },
    ...overrides,
  };
}

describe('availableActions', () => {
  it('mirrors the queue: pause/cancel while it runs, resume after a stop, nothing when done', () => {
    expect(availableActions('queued')).toEqual(['pause', 'cancel']);
    expect(availableActions('running')).toEqual(['pause', 'cancel']);
    expect(availableActions('paused')).toEqual(['resume', 'cancel']);
    expect(availableActions('cancelled')).toEqual(['resume']);
    expect(availableActions('failed')).toEqual(['resume']);
    expect(availableActions('done')).toEqual([]);
  });

  it('counts queued and running jobs as active', () => {
    expect(['queued', 'running', 'paused', 'done'].map((s) => isActive(s as JobSnapshot['state']))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('processedItems', () => {
  it('counts failed items as processed', () => {
    expect(processedItems({ done: 7, failed: 2 })).toBe(9);
  });
});

describe('sortJobs', () => {
  it('puts the newest first and breaks ties by id', () => {
    const sorted = sortJobs([
      job('b', { createdAt: 1 }),
      job('c', { createdAt: 3 }),
      job('a', { createdAt: 1 }),
    ]);
    expect(sorted.map((j) => j.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('mergeListed', () => {
  it('adds listed jobs it has not seen', () => {
    const merged = mergeListed(new Map(), [job('a'), job('b')]);
    expect([...merged.keys()]).toEqual(['a', 'b']);
  });

  it('keeps an event snapshot that is further along than the listed one', () => {
    const fromEvent = job('a', { done: 5 });
    const merged = mergeListed(new Map([['a', fromEvent]]), [job('a', { done: 3 })]);
    expect(merged.get('a')).toBe(fromEvent);
  });

  it('takes the listed snapshot when it is further along', () => {
    const listed = job('a', { done: 4, failed: 2 });
    const merged = mergeListed(new Map([['a', job('a', { done: 5 })]]), [listed]);
    expect(merged.get('a')).toBe(listed);
  });

  it('does not change the map it was given', () => {
    const known = new Map([['a', job('a')]]);
    mergeListed(known, [job('b')]);
    expect(known.size).toBe(1);
  });
});

describe('parseIndexList', () => {
  it.each([
    ['', []],
    ['  ', []],
    ['3', [3]],
    ['3, 7', [3, 7]],
    ['12 3,,7 3', [3, 7, 12]],
    ['0', [0]],
  ])('%j → %j', (text, expected) => {
    expect(parseIndexList(text)).toEqual(expected);
  });

  it.each(['-1', '1.5', 'a', '3, x'])('%j is rejected', (text) => {
    expect(parseIndexList(text)).toBeNull();
  });
});
