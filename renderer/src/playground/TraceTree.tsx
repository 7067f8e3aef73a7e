import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { initiallyExpanded, treeKeyAction, visibleRows } from './traceTree';
import type { TraceFact, TraceNode, TreeRow } from './traceTree';

interface TraceTreeProps {
  roots: readonly TraceNode[];
  /** A node was picked (click, Enter or Space): its source line, if any, shows in the editor. */
  onPick: (node: TraceNode) => void;
}

/** One fact of a node: a quoted text, a value, a colour swatch, or a problem. */
export function Fact({ fact }: { fact: TraceFact }) {
  if (fact.type === 'color') {
    return (
      <span className="trace-fact trace-fact--color" title={fact.title}>
        <span className="swatch" style={{ background: fact.value }} />
        <span className="mono">{fact.value}</span>
      </span>
    );
  }
  return <span className={`trace-fact trace-fact--${fact.type}`}>{fact.value}</span>;
}

function lineTitle(line: number, origin: string | null): string {
  if (origin === 'set') return `Line ${line} set this text`;
  if (origin === 'axes') return `Line ${line} made the axes this belongs to`;
  return `Line ${line} drew this`;
}

/**
 * The trace as an ARIA tree: one tab stop, arrows to move and open or close, Enter/Space to pick. Rows are
 * flattened so a figure with thousands of artists is still one simple list.
 */
export function TraceTree({ roots, onPick }: TraceTreeProps) {
  const [expanded, setExpanded] = useState(() => initiallyExpanded(roots));
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [pickedId, setPickedId] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const rows = useMemo(() => visibleRows(roots, expanded), [roots, expanded]);
  const tabStop = rows.some((r) => r.node.id === focusedId) ? focusedId : (rows[0]?.node.id ?? null);

  const focusRow = (id: string) => {
    setFocusedId(id);
    list.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`)?.focus();
  };
  const toggle = (id: string, open: boolean) =>
    setExpanded((all) => {
      const next = new Set(all);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
  const pick = (row: TreeRow) => {
    setFocusedId(row.node.id);
    setPickedId(row.node.id);
    if (row.expanded !== null && row.node.sourceLine === null) toggle(row.node.id, !row.expanded);
    onPick(row.node);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const action = treeKeyAction(event.key, rows, tabStop);
    if (action.type === 'none') return;
    event.preventDefault();
    if (action.type === 'focus') focusRow(action.id);
    else if (action.type === 'expand') toggle(action.id, true);
    else if (action.type === 'collapse') toggle(action.id, false);
    else {
      const row = rows.find((r) => r.node.id === action.id);
      if (row) pick(row);
    }
  };

  return (
    <ul
      className="trace-tree"
      role="tree"
      aria-label="Execution trace"
      ref={list}
      onKeyDown={onKeyDown}
      data-testid="trace-tree"
    >
      {rows.map((row) => {
        const { node } = row;
        return (
          <li
            key={node.id}
            className="trace-row"
            role="treeitem"
            aria-level={row.level}
            aria-posinset={row.posInSet}
            aria-setsize={row.setSize}
            aria-expanded={row.expanded ?? undefined}
            aria-selected={node.id === pickedId}
            tabIndex={node.id === tabStop ? 0 : -1}
            style={{ paddingLeft: `${(row.level - 1) * 14 + 4}px` }}
            onClick={() => pick(row)}
            onFocus={() => setFocusedId(node.id)}
            data-node-id={node.id}
            data-testid="trace-node"
            data-kind={node.kind}
            data-line={node.sourceLine ?? undefined}
          >
            <span
              className="trace-row__toggle"
              aria-hidden="true"
              onClick={(event) => {
                if (row.expanded === null) return;
                event.stopPropagation();
                setFocusedId(node.id);
                toggle(node.id, !row.expanded);
              }}
            >
              {row.expanded === null ? '' : row.expanded ? '▾' : '▸'}
            </span>
            <span className={`trace-row__kind trace-row__kind--${node.kind === 'group' ? 'group' : 'item'}`}>
              {node.title}
            </span>
            {node.count !== null && (
              <span className="trace-row__count num" data-testid="trace-count">
                {node.count}
              </span>
            )}
            <span className="trace-row__facts">
              {node.facts.map((fact, i) => (
                <Fact key={i} fact={fact} />
              ))}
            </span>
            {node.sourceLine !== null && (
              <span className="trace-row__line" title={lineTitle(node.sourceLine, node.sourceLineOrigin)}>
                line {node.sourceLine}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
