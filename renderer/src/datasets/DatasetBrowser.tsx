import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Item, ItemFilter, VerificationFilter } from '../../../main/api/datasets';
import { useEngine } from '../api/EngineContext';
import { Icon } from '../components/Icon';
import { Page } from '../components/Page';
import { routeHref } from '../routing/routes';
import { isTypingTarget } from '../routing/shortcuts';
import { browserKeyAction, moveSelection } from './browserKeys';
import { activeFacets, clearFacet, facetLabels, selectDataset, toggleFacet } from './facetFilter';
import type { FacetName } from './facetFilter';
import { FacetsSidebar } from './FacetsSidebar';
import { ImportDialog } from './ImportDialog';
import { ItemListView } from './ItemListView';
import type { BrowserView } from './ItemListView';
import { SearchResults } from './SearchResults';
import type { SearchHit } from './SearchResults';
import { useDatasets } from './useDatasets';
import { useFacets } from './useFacets';
import { useItemPages } from './useItemPages';
import { verificationLabel } from './VerificationBadge';
import type { VirtualRowsHandle } from './VirtualRows';

// The detail view carries CodeMirror, Markdown and KaTeX: it loads when an item is first opened.
const ItemDetail = lazy(() => import('./ItemDetail'));

const VIEW_KEY = 'codepercept.datasets.view';
const SEARCH_LIMIT = 200;
const SEARCH_DELAY_MS = 250;
/** After `g` the next key belongs to the page shortcuts (g then j is the Jobs page, not "next item"). */
const GO_WINDOW_MS = 1500;

type SearchState =
  | { phase: 'idle' }
  | { phase: 'searching'; query: string }
  | { phase: 'done'; query: string; hits: SearchHit[] }
  | { phase: 'failed'; query: string; message: string };

function storedView(): BrowserView {
  return window.localStorage.getItem(VIEW_KEY) === 'table' ? 'table' : 'grid';
}

function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a, summary, [role="treeitem"]') !== null;
}

