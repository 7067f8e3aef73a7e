/** The parts of a KeyboardEvent the browser's keys read, so the model can be tested without a DOM. */
export interface BrowserKeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export type BrowserKeyAction =
  | { type: 'move'; by: 'next' | 'prev' | 'down' | 'up' | 'pageDown' | 'pageUp' | 'first' | 'last' }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'focus-search' }
  | { type: 'none' };

/**
 * j/k (next/previous item), arrows (a row in the table; left/right and up/down a grid row in the grid),
 * Page Up/Down, Home/End, Enter opens, Escape closes, `/` focuses the search box.
 */
export function browserKeyAction(press: BrowserKeyPress, detailOpen: boolean): BrowserKeyAction {
  if (press.ctrlKey || press.metaKey || press.altKey) return { type: 'none' };
  switch (press.key) {
    case 'j':
    case 'ArrowRight':
      return { type: 'move', by: 'next' };
    case 'k':
    case 'ArrowLeft':
      return { type: 'move', by: 'prev' };
    case 'ArrowDown':
      return { type: 'move', by: 'down' };
    case 'ArrowUp':
      return { type: 'move', by: 'up' };
    case 'PageDown':
      return detailOpen ? { type: 'none' } : { type: 'move', by: 'pageDown' };
    case 'PageUp':
      return detailOpen ? { type: 'none' } : { type: 'move', by: 'pageUp' };
    case 'Home':
      return detailOpen ? { type: 'none' } : { type: 'move', by: 'first' };
    case 'End':
      return detailOpen ? { type: 'none' } : { type: 'move', by: 'last' };
    case 'Enter':
      return detailOpen ? { type: 'none' } : { type: 'open' };
    case 'Escape':
      return detailOpen ? { type: 'close' } : { type: 'none' };
    case '/':
      return detailOpen ? { type: 'none' } : { type: 'focus-search' };
    default:
      return { type: 'none' };
  }
}

export interface SelectionLayout {
  count: number;
  /** Items per grid row; 1 in the table and the search results. */
  columns: number;
  /** Rows one screen holds, for Page Up/Down. */
  rowsPerPage: number;
}

/**
 * Where the selection goes; null stays null only in an empty list. With nothing selected yet, any move
 * selects the first item. In the detail view up/down act as next/previous (one item is shown at a time).
 */
export function moveSelection(
  current: number | null,
  by: Extract<BrowserKeyAction, { type: 'move' }>['by'],
  layout: SelectionLayout,
  detailOpen = false,
): number | null {
  const { count, columns, rowsPerPage } = layout;
  if (count <= 0) return null;
  if (current === null) return by === 'last' ? count - 1 : 0;
  const step = detailOpen ? 1 : columns;
  const delta: Record<typeof by, number> = {
    next: 1,
    prev: -1,
    down: step,
    up: -step,
    pageDown: columns * Math.max(1, rowsPerPage),
    pageUp: -columns * Math.max(1, rowsPerPage),
    first: -Infinity,
    last: Infinity,
  };
  const target = current + delta[by];
  // A grid move down from the last full row lands on the last item rather than doing nothing.
  return Math.min(count - 1, Math.max(0, target));
}
