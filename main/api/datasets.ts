import { z } from 'zod';
import { jobSnapshotSchema } from './jobs';

export const datasetKindSchema = z.enum(['icc', 'stem2code', 'vqa']);
export type DatasetKind = z.infer<typeof datasetKindSchema>;

export const importFormatSchema = z.enum(['stem2code', 'jsonl', 'csv', 'vqa']);
export type ImportFormat = z.infer<typeof importFormatSchema>;

/** Our item fields a generic JSONL/CSV column can be mapped onto (`--map image=img_path,code=gt_code`). */
export const mappableFields = [
  'uid',
  'image',
  'caption',
  'code',
  'question',
  'answer',
  'choices',
  'category',
  'source',
] as const;
export const fieldMapSchema = z.partialRecord(z.enum(mappableFields), z.string().min(1));
export type FieldMap = z.infer<typeof fieldMapSchema>;

export const datasetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: datasetKindSchema,
  source: z.string(),
  createdAt: z.number(),
  itemCount: z.number().int(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const itemSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  uid: z.string(),
  category: z.string().nullable(),
  source: z.string().nullable(),
  imageSha256: z.string().nullable(),
  /** Absolute path of the image in the blob store, for offline clients (the UI, `export`). */
  imagePath: z.string().nullable(),
  caption: z.string().nullable(),
  code: z.string().nullable(),
  question: z.string().nullable(),
  answer: z.string().nullable(),
  choices: z.array(z.string()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  createdAt: z.number(),
});
export type Item = z.infer<typeof itemSchema>;

/** One row the importer could not take: where it is and why, so the user can fix the file. */
export const rowErrorSchema = z.object({
  file: z.string(),
  /** 1-based line (JSONL/TSV) or record (CSV, counting the header as line 1). */
  line: z.number().int(),
  field: z.string().nullable(),
  reason: z.string(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

export const importJobParamsSchema = z
  .object({
    path: z.string().min(1),
    format: importFormatSchema,
    name: z.string().min(1).max(200),
    imagesRoot: z.string().min(1).optional(),
    map: fieldMapSchema.optional(),
    maxImageBytes: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .optional(),
  })
  .strict();
export type ImportJobParams = z.infer<typeof importJobParamsSchema>;

export const importReportSchema = z.object({
  jobId: z.string(),
  imported: z.number().int(),
  /** Rows whose content was already in the dataset (deduplicated). */
  skipped: z.number().int(),
  errors: z.array(rowErrorSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

const itemRef = z.object({ id: z.number().int() }).strict();
const tagSchema = z.string().trim().min(1).max(100);

export const datasetsMethods = {
  'datasets.list': { params: z.object({}).strict(), result: z.array(datasetSchema) },
  'datasets.import': {
    params: z
      .object({
        path: z.string().min(1),
        format: importFormatSchema,
        name: z.string().min(1).max(200).optional(),
        imagesRoot: z.string().min(1).optional(),
        map: fieldMapSchema.optional(),
      })
      .strict(),
    result: jobSnapshotSchema,
  },
  'datasets.errors': { params: z.object({ jobId: z.string().min(1) }).strict(), result: importReportSchema },
  'items.page': {
    params: z
      .object({
        datasetId: z.number().int(),
        category: z.string().optional(),
        tag: z.string().optional(),
        /** The `next` of the previous page. */
        after: z.number().int().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    result: z.object({ items: z.array(itemSchema), next: z.number().int().nullable() }),
  },
  'items.get': { params: itemRef, result: itemSchema },
  'items.search': {
    params: z
      .object({
        datasetId: z.number().int(),
        query: z.string().min(1).max(500),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    result: z.array(
      z.object({
        item: itemSchema,
        /** Matched text with hits between « and » (plain text, not HTML). */
        snippet: z.string(),
        rank: z.number(),
      }),
    ),
  },
  'items.tag': { params: itemRef.extend({ tag: tagSchema }).strict(), result: itemSchema },
  'items.untag': { params: itemRef.extend({ tag: tagSchema }).strict(), result: itemSchema },
  'items.setNote': {
    params: itemRef.extend({ note: z.string().max(100_000).nullable() }).strict(),
    result: itemSchema,
  },
};