/** The Datasets page: facets, a virtualized grid or table (or search results), the detail view, import. */
export function DatasetBrowser() {
  const { client } = useEngine();
  const { datasets, reload } = useDatasets();
  const [chosenFilter, setFilter] = useState<ItemFilter | null>(null);
  const [view, setView] = useState<BrowserView>(storedView);
  const [columns, setColumns] = useState(4);
  const [selected, setSelected] = useState<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [pendingOpen, setPendingOpen] = useState<{ name: string | null } | null>(null);
  const [queryText, setQueryText] = useState('');
  const [searchState, setSearch] = useState<SearchState>({ phase: 'idle' });
  const [facetsRefresh, setFacetsRefresh] = useState(0);
  const list = useRef<VirtualRowsHandle>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const lastKey = useRef<{ key: string; at: number } | null>(null);

  // A dataset just imported opens once the list has it.
  if (pendingOpen && datasets && datasets.length > 0) {
    const made = pendingOpen.name
      ? datasets.find((d) => d.name === pendingOpen.name)
      : datasets.reduce((a, b) => (b.id > a.id ? b : a));
    if (made) {
      setPendingOpen(null);
      setFilter(selectDataset(made.id));
    }
  }
  // Otherwise the chosen dataset, or the first one.
  const fallbackId = datasets?.[0]?.id ?? null;
  const chosenExists =
    chosenFilter !== null && (datasets?.some((d) => d.id === chosenFilter.datasetId) ?? false);
  const fallbackFilter = useMemo(
    () => (fallbackId === null ? null : selectDataset(fallbackId)),
    [fallbackId],
  );
  const filter = chosenExists ? chosenFilter : fallbackFilter;

  const dataset = datasets?.find((d) => d.id === filter?.datasetId) ?? null;
  const { facets, error: facetsError } = useFacets(filter, `${facetsRefresh}:${dataset?.itemCount ?? 0}`);
  const pages = useItemPages(filter);

  const trimmedQuery = queryText.trim();
  const search: SearchState = trimmedQuery === '' ? { phase: 'idle' } : searchState;
  const searching = search.phase !== 'idle';
  const unfiltered = filter !== null && activeFacets(filter).length === 0;
  // Until the facets answer (or if they cannot), the dataset's own count is the length of an unfiltered list.
  const total = facets?.total ?? (unfiltered ? (dataset?.itemCount ?? 0) : 0);
  const length = pages.length(total);
  const hits = search.phase === 'done' ? search.hits : [];
  const count = searching ? hits.length : length;
  const perRow = !searching && view === 'grid' ? columns : 1;

  // Search: debounced, over the whole dataset (facets apply to browsing).
  const datasetId = filter?.datasetId ?? null;
  useEffect(() => {
    const query = trimmedQuery;
    if (query === '' || datasetId === null) return;
    let live = true;
    const timer = setTimeout(() => {
      setSearch({ phase: 'searching', query });
      client.call('items.search', { datasetId, query, limit: SEARCH_LIMIT }).then(
        (found) => live && setSearch({ phase: 'done', query, hits: found }),
        (error: unknown) =>
          live &&
          setSearch({
            phase: 'failed',
            query,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, datasetId, trimmedQuery]);

  // A new list (filter, search) starts with nothing selected.
  const listIdentity = `${JSON.stringify(filter)}|${search.phase === 'done' ? search.query : ''}`;
  const [shownList, setShownList] = useState(listIdentity);
  if (shownList !== listIdentity) {
    setShownList(listIdentity);
    setSelected(null);
    setDetailOpen(false);
  }

  const selectedItem: Item | undefined =
    selected === null ? undefined : searching ? hits[selected]?.item : pages.itemAt(selected);

  const reveal = useCallback(
    (index: number) => {
      if (!searching) list.current?.revealRow(Math.floor(index / perRow));
    },
    [searching, perRow],
  );

  const select = useCallback(
    (index: number) => {
      setSelected(index);
      reveal(index);
    },
    [reveal],
  );
  const open = useCallback(
    (index: number) => {
      select(index);
      setDetailOpen(true);
    },
    [select],
  );
  const closeDetail = useCallback(() => {
    setDetailOpen(false);
    list.current?.focus();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const previous = lastKey.current;
      lastKey.current = { key: event.key, at: Date.now() };
      if (event.defaultPrevented || importOpen || isTypingTarget(event.target)) return;
      if (previous?.key === 'g' && Date.now() - previous.at < GO_WINDOW_MS) return;
      const action = browserKeyAction(event, detailOpen);
      if (action.type === 'none') return;
      if (action.type === 'open' && isActivatable(event.target)) return;
      event.preventDefault();
      if (action.type === 'focus-search') {
        searchBox.current?.focus();
        searchBox.current?.select();
      } else if (action.type === 'close') {
        closeDetail();
      } else if (action.type === 'open') {
        if (count > 0) open(selected ?? 0);
      } else {
        const rowsPerPage = list.current?.rowsPerScreen() ?? 10;
        const next = moveSelection(selected, action.by, { count, columns: perRow, rowsPerPage }, detailOpen);
        if (next !== null) select(next);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [importOpen, detailOpen, count, perRow, selected, open, select, closeDetail]);

  // In the search box: ↓ goes to the results, Enter opens the first (or selected) hit, Escape clears.
  const onSearchKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setQueryText('');
      list.current?.focus();
    } else if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      select(selected ?? 0);
      document
        .querySelector<HTMLElement>(
          '[data-testid="search-results"], [data-testid="item-grid"], [data-testid="item-table-body"]',
        )
        ?.focus();
    } else if (event.key === 'Enter' && count > 0) {
      event.preventDefault();
      open(selected ?? 0);
    }
  };

  const itemChanged = useCallback(
    (item: Item) => {
      pages.update(item);
      setSearch((s) =>
        s.phase === 'done'
          ? { ...s, hits: s.hits.map((h) => (h.item.id === item.id ? { ...h, item } : h)) }
          : s,
      );
      setFacetsRefresh((n) => n + 1);
    },
    [pages],
  );

  const chooseView = (next: BrowserView) => {
    setView(next);
    window.localStorage.setItem(VIEW_KEY, next);
  };
  const onFacet = (facet: FacetName, value: string) => filter && setFilter(toggleFacet(filter, facet, value));
  const onImported = (name: string | null) => {
    setImportOpen(false);
    setPendingOpen({ name });
    reload();
  };

  const position = selected === null ? '' : `${(selected + 1).toLocaleString()} of ${count.toLocaleString()}`;
  const actions = (
    <>
      <a className="button button--ghost" href={routeHref('playground')} data-testid="open-playground">
        <Icon name="code" />
        Render playground
      </a>
      <button
        type="button"
        className="button button--primary"
        onClick={() => setImportOpen(true)}
        data-testid="open-import"
      >
        <Icon name="upload" />
        Import…
      </button>
    </>
  );

  return (
    <Page
      title="Datasets"
      description="Image–caption–code (ICC) triplets kept in the local SQLite store."
      actions={actions}
      fill
    >
      {datasets !== null && datasets.length === 0 ? (
        <section className="card browser-empty" data-testid="datasets-empty">
          <Icon name="datasets" className="empty-state__icon" />
          <h2 className="empty-state__title">No datasets yet</h2>
          <p className="muted">
            Import image–caption–code triplets, a STEM2Code-Eval benchmark or a VQA benchmark: Import… above,
            or from the command line:{' '}
            <code>codepercept import PATH --format stem2code|jsonl|csv|parquet|folder|vqa</code>.
          </p>
        </section>
      ) : (
        <div className="browser">
          {datasets && filter && (
            <FacetsSidebar
              datasets={datasets}
              filter={filter}
              facets={facets}
              facetsError={facetsError}
              onDataset={(id) => setFilter(selectDataset(id))}
              onFacet={onFacet}
            />
          )}
          <section className="browser__main" aria-label="Items">
            <div className="browser__toolbar">
              <label className="search-box">
                <Icon name="search" />
                <input
                  ref={searchBox}
                  type="search"
                  className="search-box__input"
                  value={queryText}
                  onChange={(e) => setQueryText(e.target.value)}
                  onKeyDown={onSearchKeyDown}
                  placeholder={dataset ? `Search ${dataset.name}: captions, code, questions` : 'Search'}
                  aria-label="Search captions, code and questions"
                  maxLength={500}
                  data-testid="search-input"
                />
                <kbd className="search-box__key" aria-hidden="true">
                  /
                </kbd>
              </label>
              <div className="segmented" role="group" aria-label="View">
                <button
                  type="button"
                  aria-pressed={view === 'grid'}
                  onClick={() => chooseView('grid')}
                  data-testid="view-grid"
                  disabled={searching}
                >
                  <Icon name="grid" />
                  Grid
                </button>
                <button
                  type="button"
                  aria-pressed={view === 'table'}
                  onClick={() => chooseView('table')}
                  data-testid="view-table"
                  disabled={searching}
                >
                  <Icon name="list" />
                  Table
                </button>
              </div>
              <span className="browser__count muted" data-testid="item-count" data-count={count}>
                {search.phase === 'searching'
                  ? 'Searching…'
                  : searching
                    ? `${hits.length.toLocaleString()} ${hits.length === 1 ? 'match' : 'matches'}`
                    : `${length.toLocaleString()} ${length === 1 ? 'item' : 'items'}`}
              </span>
            </div>
            {filter && !searching && activeFacets(filter).length > 0 && (
              <div className="browser__chips" aria-label="Active filters">
                {activeFacets(filter).map(({ facet, value }) => (
                  <span key={facet} className="chip" data-testid="filter-chip">
                    <span className="muted">{facetLabels[facet]}:</span>{' '}
                    {facet === 'verification' ? verificationLabel(value as VerificationFilter) : value}
                    <button
                      type="button"
                      className="chip__remove"
                      onClick={() => setFilter(clearFacet(filter, facet))}
                      aria-label={`Clear the ${facetLabels[facet]} filter`}
                    >
                      <Icon name="close" />
                    </button>
                  </span>
                ))}
              </div>
            )}
            {searching && (
              <p className="browser__note muted">
                Search covers the whole dataset, best matches first; the facets apply to browsing.{' '}
                <kbd>Esc</kbd> in the box clears it.
              </p>
            )}
            <div className="browser__list">
              {search.phase === 'done' ? (
                <SearchResults
                  query={search.query}
                  hits={search.hits}
                  limit={SEARCH_LIMIT}
                  selected={selected}
                  onSelect={select}
                  onOpen={open}
                />
              ) : search.phase === 'failed' ? (
                <p className="banner banner--error" role="alert" data-testid="search-error">
                  <Icon name="error" />
                  <span>Search failed: {search.message}</span>
                </p>
              ) : search.phase === 'searching' ? (
                <p className="muted browser__note">Searching…</p>
              ) : filter ? (
                <ItemListView
                  ref={list}
                  view={view}
                  pages={pages}
                  length={length}
                  columns={columns}
                  onColumns={setColumns}
                  selected={selected}
                  onSelect={select}
                  onOpen={open}
                />
              ) : null}
            </div>
          </section>
        </div>
      )}
      {detailOpen && selectedItem && (
        <Suspense fallback={<div className="detail-backdrop" />}>
          <ItemDetail
            key={selectedItem.id}
            itemId={selectedItem.id}
            summary={selectedItem}
            position={position}
            onClose={closeDetail}
            onItemChange={itemChanged}
          />
        </Suspense>
      )}
      {importOpen && <ImportDialog onClose={() => setImportOpen(false)} onImported={onImported} />}
    </Page>
  );
}
