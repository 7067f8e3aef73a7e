import { DatasetBrowser } from '../datasets/DatasetBrowser';

export function DatasetsPage() {
  return <DatasetBrowser />;
}
