import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { ApiError } from '../api/errors';
import type { FieldMap, ImportFormat, ImportReport } from '../api/datasets';
import type { JobSnapshot } from '../api/jobs';
import type { JobQueue } from '../jobs/jobQueue';
import type { WorkbenchStore } from '../store/workbenchStore';
import { DatasetRepository } from './datasetRepository';
import { IMPORT_JOB_TYPE } from './importers/importJob';
import { importReport } from './importers/importReport';
import { ItemFacets } from './itemFacets';
import { ItemRepository } from './itemRepository';
import { ItemSearch } from './itemSearch';
import { MediaLibrary } from './mediaLibrary';

export interface ImportRequest {
  path: string;
  format: ImportFormat;
  name?: string | undefined;
  imagesRoot?: string | undefined;
  allowOutsideRoot?: boolean | undefined;
  map?: FieldMap | undefined;
  maxImageBytes?: number | undefined;
  maxImageSide?: number | undefined;
}

/** The datasets domain as the API sees it: repositories plus starting imports on the job queue. */
export class DatasetCatalog {
  readonly datasets: DatasetRepository;
  readonly items: ItemRepository;
  readonly search: ItemSearch;
  readonly facets: ItemFacets;
  readonly media: MediaLibrary;

  constructor(
    private readonly store: WorkbenchStore,
    private readonly jobs: JobQueue,
  ) {
    this.datasets = new DatasetRepository(store.db);
    this.items = new ItemRepository(store.db, store.blobs);
    this.search = new ItemSearch(store.db, this.items);
    this.facets = new ItemFacets(store.db);
    this.media = new MediaLibrary(store.db, store.blobs);
  }

  startImport(request: ImportRequest): JobSnapshot {
    // Absolute paths: the job may resume in another process started from another folder.
    const path = resolve(request.path);
    if (!existsSync(path)) throw new ApiError({ code: 'NOT_FOUND', message: `No file ${path}.` });
    const imagesRoot = request.imagesRoot ? resolve(request.imagesRoot) : undefined;
    if (imagesRoot && !existsSync(imagesRoot))
      throw new ApiError({ code: 'NOT_FOUND', message: `No images folder ${imagesRoot}.` });
    return this.jobs.start(IMPORT_JOB_TYPE, {
      path,
      format: request.format,
      name: request.name ?? basename(path, extname(path)),
      ...(imagesRoot ? { imagesRoot } : {}),
      ...(request.allowOutsideRoot ? { allowOutsideRoot: true } : {}),
      ...(request.map ? { map: request.map } : {}),
      ...(request.maxImageBytes ? { maxImageBytes: request.maxImageBytes } : {}),
      ...(request.maxImageSide ? { maxImageSide: request.maxImageSide } : {}),
    });
  }

  errors(jobId: string): ImportReport {
    const job = this.jobs.get(jobId);
    if (job.type !== IMPORT_JOB_TYPE)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `Job ${jobId} is a ${job.type} job, not an import.`,
      });
    return importReport(this.store.db, jobId, basename((job.params as { path: string }).path));
  }
}
