import { elementScroll, observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode, Ref } from 'react';
import { scrollMapping } from './scrollMapping';

export interface VirtualRowsHandle {
  /** Scrolls just enough that the row is fully visible. */
  revealRow(row: number): void;
  /** The rows one screen holds (Page Up/Down). */
  rowsPerScreen(): number;
  focus(): void;
}

interface VirtualRowsProps {
  rowCount: number;
  rowHeight: number;
  /** Called with the rows now drawn (first..last, inclusive), to fetch their pages. */
  onRange: (first: number, last: number) => void;
  /** Measured content width, for the grid's column count. */
  onWidth?: (width: number) => void;
  renderRow: (row: number) => ReactNode;
  className: string;
  label: string;
  /** `grid` for the thumbnail grid; `rowgroup` inside the table, whose header row sits above the scroller. */
  role: 'grid' | 'rowgroup';
  /** For assistive tech: rows in the whole list (the table counts its header row). */
  ariaRowCount: number;
  /** aria-rowindex of row 0 (2 in the table, after the header). */
  firstRowIndex: number;
  /** The selected cell's id (aria-activedescendant): the scroller keeps focus while the selection moves. */
  activeDescendant: string | undefined;
  testId: string;
  ref: Ref<VirtualRowsHandle>;
}

/**
 * Only the rows in view (plus a few) are in the DOM. The scroll length is rowCount × rowHeight, mapped onto
 * a capped spacer when that is taller than a browser allows (see scrollMapping), so a million items scroll.
 * The virtualizer only reads the (mapped) offset; this component writes the scroll position itself.
 */
export function VirtualRows(props: VirtualRowsProps) {
  const { rowCount, rowHeight, onRange, onWidth, renderRow, className, label, ref } = props;
  const { role, ariaRowCount, firstRowIndex, activeDescendant, testId } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(600);
  const mapping = useMemo(
    () => scrollMapping(rowCount * rowHeight, viewport),
    [rowCount, rowHeight, viewport],
  );
  const mappingRef = useRef(mapping);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 3,
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, scrolling) =>
        cb(mappingRef.current.toVirtual(offset), scrolling),
      ),
    scrollToFn: (offset, options, instance) =>
      elementScroll(
        mappingRef.current.toReal(offset + (options.adjustments ?? 0)),
        { behavior: options.behavior },
        instance,
      ),
  });

  // A new mapping (the list grew, the window resized) changes what the current scrollTop means.
  useLayoutEffect(() => {
    mappingRef.current = mapping;
    scroller.current?.dispatchEvent(new Event('scroll'));
  }, [mapping]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      setViewport(el.clientHeight);
      onWidth?.(el.clientWidth);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [onWidth]);

  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows.at(-1)?.index ?? -1;
  useEffect(() => onRange(first, last), [first, last, onRange]);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => scroller.current?.focus({ preventScroll: true }),
      revealRow(row) {
        const el = scroller.current;
        if (!el) return;
        const m = mappingRef.current;
        const offset = m.toVirtual(el.scrollTop);
        const top = row * rowHeight;
        const bottom = top + rowHeight;
        let target = offset;
        if (top < offset) target = top;
        else if (bottom > offset + el.clientHeight) target = bottom - el.clientHeight;
        if (target !== offset) el.scrollTop = m.toReal(target);
      },
      rowsPerScreen: () =>
        Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight) / rowHeight) - 1),
    }),
    [rowHeight],
  );

  const virtualOffset = virtualizer.scrollOffset ?? 0;
  return (
    <div
      className={className}
      ref={scroller}
      role={role}
      aria-label={label}
      aria-rowcount={role === 'grid' ? ariaRowCount : undefined}
      aria-activedescendant={activeDescendant}
      tabIndex={0}
      data-testid={testId}
      data-row-count={rowCount}
    >
      <div className="virtual-rows__spacer" style={{ height: mapping.realTotal }}>
        {rows.map((row) => (
          <div
            key={row.index}
            className="virtual-rows__row"
            role="row"
            aria-rowindex={row.index + firstRowIndex}
            data-row={row.index}
            style={{
              height: rowHeight,
              transform: `translateY(${mapping.rowTop(row.start, virtualOffset)}px)`,
            }}
          >
            {renderRow(row.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
