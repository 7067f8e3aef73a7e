import { useCallback } from 'react';
import type { Ref } from 'react';
import type { Item } from '../../../main/api/datasets';
import { ItemThumb } from './ItemThumb';
import type { ItemPages } from './useItemPages';
import { VerificationBadge } from './VerificationBadge';
import { VirtualRows } from './VirtualRows';
import type { VirtualRowsHandle } from './VirtualRows';

export type BrowserView = 'grid' | 'table';

const GRID_CELL = 176;
const GRID_GAP = 10;
// Thumbnail, uid and meta lines, the cell's padding and border, and the gap to the next row.
const GRID_ROW = GRID_CELL + 64;
const TABLE_ROW = 44;

/** How many thumbnails fit across the grid. */
export function gridColumns(width: number): number {
  return Math.max(1, Math.floor((width - GRID_GAP) / (GRID_CELL + GRID_GAP)));
}

interface ItemListViewProps {
  view: BrowserView;
  pages: ItemPages;
  length: number;
  columns: number;
  onColumns: (columns: number) => void;
  selected: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  ref: Ref<VirtualRowsHandle>;
}

export function cellId(index: number): string {
  return `item-cell-${index}`;
}

/** The filtered list as a thumbnail grid or a table; only the rows in view are in the DOM. */
export function ItemListView(props: ItemListViewProps) {
  const { view, pages, length, columns, onColumns, selected, onSelect, onOpen, ref } = props;
  const perRow = view === 'grid' ? columns : 1;
  const rowCount = Math.ceil(length / perRow);
  const { show } = pages;

  const onRange = useCallback(
    (first: number, last: number) => show(first * perRow, Math.min(length - 1, (last + 1) * perRow - 1)),
    [show, perRow, length],
  );
  const onWidth = useCallback((w: number) => onColumns(gridColumns(w)), [onColumns]);

  const cellProps = (index: number, item: Item | undefined) => ({
    id: cellId(index),
    role: 'gridcell',
    'aria-selected': index === selected,
    onClick: () => onSelect(index),
    onDoubleClick: () => onOpen(index),
    'data-index': index,
    'data-uid': item?.uid,
    'data-testid': 'item-cell',
  });

  const renderGridRow = (row: number) => {
    const cells = [];
    for (let index = row * perRow; index < Math.min(length, (row + 1) * perRow); index++) {
      const item = pages.itemAt(index);
      cells.push(
        <div key={index} className="grid-cell" {...cellProps(index, item)} style={{ width: GRID_CELL }}>
          {item ? (
            <>
              <ItemThumb sha256={item.imageSha256} size={GRID_CELL - 12} />
              <span className="grid-cell__uid mono" title={item.uid}>
                {item.uid}
              </span>
              <span className="grid-cell__meta">
                {item.category ?? '—'}
                {item.tags.length > 0 && <span className="grid-cell__tags"> · {item.tags.join(', ')}</span>}
              </span>
            </>
          ) : (
            <RowPlaceholder failed={pages.failedAt(index)} size={GRID_CELL - 12} />
          )}
        </div>,
      );
    }
    return (
      <div className="grid-row" style={{ gap: GRID_GAP, paddingLeft: GRID_GAP }}>
        {cells}
      </div>
    );
  };

  const renderTableRow = (index: number) => {
    const item = pages.itemAt(index);
    return (
      <div className="item-table__row" {...cellProps(index, item)}>
        <span className="item-table__num num">{(index + 1).toLocaleString()}</span>
        {item ? (
          <>
            <span className="item-table__thumb">
              <ItemThumb sha256={item.imageSha256} size={36} />
            </span>
            <span className="item-table__uid mono" title={item.uid}>
              {item.uid}
            </span>
            <span className="item-table__cat">{item.category ?? '—'}</span>
            <span className="item-table__src">{item.source ?? '—'}</span>
            <span className="item-table__verify">
              <VerificationBadge verification={item.verification} />
            </span>
            <span className="item-table__tags">{item.tags.join(', ')}</span>
            <span className="item-table__caption" title={item.caption ?? undefined}>
              {item.caption ?? item.question ?? ''}
            </span>
          </>
        ) : (
          <span className="item-table__loading muted">
            {pages.failedAt(index) ? 'could not load' : 'loading…'}
          </span>
        )}
      </div>
    );
  };

  if (view === 'grid') {
    return (
      <VirtualRows
        key="grid"
        ref={ref}
        className="item-grid"
        role="grid"
        label="Items"
        rowCount={rowCount}
        rowHeight={GRID_ROW}
        ariaRowCount={rowCount}
        firstRowIndex={1}
        onRange={onRange}
        onWidth={onWidth}
        renderRow={renderGridRow}
        activeDescendant={selected === null ? undefined : cellId(selected)}
        testId="item-grid"
      />
    );
  }
  return (
    <div
      className="item-table"
      role="grid"
      aria-label="Items"
      aria-rowcount={length + 1}
      data-testid="item-table"
    >
      <div className="item-table__head" role="row" aria-rowindex={1}>
        <span role="columnheader" className="item-table__num">
          #
        </span>
        <span role="columnheader" className="item-table__thumb" aria-label="Image" />
        <span role="columnheader" className="item-table__uid">
          UID
        </span>
        <span role="columnheader" className="item-table__cat">
          Category
        </span>
        <span role="columnheader" className="item-table__src">
          Source
        </span>
        <span role="columnheader" className="item-table__verify">
          Verification
        </span>
        <span role="columnheader" className="item-table__tags">
          Tags
        </span>
        <span role="columnheader" className="item-table__caption">
          Caption
        </span>
      </div>
      <VirtualRows
        key="table"
        ref={ref}
        className="item-table__body"
        role="rowgroup"
        label="Item rows"
        rowCount={length}
        rowHeight={TABLE_ROW}
        ariaRowCount={length + 1}
        firstRowIndex={2}
        onRange={onRange}
        onWidth={onWidth}
        renderRow={renderTableRow}
        activeDescendant={selected === null ? undefined : cellId(selected)}
        testId="item-table-body"
      />
    </div>
  );
}

function RowPlaceholder({ failed, size }: { failed: boolean; size: number }) {
  return (
    <span
      className="item-thumb item-thumb--placeholder item-thumb--loading"
      style={{ width: size, height: size }}
    >
      {failed ? 'could not load' : ''}
    </span>
  );
}
