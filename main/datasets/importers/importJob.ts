import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { importJobParamsSchema } from '../../api/datasets';
import type { ImportJobParams, RowError as RowErrorEntry } from '../../api/datasets';
import type { RenderOptionsInput, RenderOutcome } from '../../api/render';
import type { JobDefinition } from '../../jobs/jobDefinition';
import type { WorkbenchStore } from '../../store/workbenchStore';
import { DatasetRepository } from '../datasetRepository';
import { ItemRepository } from '../itemRepository';
import type { NewItem } from '../itemRepository';
import { ThumbnailRepository } from '../thumbnailRepository';
import { csvBatchKey, csvRecords, parseCsvBatchKey, planCsvBatches } from './csvRecords';
import { folderBatchKey, parseFolderBatchKey, planFolderBatches, readFolderBatch } from './folderRows';
import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_SIDE, ImageLoader } from './imageLoader';
import { chunkKey, decodeLine, parseChunkKey, planLineChunks, readLineChunk } from './lineChunks';
import { rowsInBatch } from './importReport';
import { mapConcurrent } from './mapConcurrent';
import { parquetBatchKey, parseParquetBatchKey, planParquetBatches, readParquetBatch } from './parquetRows';
import { datasetKindFor, mapRow, RowError } from './rowMapping';
import type { CodeRenderer } from './rowMapping';

export const IMPORT_JOB_TYPE = 'datasets.import';

/** Rows per job item; each batch is written in one transaction, so it is stored whole or not at all. */
export const ROWS_PER_BATCH = 2000;
/** Folder imports may render every row (about a second each), so their batches are small. */
export const FILES_PER_BATCH = 32;

/** Rows mapped at once within a batch (image decodes and renders overlap). */
const MAP_CONCURRENCY = Math.max(4, availableParallelism() * 2);

/** What each batch (job item) records as its result; the import report is their sum. */
export interface BatchResult {
  imported: number;
  skipped: number;
  errors: RowErrorEntry[];
}

/** The renderer, as much of it as imports use (dependency injected; tests and the engine pass the real one). */
export interface ImportRenderer {
  render(code: string, options: RenderOptionsInput, call: { signal?: AbortSignal }): Promise<RenderOutcome>;
}

export interface ImportJobDeps {
  /** Draws folder rows that have no image; without it such rows are errors. */
  render?: ImportRenderer | undefined;
}

interface SourceRow {
  /** The row's file in error reports, when it is not the imported path (folder imports). */
  file?: string;
  line: number;
  index: number;
  value: unknown;
}

type SourceKind = 'lines' | 'csv' | 'parquet' | 'folder';

export function sourceKind(params: Pick<ImportJobParams, 'format' | 'path'>): SourceKind {
  if (params.format === 'folder') return 'folder';
  if (params.format === 'csv') return 'csv';
  if (params.format === 'parquet' || (params.format === 'vqa' && /\.parquet$/i.test(params.path)))
    return 'parquet';
  return 'lines';
}

function isTsv(params: ImportJobParams): boolean {
  return params.format === 'vqa' && /\.tsv$/i.test(params.path);
}

async function planBatches(params: ImportJobParams, signal: AbortSignal): Promise<string[]> {
  switch (sourceKind(params)) {
    case 'csv':
      return (await planCsvBatches(params.path, ROWS_PER_BATCH, signal)).map(csvBatchKey);
    case 'parquet':
      return (await planParquetBatches(params.path, ROWS_PER_BATCH)).map(parquetBatchKey);
    case 'folder':
      return (await planFolderBatches(params.path, FILES_PER_BATCH)).map(folderBatchKey);
    case 'lines': {
      const chunks = await planLineChunks(params.path, ROWS_PER_BATCH, signal, isTsv(params) ? 1 : 0);
      return chunks.map(chunkKey);
    }
  }
}

/** One batch's raw rows, parsed to objects; rows that cannot even be parsed become errors here. */
async function readBatch(
  params: ImportJobParams,
  key: string,
  errors: RowErrorEntry[],
  signal: AbortSignal,
): Promise<SourceRow[]> {
  const file = basename(params.path);
  const rows: SourceRow[] = [];
  switch (sourceKind(params)) {
    case 'csv':
      for await (const r of csvRecords(params.path, parseCsvBatchKey(key), signal)) {
        if ('error' in r) {
          errors.push({ file, line: r.line, ...r.error });
          continue;
        }
        const bad = Object.entries(r.record).find(([, v]) => v.includes('\uFFFD'));
        if (bad) errors.push({ file, line: r.line, field: bad[0], reason: 'not valid UTF-8' });
        else rows.push({ line: r.line, index: r.index, value: r.record });
      }
      return rows;
    case 'parquet':
      // line = the 1-based row number: what a person counts in a table viewer.
      for (const r of await readParquetBatch(params.path, parseParquetBatchKey(key))) {
        if (r.unreadable) errors.push({ file, line: r.index + 1, ...r.unreadable });
        else rows.push({ line: r.index + 1, index: r.index, value: r.value });
      }
      return rows;
    case 'folder':
      for (const [i, entry] of (await readFolderBatch(params.path, parseFolderBatchKey(key))).entries()) {
        if ('reason' in entry.row) errors.push({ file: entry.file, line: 1, ...entry.row });
        else rows.push({ file: entry.file, line: 1, index: i, value: entry.row });
      }
      return rows;
    case 'lines':
      break;
  }
  const chunk = parseChunkKey(key);
  const header = isTsv(params) ? await tsvHeader(params.path) : null;
  // The data-row index: line number minus one, minus the header line for TSV.
  const indexOf = (line: number) => line - 1 - (header ? 1 : 0);
  for (const raw of await readLineChunk(params.path, chunk)) {
    let text: string;
    try {
      text = decodeLine(raw.bytes);
    } catch {
      errors.push({ file, line: raw.line, field: null, reason: 'not valid UTF-8' });
      continue;
    }
    if (text.trim() === '') continue;
    if (header) {
      const cells = text.split('\t');
      rows.push({
        line: raw.line,
        index: indexOf(raw.line),
        value: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])),
      });
      continue;
    }
    try {
      rows.push({ line: raw.line, index: indexOf(raw.line), value: JSON.parse(text) as unknown });
    } catch (error) {
      errors.push({ file, line: raw.line, field: null, reason: `bad JSON: ${(error as Error).message}` });
    }
  }
  return rows;
}

