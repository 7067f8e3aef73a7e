import { useEffect, useRef } from 'react';
import type { Item } from '../../../main/api/datasets';
import { ItemThumb } from './ItemThumb';
import { SnippetText } from './SnippetText';

export interface SearchHit {
  item: Item;
  snippet: string;
  rank: number;
}

interface SearchResultsProps {
  query: string;
  hits: SearchHit[];
  limit: number;
  selected: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
}

/** Full-text hits in rank order, each with its snippet; at most `limit`, so a plain list is enough. */
export function SearchResults({ query, hits, limit, selected, onSelect, onOpen }: SearchResultsProps) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (selected === null) return;
    list.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  if (hits.length === 0) {
    return (
      <p className="search-results__empty muted" data-testid="search-empty">
        Nothing matches “{query}”.
      </p>
    );
  }
  return (
    <ul
      className="search-results"
      ref={list}
      role="listbox"
      aria-label={`Search results for ${query}`}
      aria-activedescendant={selected === null ? undefined : `search-hit-${selected}`}
      tabIndex={0}
      data-testid="search-results"
    >
      {hits.map((hit, index) => (
        <li
          key={hit.item.id}
          id={`search-hit-${index}`}
          className="search-hit"
          role="option"
          aria-selected={index === selected}
          onClick={() => onSelect(index)}
          onDoubleClick={() => onOpen(index)}
          data-index={index}
          data-uid={hit.item.uid}
          data-testid="search-hit"
        >
          <ItemThumb sha256={hit.item.imageSha256} size={56} />
          <div className="search-hit__body">
            <div className="search-hit__head">
              <span className="mono">{hit.item.uid}</span>
              {hit.item.category && <span className="tag">{hit.item.category}</span>}
            </div>
            <SnippetText snippet={hit.snippet} />
          </div>
        </li>
      ))}
      {hits.length >= limit && (
        <li className="search-results__more muted" role="presentation">
          The first {limit} matches, best first; refine the query to see others.
        </li>
      )}
    </ul>
  );
}
