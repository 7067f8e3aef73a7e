import { basename, dirname } from 'node:path';
import { importJobParamsSchema } from '../../api/datasets';
import type { ImportJobParams, RowError as RowErrorEntry } from '../../api/datasets';
import type { JobDefinition } from '../../jobs/jobDefinition';
import type { WorkbenchStore } from '../../store/workbenchStore';
import { DatasetRepository } from '../datasetRepository';
import { ItemRepository } from '../itemRepository';
import type { NewItem } from '../itemRepository';
import { csvRecords } from './csvRecords';
import { DEFAULT_MAX_IMAGE_BYTES, ImageLoader } from './imageLoader';
import { chunkKey, decodeLine, parseChunkKey, planLineChunks, readLineChunk } from './lineChunks';
import { datasetKindFor, mapRow, RowError } from './rowMapping';

export const IMPORT_JOB_TYPE = 'datasets.import';

/** Rows per job item; each batch is written in one transaction, so it is stored whole or not at all. */
export const ROWS_PER_BATCH = 2000;

/** What each batch (job item) records as its result; the import report is their sum. */
export interface BatchResult {
  imported: number;
  skipped: number;
  errors: RowErrorEntry[];
}

interface ParsedRow {
  line: number;
  index: number;
  value: unknown;
}

function isTsv(params: ImportJobParams): boolean {
  return params.format === 'vqa' && /\.tsv$/i.test(params.path);
}

/** One batch's raw rows, parsed to objects; rows that cannot even be parsed become errors here. */
async function readBatch(
  params: ImportJobParams,
  key: string,
  errors: RowErrorEntry[],
  signal: AbortSignal,
): Promise<ParsedRow[]> {
  const file = basename(params.path);
  const rows: ParsedRow[] = [];
  if (key.startsWith('records:')) {
    const [, from, count] = key.split(':').map(Number) as [number, number, number];
    for await (const r of csvRecords(params.path, from, count, signal)) {
      const bad = Object.entries(r.record).find(([, v]) => v.includes('\uFFFD'));
      if (bad) errors.push({ file, line: r.line, field: bad[0], reason: 'not valid UTF-8' });
      else rows.push({ line: r.line, index: r.index, value: r.record });
    }
    return rows;
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

/**
 * The import as a resumable job. Plan: batches of ROWS_PER_BATCH rows, by byte offset (JSONL, TSV) or record
 * number (CSV). Each batch maps its rows and inserts them in one transaction; items are unique by
 * (dataset, uid) and (dataset, content hash), so a batch re-run after a crash stores nothing twice.
 */
export function createImportJob(store: WorkbenchStore): JobDefinition<ImportJobParams> {
  const datasets = new DatasetRepository(store.db);
  const items = new ItemRepository(store.db, store.blobs);
  // One image cache per job run: repeated references to the same file are read once.
  const loaders = new Map<string, ImageLoader>();
  const loaderFor = (jobId: string, params: ImportJobParams) => {
    let loader = loaders.get(jobId);
    if (!loader) {
      loader = new ImageLoader({
        blobs: store.blobs,
        baseDirs: [...(params.imagesRoot ? [params.imagesRoot] : []), dirname(params.path)],
        maxBytes: params.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
      });
      loaders.clear();
      loaders.set(jobId, loader);
    }
    return loader;
  };

  return {
    type: IMPORT_JOB_TYPE,
    paramsSchema: importJobParamsSchema,
    title: (p) => `Import ${basename(p.path)} (${p.format}) into "${p.name}"`,
    async plan({ params, signal }) {
      datasets.ensure(params.name, datasetKindFor(params.format, params.map), params.path);
      if (params.format === 'csv') {
        let count = 0;
        for await (const _ of csvRecords(params.path, 0, Number.POSITIVE_INFINITY, signal)) count++;
        const keys: string[] = [];
        for (let from = 0; from < count; from += ROWS_PER_BATCH)
          keys.push(`records:${from}:${Math.min(ROWS_PER_BATCH, count - from)}`);
        return keys;
      }
      const chunks = await planLineChunks(params.path, ROWS_PER_BATCH, signal, isTsv(params) ? 1 : 0);
      return chunks.map(chunkKey);
    },
    async runItem({ jobId, params, key, signal }): Promise<BatchResult> {
      signal.throwIfAborted();
      const errors: RowErrorEntry[] = [];
      const rows = await readBatch(params, key, errors, signal);
      signal.throwIfAborted();
      const file = basename(params.path);
      const images = loaderFor(jobId, params);
      const dataset = datasets.resolve(params.name);
      let imported = 0;
      let skipped = 0;
      let inserted = 0;
      store.db.transaction(() => {
        const now = Date.now();
        for (const row of rows) {
          let item: NewItem;
          try {
            item = mapRow(row.value, { format: params.format, map: params.map, images, index: row.index });
          } catch (error) {
            if (!(error instanceof RowError)) throw error;
            errors.push({ file, line: row.line, field: error.field, reason: error.message });
            continue;
          }
          const outcome = items.insert(dataset.id, item, jobId, now);
          if (outcome === 'duplicate') skipped++;
          else imported++;
          if (outcome === 'inserted') inserted++;
        }
        datasets.addToCount(dataset.id, inserted);
      })();
      errors.sort((a, b) => a.line - b.line);
      return { imported, skipped, errors };
    },
  };
}
