import type { Facets, ItemFilter, VerificationFilter } from '../../../main/api/datasets';

/** The facets a click can set, besides the dataset. */
export type FacetName = 'category' | 'source' | 'tag' | 'verification';

export const facetLabels: Record<FacetName, string> = {
  category: 'Category',
  source: 'Source',
  tag: 'Tag',
  verification: 'Verification',
};

export interface FacetEntry {
  value: string;
  count: number;
  active: boolean;
}

/** Clicking a value filters by it; clicking the active value again clears that facet. */
export function toggleFacet(filter: ItemFilter, facet: FacetName, value: string): ItemFilter {
  const next: ItemFilter = { ...filter };
  if (filter[facet] === value) delete next[facet];
  else if (facet === 'verification') next.verification = value as VerificationFilter;
  else next[facet] = value;
  return next;
}

/** Another dataset starts with no other filters: its categories and tags are its own. */
export function selectDataset(datasetId: number): ItemFilter {
  return { datasetId };
}

export function clearFacet(filter: ItemFilter, facet: FacetName): ItemFilter {
  const next: ItemFilter = { ...filter };
  delete next[facet];
  return next;
}

/** The filters in force besides the dataset, for the chips above the grid. */
export function activeFacets(filter: ItemFilter): { facet: FacetName; value: string }[] {
  return (Object.keys(facetLabels) as FacetName[]).flatMap((facet) => {
    const value = filter[facet];
    return value === undefined ? [] : [{ facet, value }];
  });
}

/** A stable identity for a filter: the page cache and the scroll position belong to one key. */
export function filterKey(filter: ItemFilter): string {
  return JSON.stringify([
    filter.datasetId,
    filter.category ?? null,
    filter.source ?? null,
    filter.tag ?? null,
    filter.verification ?? null,
  ]);
}

/**
 * One facet's values with counts, the active value marked; an active value the counts no longer list
 * (zero items after another filter changed) still shows so it can be cleared.
 */
export function facetEntries(facets: Facets | null, filter: ItemFilter, facet: FacetName): FacetEntry[] {
  const listed =
    facet === 'category'
      ? facets?.categories
      : facet === 'source'
        ? facets?.sources
        : facet === 'tag'
          ? facets?.tags
          : facets?.verification;
  const active = filter[facet];
  const entries = (listed ?? []).map(({ value, count }) => ({ value, count, active: value === active }));
  if (active !== undefined && !entries.some((e) => e.active)) {
    entries.unshift({ value: active, count: 0, active: true });
  }
  return entries;
}
