import { createHash } from 'node:crypto';
import type { DatasetKind, FieldMap, ImportFormat } from '../../api/datasets';
import type { NewItem } from '../itemRepository';
import { describeLimit, FIELD_LIMITS } from './fieldLimits';
import type { FieldLimit } from './fieldLimits';
import type { ImageBytes, ImageLoader } from './imageLoader';

/**
 * A row the importer rejects; `field` names the offending field, or null when the whole row is bad. `line`
 * points inside the row's own file when the fault is there (a folder import's .py that fails to render).
 */
export class RowError extends Error {
  constructor(
    readonly field: string | null,
    reason: string,
    readonly line?: number,
  ) {
    super(reason);
  }
}

/** Renders one item's code and returns the image's sha256 (folder imports with no image); throws RowError. */
export type CodeRenderer = (code: string) => Promise<string>;

const STEM2CODE_IMAGE = 'messages[1].content[0].image';
const STEM2CODE_CODE = 'messages[3].content[0].text';

const DEFAULT_MAP: Required<FieldMap> = {
  uid: 'uid',
  image: 'image',
  caption: 'caption',
  code: 'code',
  question: 'question',
  answer: 'answer',
  choices: 'choices',
  category: 'category',
  source: 'source',
};

/** Generic files hold image–caption–code triplets unless their mapping names question/answer columns. */
export function datasetKindFor(format: ImportFormat, map: FieldMap | undefined): DatasetKind {
  if (format === 'stem2code') return 'stem2code';
  if (format === 'vqa' || map?.question || map?.answer) return 'vqa';
  return 'icc';
}

function optionalString(record: Record<string, unknown>, column: string, field: string): string | null {
  const value = record[column];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  // Numbers are fine where text is expected (answers like 42, uids like 7); objects and lists are not.
  // Parquet INT64 columns arrive as bigint.
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint')
    return String(value);
  throw new RowError(field, `expected a string, got ${typeName(value)}`);
}

/** Rejects text over its limit (fieldLimits.ts), naming the field and its size; `values` count together. */
function checkSize(field: string, limit: FieldLimit, values: readonly string[]): void {
  let bytes = 0;
  for (const value of values) bytes += Buffer.byteLength(value, 'utf8');
  if (bytes > FIELD_LIMITS[limit])
    throw new RowError(field, `${bytes} bytes, over the ${describeLimit(limit)} limit for ${limit} fields`);
}

function limited(value: string | null, limit: FieldLimit, field: string): string | null {
  if (value !== null) checkSize(field, limit, [value]);
  return value;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'binary';
  return typeof value;
}

function requiredString(record: Record<string, unknown>, column: string, field: string): string {
  const value = optionalString(record, column, field);
  if (value === null) throw new RowError(field, 'missing');
  return value;
}

function choicesOf(record: Record<string, unknown>, column: string, field: string): string[] | null {
  let value = record[column];
  if (value === undefined || value === null || value === '') return null;
  // CSV and TSV cells carry lists as JSON text.
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new RowError(field, 'expected a list of strings (JSON array), got text that is not JSON');
    }
  }
  if (
    !Array.isArray(value) ||
    !value.every((c) => typeof c === 'string' || typeof c === 'number' || typeof c === 'bigint')
  )
    throw new RowError(field, 'expected a list of strings');
  const choices = value.map(String);
  checkSize(field, 'text', choices);
  return choices;
}

function requireText(value: unknown, field: string): asserts value is string {
  if (value === undefined || value === null || value === '') throw new RowError(field, 'missing');
  if (typeof value !== 'string') throw new RowError(field, `expected a string, got ${typeName(value)}`);
}

/**
 * An image cell: a path, data URL or base64 text, raw bytes, or the Hugging Face `{bytes, path}` struct
 * (bytes win; the path then only names the image in reports). Null when the cell is empty.
 */
function imageOf(record: Record<string, unknown>, column: string): string | ImageBytes | null {
  const value = record[column];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return { data: value, name: 'embedded image' };
  if (typeof value === 'object' && !Array.isArray(value) && ('bytes' in value || 'path' in value)) {
    const { bytes, path } = value as { bytes?: unknown; path?: unknown };
    const name = typeof path === 'string' && path !== '' ? path : null;
    if (bytes instanceof Uint8Array && bytes.byteLength > 0)
      return { data: bytes, name: name ?? 'embedded image' };
    if (name !== null) return name;
    if (bytes === undefined || bytes === null) return null;
  }
  throw new RowError(
    column,
    `expected an image (a path, base64, bytes or a {bytes, path} struct), got ${typeName(value)}`,
  );
}

/** JSON cannot hold bigint or bytes; small binary cells are kept as base64, large ones (images) are noted. */
const MAX_KEPT_BINARY = 64 * 1024;
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array)
    return value.byteLength <= MAX_KEPT_BINARY
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
      : `(${value.byteLength} bytes of binary data, not kept)`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

