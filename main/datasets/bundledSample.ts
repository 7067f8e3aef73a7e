import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSnapshot } from '../api/jobs';
import type { DatasetCatalog } from './datasetCatalog';

/** The sample shipped in resources/sample (see its README), as the imports that load it. */
export function bundledSampleImports(appRoot: string) {
  const sample = join(appRoot, 'resources', 'sample');
  return [
    {
      path: join(sample, 'stem2code-mini', 'benchmark.jsonl'),
      format: 'stem2code',
      name: 'sample-stem2code-mini',
    },
    { path: join(sample, 'icc-sample', 'items.jsonl'), format: 'jsonl', name: 'sample-icc' },
  ] as const;
}

/**
 * A new data dir starts with the bundled sample, so a new user sees real data at once. Runs as ordinary import
 * jobs (progress, resumable); an existing data dir, or one whose user already has datasets, is left alone.
 */
export function loadBundledSample(catalog: DatasetCatalog, appRoot: string): JobSnapshot[] {
  if (catalog.datasets.list().length > 0) return [];
  return bundledSampleImports(appRoot)
    .filter((sample) => existsSync(sample.path))
    .map((sample) => catalog.startImport({ path: sample.path, format: sample.format, name: sample.name }));
}
