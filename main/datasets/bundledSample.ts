import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { JobSnapshot } from '../api/jobs';
import type { ExternalResultSet } from '../api/scaling';
import type { ExternalResultStore } from '../scaling/external/externalResultStore';
import type { DatasetCatalog } from './datasetCatalog';

/**
 * The sample shipped in resources/sample (see its README), as the imports that load it. The ICC and VQA files
 * share stem2code-mini's images (`../stem2code-mini/images/…`), so the sample folder is their images root.
 */
export function bundledSampleImports(appRoot: string) {
  const sample = join(appRoot, 'resources', 'sample');
  return [
    {
      path: join(sample, 'stem2code-mini', 'benchmark.jsonl'),
      format: 'stem2code',
      name: 'sample-stem2code-mini',
    },
    {
      path: join(sample, 'icc-sample', 'items.jsonl'),
      format: 'jsonl',
      name: 'sample-icc',
      imagesRoot: sample,
    },
    {
      path: join(sample, 'vqa-mini', 'questions.jsonl'),
      format: 'vqa',
      name: 'sample-vqa-mini',
      imagesRoot: sample,
    },
  ] as const;
}

/** resources/sample/scaling-demo/sets.json: each external set's CSV with the name and source it is stored under. */
const externalManifestSchema = z.array(
  z.object({ file: z.string().min(1), name: z.string().min(1), source: z.string() }).strict(),
);

/** The published-number sets shipped in resources/sample/scaling-demo, read from its manifest. */
export function bundledExternalSets(appRoot: string): { path: string; name: string; source: string }[] {
  const dir = join(appRoot, 'resources', 'sample', 'scaling-demo');
  const manifest = join(dir, 'sets.json');
  if (!existsSync(manifest)) return [];
  return externalManifestSchema
    .parse(JSON.parse(readFileSync(manifest, 'utf8')))
    .map((set) => ({ path: join(dir, set.file), name: set.name, source: set.source }));
}

export interface BundledSampleTargets {
  catalog: DatasetCatalog;
  externalResults: ExternalResultStore;
}

/**
 * A new data dir starts with the bundled sample, so a new user sees real data at once: the datasets as ordinary
 * import jobs (progress, resumable) and the paper's published numbers as external result sets. An existing data
 * dir, or one whose user already has datasets (or external sets), is left alone.
 */
export function loadBundledSample(
  targets: BundledSampleTargets,
  appRoot: string,
): { jobs: JobSnapshot[]; externalSets: ExternalResultSet[] } {
  const { catalog, externalResults } = targets;
  const jobs =
    catalog.datasets.list().length > 0
      ? []
      : bundledSampleImports(appRoot)
          .filter((sample) => existsSync(sample.path))
          .map((sample) => catalog.startImport(sample));
  // The shipped CSVs are checked by the sample's tests; a bad one fails here loudly rather than showing nothing.
  const externalSets =
    externalResults.list().length > 0
      ? []
      : bundledExternalSets(appRoot)
          .filter((set) => existsSync(set.path))
          .map((set) =>
            externalResults.import({
              name: set.name,
              source: set.source,
              csv: readFileSync(set.path, 'utf8'),
            }),
          );
  return { jobs, externalSets };
}
