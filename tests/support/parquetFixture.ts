import { parquetWriteFile } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';

export const text = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

/** The Hugging Face `datasets` Image feature: a struct of raw bytes and a path. */
export const imageStruct = (name: string): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  text('path'),
];

export const textList = (name: string): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  text('element'),
];

export const int64 = (name: string): SchemaElement => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });

export interface FixtureColumn {
  schema: SchemaElement | SchemaElement[];
  data: unknown[];
}

/** Writes a Parquet file with hyparquet-writer; the top-level column name is the first schema element's. */
export function writeParquet(filename: string, columns: FixtureColumn[], rowGroupSize: number): void {
  const elements = columns.map((c) => (Array.isArray(c.schema) ? c.schema : [c.schema]));
  parquetWriteFile({
    filename,
    rowGroupSize,
    schema: [{ name: 'root', num_children: columns.length }, ...elements.flat()],
    columnData: columns.map((c, i) => ({ name: elements[i]![0]!.name, data: c.data as never })),
  });
}
