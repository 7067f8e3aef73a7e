import type { Dataset, Facets, ItemFilter, VerificationFilter } from '../../../main/api/datasets';
import type { ErrorDescription } from '../api/describeError';
import { facetEntries, facetLabels } from './facetFilter';
import type { FacetName } from './facetFilter';
import { verificationLabel } from './VerificationBadge';

interface FacetsSidebarProps {
  datasets: Dataset[];
  filter: ItemFilter;
  facets: Facets | null;
  facetsError: ErrorDescription | null;
  onDataset: (id: number) => void;
  onFacet: (facet: FacetName, value: string) => void;
}

const facetOrder: FacetName[] = ['category', 'source', 'tag', 'verification'];

/** Dataset and facet values with counts; a click filters, a second click on the same value clears it. */
export function FacetsSidebar({
  datasets,
  filter,
  facets,
  facetsError,
  onDataset,
  onFacet,
}: FacetsSidebarProps) {
  return (
    <nav className="facets" aria-label="Filters" data-testid="facets">
      <section className="facet" aria-labelledby="facet-dataset">
        <h2 className="facet__title" id="facet-dataset">
          Dataset
        </h2>
        <ul className="facet__list">
          {datasets.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="facet__value"
                aria-pressed={d.id === filter.datasetId}
                onClick={() => onDataset(d.id)}
                title={`${d.name} · ${d.kind} · ${d.source}`}
                data-testid="dataset-row"
                data-name={d.name}
              >
                <span className="facet__label">{d.name}</span>
                <span className="facet__count num" data-testid="dataset-items">
                  {d.itemCount.toLocaleString()}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {facetsError && (
        <p className="facet__error" role="status" data-testid="facets-error">
          Counts unavailable: {facetsError.message}
        </p>
      )}
      {facetOrder.map((facet) => {
        const entries = facetEntries(facets, filter, facet);
        if (entries.length === 0) return null;
        return (
          <section
            key={facet}
            className="facet"
            aria-labelledby={`facet-${facet}`}
            data-testid={`facet-${facet}`}
          >
            <h2 className="facet__title" id={`facet-${facet}`}>
              {facetLabels[facet]}
            </h2>
            <ul className="facet__list">
              {entries.map((entry) => (
                <li key={entry.value}>
                  <button
                    type="button"
                    className="facet__value"
                    aria-pressed={entry.active}
                    onClick={() => onFacet(facet, entry.value)}
                    data-testid="facet-value"
                    data-value={entry.value}
                  >
                    <span className="facet__label">
                      {facet === 'verification'
                        ? verificationLabel(entry.value as VerificationFilter)
                        : entry.value}
                    </span>
                    <span className="facet__count num">{entry.count.toLocaleString()}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