async function tsvHeader(path: string): Promise<string[]> {
  const [first] = await readLineChunk(path, { start: 0, firstLine: 1, lines: 1 });
  return decodeLine(first!.bytes).split('\t');
}

/** A failed render as a person reads it: the status, the exception and where in the code. */
function renderFailure(outcome: RenderOutcome): RowError {
  const f = outcome.failure;
  const what = f ? `${f.type ? `${f.type}: ` : ''}${f.message}` : 'no image was drawn';
  return new RowError(
    'code',
    `render ${outcome.status}: ${what}${f?.line ? ` (line ${f.line})` : ''}`,
    f?.line ?? undefined,
  );
}

function codeRenderer(renderer: ImportRenderer, images: ImageLoader, signal: AbortSignal): CodeRenderer {
  return async (code) => {
    // Canonical mode: the same fixed size, fonts and seeds as verification, so the two agree.
    const outcome = await renderer.render(code, { mode: 'canonical', trace: false }, { signal });
    if (outcome.status !== 'ok' || !outcome.image) throw renderFailure(outcome);
    try {
      return await images.loadStored(outcome.image.sha256);
    } catch (error) {
      throw new RowError('image', (error as Error).message);
    }
  };
}

/**
 * The import as a resumable job. Plan: batches by byte offset (JSONL, TSV, CSV), row range (Parquet) or file
 * names (folder). Each batch maps its rows (loading and validating images, rendering code when a folder row
 * has no image) and inserts them in one transaction; items are unique by (dataset, uid) and (dataset, content
 * hash), so a batch re-run after a crash stores nothing twice.
 */
export function createImportJob(
  store: WorkbenchStore,
  deps: ImportJobDeps = {},
): JobDefinition<ImportJobParams> {
  const datasets = new DatasetRepository(store.db);
  const items = new ItemRepository(store.db, store.blobs);
  const thumbnails = new ThumbnailRepository(store.db);
  // One image cache per job run: repeated references to the same image are read and decoded once.
  const loaders = new Map<string, ImageLoader>();
  const loaderFor = (jobId: string, params: ImportJobParams) => {
    let loader = loaders.get(jobId);
    if (!loader) {
      // A folder's images sit in the folder itself; a file's next to it.
      const home = sourceKind(params) === 'folder' ? params.path : dirname(params.path);
      loader = new ImageLoader({
        blobs: store.blobs,
        thumbnails,
        baseDirs: [...(params.imagesRoot ? [params.imagesRoot] : []), home],
        allowOutsideRoot: params.allowOutsideRoot,
        limits: {
          maxBytes: params.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
          maxSide: params.maxImageSide ?? DEFAULT_MAX_IMAGE_SIDE,
        },
      });
      loaders.clear();
      loaders.set(jobId, loader);
    }
    return loader;
  };

  return {
    type: IMPORT_JOB_TYPE,
    units: (params) =>
      params.format === 'folder' ? null : { label: 'rows', of: (key) => rowsInBatch(key) ?? 0 },
    paramsSchema: importJobParamsSchema,
    title: (p) => `Import ${basename(p.path)} (${p.format}) into "${p.name}"`,
    async plan({ params, signal }) {
      datasets.ensure(params.name, datasetKindFor(params.format, params.map), params.path);
      return planBatches(params, signal);
    },
    async runItem({ jobId, params, key, signal }): Promise<BatchResult> {
      signal.throwIfAborted();
      const errors: RowErrorEntry[] = [];
      const rows = await readBatch(params, key, errors, signal);
      signal.throwIfAborted();
      const file = basename(params.path);
      const images = loaderFor(jobId, params);
      const render = deps.render ? codeRenderer(deps.render, images, signal) : undefined;
      // Mapping is async (image decoding, renders); the writes below are one synchronous transaction.
      const mapped = await mapConcurrent(
        rows,
        MAP_CONCURRENCY,
        async (row): Promise<NewItem | null> => {
          try {
            return await mapRow(row.value, {
              format: params.format,
              map: params.map,
              images,
              index: row.index,
              render,
            });
          } catch (error) {
            if (!(error instanceof RowError)) throw error;
            errors.push({
              file: row.file ?? file,
              line: error.line ?? row.line,
              field: error.field,
              reason: error.message,
            });
            return null;
          }
        },
        signal,
      );
      signal.throwIfAborted();
      const dataset = datasets.resolve(params.name);
      let imported = 0;
      let skipped = 0;
      let inserted = 0;
      store.db.transaction(() => {
        const valid = mapped.filter((item): item is NewItem => item !== null);
        for (const outcome of items.insertMany(dataset.id, valid, jobId, Date.now())) {
          if (outcome === 'duplicate') skipped++;
          else imported++;
          if (outcome === 'inserted') inserted++;
        }
        datasets.addToCount(dataset.id, inserted);
      })();
      errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
      return { imported, skipped, errors };
    },
  };
}
