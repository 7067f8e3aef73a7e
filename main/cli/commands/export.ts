import { once } from 'node:events';
import { copyFileSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ApiClient } from '../../api/client';
import type { Item } from '../../api/datasets';
import { writeItemsParquet } from '../../datasets/exporters/itemsParquet';
import { openEngineSession } from '../engineSession';
import { printJson } from '../output';
import { findDataset } from './datasets';

export interface ExportOptions {
  format: 'jsonl' | 'stem2code' | 'parquet';
  output: string;
  category?: string;
  source?: string;
  tag?: string;
  dataDir?: string;
  json?: boolean;
}

/** The official STEM2Code-Eval line: image at messages[1].content[0].image, code at messages[3].content[0].text. */
export function stem2codeLine(item: Item, image: string | null): unknown {
  return {
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
      { role: 'user', content: [{ type: 'image', image: image ?? '' }] },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Write Python matplotlib code that reproduces this image.' }],
      },
      { role: 'assistant', content: [{ type: 'text', text: item.code ?? '' }] },
    ],
    // Not part of the official layout (its readers ignore it); keeps categories across export and import.
    ...(item.category === null ? {} : { category: item.category }),
  };
}

export function jsonlLine(item: Item, image: string | null): unknown {
  return {
    uid: item.uid,
    category: item.category,
    source: item.source,
    image,
    caption: item.caption,
    code: item.code,
    question: item.question,
    answer: item.answer,
    choices: item.choices,
    metadata: item.metadata,
    tags: item.tags,
    note: item.note,
  };
}

/** The dataset's items matching the filters, paged by keyset so memory stays flat whatever the size. */
async function* filteredItems(
  client: ApiClient,
  datasetId: number,
  options: Pick<ExportOptions, 'category' | 'source' | 'tag'>,
): AsyncGenerator<Item> {
  let after: number | undefined;
  for (;;) {
    const page = await client.call('items.page', {
      datasetId,
      limit: 500,
      ...(options.category ? { category: options.category } : {}),
      ...(options.source ? { source: options.source } : {}),
      ...(options.tag ? { tag: options.tag } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    yield* page.items;
    if (page.next === null) return;
    after = page.next;
  }
}

/**
 * Writes JSONL with the images copied to `<FILE>_images/` (paths relative to the file, so the export can be
 * moved and imported again). Returns the item count and the images folder.
 */
async function writeJsonl(out: string, items: AsyncIterable<Item>, format: 'jsonl' | 'stem2code') {
  const imagesDirName = `${basename(out, extname(out))}_images`;
  const imagesDir = join(dirname(out), imagesDirName);
  mkdirSync(imagesDir, { recursive: true });
  const stream = createWriteStream(out);
  let count = 0;
  for await (const item of items) {
    let image: string | null = null;
    if (item.imagePath) {
      // Named by content hash, as in the blob store: an image shared by many items is copied once.
      const name = basename(item.imagePath);
      if (!existsSync(join(imagesDir, name))) copyFileSync(item.imagePath, join(imagesDir, name));
      image = `${imagesDirName}/${name}`;
    }
    const line = format === 'stem2code' ? stem2codeLine(item, image) : jsonlLine(item, image);
    if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, 'drain');
    count++;
  }
  stream.end();
  await once(stream, 'finish');
  return { count, imagesDir };
}

/** Writes a dataset (or the subset the filters select) as JSONL, the official layout, or Parquet. */
export async function exportCommand(dataset: string, options: ExportOptions): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept export', { runJobs: false });
  try {
    const ds = await findDataset(session.client, dataset);
    const out = resolve(options.output);
    mkdirSync(dirname(out), { recursive: true });
    const items = filteredItems(session.client, ds.id, options);
    let count: number;
    let where: string;
    if (options.format === 'parquet') {
      count = await writeItemsParquet(out, items);
      where = 'images embedded';
    } else {
      const written = await writeJsonl(out, items, options.format);
      count = written.count;
      where = `images in ${written.imagesDir}`;
    }
    if (options.json) printJson({ dataset: ds.name, format: options.format, file: out, items: count });
    else process.stdout.write(`Exported ${count} item(s) of "${ds.name}" to ${out} (${where}).\n`);
  } finally {
    await session.close();
  }
}
