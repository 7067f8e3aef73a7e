/**
 * Browsers cap an element's height (Chrome near 33.5M px, Firefox near 17.9M px), and a million rows are
 * taller than that. Past `maxReal`, the scroll container gets a capped spacer and its scrollTop is mapped
 * linearly onto the full ("virtual") list, end to end, so the last row stays reachable; below the cap the
 * mapping is the identity.
 */
export interface ScrollMapping {
  /** The spacer's height in real pixels. */
  realTotal: number;
  /** Virtual pixels per real pixel of scrolling (1 when nothing is capped). */
  ratio: number;
  toVirtual(realOffset: number): number;
  toReal(virtualOffset: number): number;
  /** Where to draw a row whose virtual top is `virtualStart`, while the list is at `virtualOffset`. */
  rowTop(virtualStart: number, virtualOffset: number): number;
}

export const MAX_SCROLL_HEIGHT = 8_000_000;

export function scrollMapping(
  virtualTotal: number,
  viewport: number,
  maxReal = MAX_SCROLL_HEIGHT,
): ScrollMapping {
  if (virtualTotal <= maxReal || viewport >= maxReal) {
    return {
      realTotal: virtualTotal,
      ratio: 1,
      toVirtual: (offset) => offset,
      toReal: (offset) => offset,
      rowTop: (start) => start,
    };
  }
  const ratio = Math.max(1, (virtualTotal - viewport) / (maxReal - viewport));
  const toReal = (offset: number) => offset / ratio;
  return {
    realTotal: maxReal,
    ratio,
    toVirtual: (offset) => offset * ratio,
    toReal,
    // Rows keep their natural spacing inside the viewport; only the distance scrolled is compressed.
    rowTop: (start, offset) => toReal(offset) + (start - offset),
  };
}
