import { EmptyState } from '../components/EmptyState';
import { Page } from '../components/Page';

export function DatasetsPage() {
  return (
    <Page title="Datasets" description="Image–caption–code (ICC) triplets kept in the local SQLite store.">
      <EmptyState
        icon="datasets"
        title="No datasets yet"
        summary="This page will list your ICC datasets — up to millions of image–caption–code triplets — and let you look at each figure, its caption and the code that draws it side by side."
        planned={[
          'Import official STEM2Code JSONL, generic JSONL / CSV, Parquet and image folders',
          'Full-text search and filters over captions, code and questions',
          'Re-render the code and check that it still reproduces the image',
        ]}
        arrivesWith="Dataset importers and the browser arrive with a later issue."
      />
    </Page>
  );
}
