import { useEffect, useState } from 'react';
import type { Dataset } from '../../../main/api/datasets';
import { useEngine } from '../api/EngineContext';
import { EmptyState } from '../components/EmptyState';
import { formatTimestamp } from '../format/timestamp';
import { useToasts } from '../notifications/ToastProvider';

/** The datasets in this data dir; refreshed whenever an import job changes state, so counts stay live. */
export function DatasetsTable() {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('datasets.list', {}).then(
        (list) => live && setDatasets(list),
        (error: unknown) => reportError('Could not list the datasets', error),
      );
    void load();
    const off = client.on('jobs.progress', (job) => {
      if (job.type === 'datasets.import') void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, reportError]);

  if (datasets === null) return null;
  if (datasets.length === 0) {
    return (
      <EmptyState
        icon="datasets"
        title="No datasets yet"
        summary="Import image–caption–code triplets, a STEM2Code-Eval benchmark or a VQA benchmark from the command line: codepercept import PATH --format stem2code|jsonl|csv|vqa."
        planned={[
          'Browse up to millions of items in a grid and a table, with facets',
          'Full-text search with highlighted snippets; tags and notes',
          'Re-render the code and compare it with the stored image',
        ]}
        arrivesWith="The dataset browser arrives with the rest of the datasets issue."
      />
    );
  }
  return (
    <section className="card" aria-labelledby="datasets-title">
      <div className="card__header card__header--row">
        <h2 className="card__title" id="datasets-title">
          Datasets
        </h2>
        <span className="muted">
          Browser, search and detail view arrive with the rest of the datasets issue
        </span>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="datasets-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id} data-testid="dataset-row" data-name={d.name}>
                <td>{d.name}</td>
                <td>{d.kind}</td>
                <td className="num" data-testid="dataset-items">
                  {d.itemCount.toLocaleString()}
                </td>
                <td className="mono" title={d.source}>
                  {d.source}
                </td>
                <td>{formatTimestamp(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
