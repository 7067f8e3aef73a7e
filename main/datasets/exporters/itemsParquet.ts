import { renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileWriter, parquetWriteRows } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import type { Item } from '../../api/datasets';

/** Rows per row group: with embedded images a group stays a few tens of MB, and readers can page by group. */
const ROWS_PER_GROUP = 500;

const text = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

const textList = (name: string): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  text('element'),
];

const COLUMNS = [
  'uid',
  'category',
  'source',
  'image',
  'caption',
  'code',
  'question',
  'answer',
  'choices',
  'metadata',
  'tags',
  'note',
] as const;

/** The Hugging Face datasets layout: the image is a `{bytes, path}` struct, lists are 3-level LISTs. */
const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: COLUMNS.length },
  text('uid'),
  text('category'),
  text('source'),
  { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  text('path'),
  text('caption'),
  text('code'),
  text('question'),
  text('answer'),
  ...textList('choices'),
  // JSON text rather than a JSON logical type: every Parquet reader shows it, and our importer keeps it.
  text('metadata'),
  ...textList('tags'),
  text('note'),
];

const VALUE = { dtype: 'string', _type: 'Value' };
const STRING_LIST = { feature: VALUE, _type: 'Sequence' };

/** `datasets.load_dataset("parquet", ...)` reads these features, so the image column opens as an Image. */
const HF_FEATURES = {
  info: {
    features: Object.fromEntries(
      COLUMNS.map((c) => [
        c,
        c === 'image' ? { _type: 'Image' } : c === 'choices' || c === 'tags' ? STRING_LIST : VALUE,
      ]),
    ),
  },
};

async function row(item: Item): Promise<Record<string, unknown>> {
  return {
    uid: item.uid,
    category: item.category,
    source: item.source,
    // Named by content hash, as in the blob store, so equal images keep equal names.
    image: item.imagePath ? { bytes: await readFile(item.imagePath), path: basename(item.imagePath) } : null,
    caption: item.caption,
    code: item.code,
    question: item.question,
    answer: item.answer,
    choices: item.choices,
    metadata: item.metadata === null ? null : JSON.stringify(item.metadata),
    tags: item.tags,
    note: item.note,
  };
}

/**
 * Writes items as one Parquet file with the images embedded. Rows are pulled a row group at a time, so memory
 * stays flat at any dataset size; the file appears under its name only when complete.
 */
export async function writeItemsParquet(out: string, items: AsyncIterable<Item>): Promise<number> {
  const tmp = `${out}.${process.pid}.tmp`;
  let count = 0;
  async function* rows() {
    for await (const item of items) {
      count++;
      yield await row(item);
    }
  }
  try {
    await parquetWriteRows({
      writer: fileWriter(tmp),
      rows: rows(),
      columns: COLUMNS.map((name) => ({ name })),
      schema: SCHEMA,
      rowGroupSize: ROWS_PER_GROUP,
      kvMetadata: [{ key: 'huggingface', value: JSON.stringify(HF_FEATURES) }],
      createdBy: 'codepercept-workbench',
    });
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return count;
}