function messagePart(record: Record<string, unknown>, message: number, key: 'image' | 'text'): unknown {
  const messages = record.messages;
  if (!Array.isArray(messages)) return undefined;
  const content = (messages[message] as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(content)) return undefined;
  return (content[0] as Record<string, unknown> | undefined)?.[key];
}

export function contentHash(item: Omit<NewItem, 'contentHash' | 'uid' | 'metadata'>): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        item.category,
        item.source,
        item.imageSha256,
        item.caption,
        item.code,
        item.question,
        item.answer,
        item.choices,
      ]),
    )
    .digest('hex');
}

export interface MapContext {
  format: ImportFormat;
  map: FieldMap | undefined;
  images: ImageLoader;
  /** 0-based index of the row among the data rows (the official uid for STEM2Code). */
  index: number;
  /** Folder imports render code that has no image next to it. */
  render?: CodeRenderer | undefined;
}

/** A folder import's row: one `name.py`, with the same-name image and `.md` caption when they exist. */
export interface FolderRow {
  uid: string;
  code: string;
  caption: string | null;
  /** Path of the image file, or null to render the code. */
  image: string | null;
}

/** Turns one parsed row into an item, loading its image; rejects with RowError naming the field. */
export async function mapRow(record: unknown, ctx: MapContext): Promise<NewItem> {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new RowError(null, 'expected a JSON object');
  const row = record as Record<string, unknown>;
  if (ctx.format === 'folder') return mapFolderRow(record as FolderRow, ctx);
  if (ctx.format === 'stem2code') {
    const image = messagePart(row, 1, 'image');
    const code = messagePart(row, 3, 'text');
    requireText(image, STEM2CODE_IMAGE);
    requireText(code, STEM2CODE_CODE);
    limited(code, 'code', STEM2CODE_CODE);
    const category = limited(optionalString(row, 'category', 'category'), 'text', 'category');
    const imageSha256 = await loadImage(ctx, image, STEM2CODE_IMAGE);
    const base = {
      category,
      source: null,
      imageSha256,
      caption: null,
      code,
      question: null,
      answer: null,
      choices: null,
    };
    return { ...base, uid: String(ctx.index), metadata: null, contentHash: contentHash(base) };
  }

  const m = { ...DEFAULT_MAP, ...ctx.map };
  const vqa = ctx.format === 'vqa';
  const uid =
    optionalString(row, m.uid, 'uid') ??
    (vqa ? (optionalString(row, 'id', 'id') ?? optionalString(row, 'index', 'index')) : null) ??
    String(ctx.index);
  checkSize('uid', 'text', [uid]);
  const imageRef = imageOf(row, m.image);
  if (vqa && imageRef === null) throw new RowError(m.image, 'missing');
  const column = (name: string, limit: FieldLimit, required = false) =>
    limited(required ? requiredString(row, name, name) : optionalString(row, name, name), limit, name);
  // Text first: a row with an oversized field is rejected before its image is decoded.
  const fields = {
    category: column(m.category, 'text'),
    source: column(m.source, 'text'),
    caption: column(m.caption, 'caption'),
    code: column(m.code, 'code'),
    question: column(m.question, 'text', vqa),
    answer: column(m.answer, 'text', vqa),
    choices: choicesOf(row, m.choices, m.choices),
  };
  const base = { ...fields, imageSha256: imageRef === null ? null : await loadImage(ctx, imageRef, m.image) };
  if (!vqa && base.caption === null && base.code === null && base.question === null)
    throw new RowError(null, `no ${m.caption}, ${m.code} or ${m.question} field: nothing to import`);
  // Columns we do not map are kept, so nothing in the source file is lost.
  const used = new Set<string>([...Object.values(m), ...(vqa ? ['id', 'index'] : [])]);
  const rest = Object.entries(row).filter(([k]) => !used.has(k));
  return {
    ...base,
    uid,
    metadata: rest.length > 0 ? (jsonSafe(Object.fromEntries(rest)) as Record<string, unknown>) : null,
    contentHash: contentHash(base),
  };
}

async function mapFolderRow(row: FolderRow, ctx: MapContext): Promise<NewItem> {
  limited(row.code, 'code', 'code');
  limited(row.caption, 'caption', 'caption');
  let imageSha256: string;
  if (row.image !== null) imageSha256 = await loadImage(ctx, row.image, 'image');
  else if (ctx.render) imageSha256 = await ctx.render(row.code);
  else throw new RowError('image', 'no image next to the code, and no renderer to draw one');
  const base = {
    category: null,
    source: null,
    imageSha256,
    caption: row.caption,
    code: row.code,
    question: null,
    answer: null,
    choices: null,
  };
  return { ...base, uid: row.uid, metadata: null, contentHash: contentHash(base) };
}

async function loadImage(ctx: MapContext, ref: string | ImageBytes, field: string): Promise<string> {
  try {
    return await ctx.images.load(ref);
  } catch (error) {
    throw new RowError(field, (error as Error).message);
  }
}
