import { createHash } from 'node:crypto';
import type { DatasetKind, FieldMap, ImportFormat } from '../../api/datasets';
import type { NewItem } from '../itemRepository';
import type { ImageLoader } from './imageLoader';

/** A row the importer rejects; `field` names the offending field, or null when the whole row is bad. */
export class RowError extends Error {
  constructor(
    readonly field: string | null,
    reason: string,
  ) {
    super(reason);
  }
}

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
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new RowError(field, `expected a string, got ${Array.isArray(value) ? 'array' : typeof value}`);
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
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'string' || typeof c === 'number'))
    throw new RowError(field, 'expected a list of strings');
  return value.map(String);
}

function requireText(value: unknown, field: string): asserts value is string {
  if (value === undefined || value === null || value === '') throw new RowError(field, 'missing');
  if (typeof value !== 'string')
    throw new RowError(field, `expected a string, got ${Array.isArray(value) ? 'array' : typeof value}`);
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
}

/** Turns one parsed row into an item, loading its image; throws RowError naming the field. */
export function mapRow(record: unknown, ctx: MapContext): NewItem {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new RowError(null, 'expected a JSON object');
  const row = record as Record<string, unknown>;
  if (ctx.format === 'stem2code') {
    const image = messagePart(row, 1, 'image');
    const code = messagePart(row, 3, 'text');
    requireText(image, STEM2CODE_IMAGE);
    requireText(code, STEM2CODE_CODE);
    const imageSha256 = loadImage(ctx, image, STEM2CODE_IMAGE);
    const category = optionalString(row, 'category', 'category');
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
  const imageRef = vqa ? requiredString(row, m.image, m.image) : optionalString(row, m.image, m.image);
  const base = {
    category: optionalString(row, m.category, m.category),
    source: optionalString(row, m.source, m.source),
    caption: optionalString(row, m.caption, m.caption),
    code: optionalString(row, m.code, m.code),
    question: vqa ? requiredString(row, m.question, m.question) : optionalString(row, m.question, m.question),
    answer: vqa ? requiredString(row, m.answer, m.answer) : optionalString(row, m.answer, m.answer),
    choices: choicesOf(row, m.choices, m.choices),
    imageSha256: imageRef === null ? null : loadImage(ctx, imageRef, m.image),
  };
  if (!vqa && base.caption === null && base.code === null && base.question === null)
    throw new RowError(null, `no ${m.caption}, ${m.code} or ${m.question} field: nothing to import`);
  // Columns we do not map are kept, so nothing in the source file is lost.
  const used = new Set<string>([...Object.values(m), ...(vqa ? ['id', 'index'] : [])]);
  const rest = Object.entries(row).filter(([k]) => !used.has(k));
  return {
    ...base,
    uid,
    metadata: rest.length > 0 ? Object.fromEntries(rest) : null,
    contentHash: contentHash(base),
  };
}

function loadImage(ctx: MapContext, ref: string, field: string): string {
  try {
    return ctx.images.load(ref);
  } catch (error) {
    throw new RowError(field, (error as Error).message);
  }
}
