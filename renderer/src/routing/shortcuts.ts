import { routes } from './routes';
import type { RouteId } from './routes';

/** The parts of a KeyboardEvent the shortcut logic reads, so it can be tested without a DOM. */
export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export type ShortcutAction =
  { type: 'navigate'; route: RouteId } | { type: 'arm-go' } | { type: 'disarm' } | { type: 'none' };

/**
 * Two styles, both shown in the navigation: Alt+1…6 (position in the list, read from `code` because Alt
 * changes `key` on some layouts) and the two-key `g` then a letter, as in GitHub and Gmail.
 */
export function resolveShortcut(press: KeyPress, goArmed: boolean): ShortcutAction {
  if (press.ctrlKey || press.metaKey) return goArmed ? { type: 'disarm' } : { type: 'none' };
  if (press.altKey) {
    const digit = /^Digit([1-9])$/.exec(press.code)?.[1];
    const route = digit ? routes[Number(digit) - 1] : undefined;
    return route ? { type: 'navigate', route: route.id } : { type: 'none' };
  }
  if (goArmed) {
    const route = routes.find((r) => r.key === press.key.toLowerCase());
    return route ? { type: 'navigate', route: route.id } : { type: 'disarm' };
  }
  if (press.key === 'g' && !press.shiftKey) return { type: 'arm-go' };
  return { type: 'none' };
}

/** Typing in a field must never trigger navigation. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(target.type);
  }
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
