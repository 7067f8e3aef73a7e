import { describe, expect, it } from 'vitest';
import { pageFromHash, routeFromHash, routeHref, routes, sectionOf } from '../../renderer/src/routing/routes';
import { resolveShortcut } from '../../renderer/src/routing/shortcuts';
import type { KeyPress } from '../../renderer/src/routing/shortcuts';

function press(key: string, extra: Partial<KeyPress> = {}): KeyPress {
  return { key, code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...extra };
}

describe('routeFromHash', () => {
  it.each([
    ['#/jobs', 'jobs'],
    ['#jobs', 'jobs'],
    ['#/settings/python', 'settings'],
    ['#/datasets?q=x', 'datasets'],
    ['', null],
    ['#/', null],
    ['#/nope', null],
  ])('%j → %j', (hash, expected) => {
    expect(routeFromHash(hash)).toBe(expected);
  });
});

describe('pages inside a section', () => {
  it.each([
    ['#/datasets/playground', 'playground'],
    ['#/datasets/playground?x=1', 'playground'],
    ['#/datasets', 'datasets'],
    ['#/datasets/nope', 'datasets'],
    ['#/jobs/playground', 'jobs'],
    ['#/nope/playground', null],
  ])('%j → %j', (hash, expected) => {
    expect(pageFromHash(hash)).toBe(expected);
  });

  it('links to the playground inside Datasets, which the navigation highlights', () => {
    expect(routeHref('playground')).toBe('#/datasets/playground');
    expect(routeHref('jobs')).toBe('#/jobs');
    expect(sectionOf('playground')).toBe('datasets');
    expect(sectionOf('settings')).toBe('settings');
    expect(routeFromHash('#/datasets/playground')).toBe('datasets');
  });
});

describe('resolveShortcut', () => {
  it('arms on g and navigates on the page key that follows', () => {
    expect(resolveShortcut(press('g'), false)).toEqual({ type: 'arm-go' });
    expect(resolveShortcut(press('j'), true)).toEqual({ type: 'navigate', route: 'jobs' });
    expect(resolveShortcut(press(','), true)).toEqual({ type: 'navigate', route: 'settings' });
    expect(resolveShortcut(press('D', { shiftKey: true }), true)).toEqual({
      type: 'navigate',
      route: 'datasets',
    });
  });

  it('has a distinct key for every page', () => {
    expect(new Set(routes.map((r) => r.key)).size).toBe(routes.length);
    for (const route of routes) {
      expect(resolveShortcut(press(route.key), true)).toEqual({ type: 'navigate', route: route.id });
    }
  });

  it('disarms on any other key, and ignores page keys without g', () => {
    expect(resolveShortcut(press('x'), true)).toEqual({ type: 'disarm' });
    expect(resolveShortcut(press('j'), false)).toEqual({ type: 'none' });
    expect(resolveShortcut(press('G', { shiftKey: true }), false)).toEqual({ type: 'none' });
  });

  it('maps Alt+1…6 to the pages in navigation order, by physical key', () => {
    expect(resolveShortcut(press('¡', { altKey: true, code: 'Digit1' }), false)).toEqual({
      type: 'navigate',
      route: 'datasets',
    });
    expect(resolveShortcut(press('6', { altKey: true, code: 'Digit6' }), false)).toEqual({
      type: 'navigate',
      route: 'settings',
    });
    expect(resolveShortcut(press('7', { altKey: true, code: 'Digit7' }), false)).toEqual({ type: 'none' });
  });

  it('leaves browser shortcuts (Ctrl/Cmd) alone', () => {
    expect(resolveShortcut(press('g', { ctrlKey: true }), false)).toEqual({ type: 'none' });
    expect(resolveShortcut(press('j', { metaKey: true }), true)).toEqual({ type: 'disarm' });
  });
});
