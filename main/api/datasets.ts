import { z } from 'zod';
import { jobSnapshotSchema } from './jobs';
import { renderOutcomeSchema } from './render';

export const datasetKindSchema = z.enum(['icc', 'stem2code', 'vqa']);
export type DatasetKind = z.infer<typeof datasetKindSchema>;

export const importFormatSchema = z.enum(['stem2code', 'jsonl', 'csv', 'parquet', 'folder', 'vqa']);
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

/**
 * Whether an item's code still draws its stored image (the verification job, issue 4):
 * match / mismatch by SSIM + foreground IoU thresholds; render_failed when the code does not run;
 * no_code / no_image when there is nothing to compare. Items never checked have no verification.
 */
export const verificationStatusSchema = z.enum(['match', 'mismatch', 'render_failed', 'no_code', 'no_image']);
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;

export const verificationSchema = z.object({
  status: verificationStatusSchema,
  ssim: z.number().nullable(),
  /** IoU of the foreground (non-background pixels) of reference and render. */
  iou: z.number().nullable(),
  /** The renderer's status (ok, runtime_error, timeout...) when the code was run. */
  renderStatus: z.string().nullable(),
  /** The canonical render in the blob store, for side-by-side views. */
  renderSha256: z.string().nullable(),
  checkedAt: z.number(),
});
export type Verification = z.infer<typeof verificationSchema>;

/** Facet filter for verification: a status, or items never verified. */
export const verificationFilterSchema = z.union([verificationStatusSchema, z.literal('unverified')]);
export type VerificationFilter = z.infer<typeof verificationFilterSchema>;

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
  /** The last verification of this item, or null when it was never verified. */
  verification: verificationSchema.nullable(),
  createdAt: z.number(),
});
export type Item = z.infer<typeof itemSchema>;

/** One row the importer could not take: where it is and why, so the user can fix the file. */
export const rowErrorSchema = z.object({
  file: z.string(),
  /**
   * 1-based line (JSONL/TSV), line where the record ends (CSV, header = line 1), row number (Parquet), or the
   * failing line of the code (folder imports; 1 when the whole file is bad).
   */
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
    /**
     * Image paths may point anywhere on the machine. Off by default: a path must resolve (symlinks followed)
     * inside the imported file's folder or `imagesRoot`, or its row is an error.
     */
    allowOutsideRoot: z.boolean().default(false),
    map: fieldMapSchema.optional(),
    maxImageBytes: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .optional(),
    /** Images larger than this many pixels on either side are rejected (decompression bombs). */
    maxImageSide: z.number().int().min(16).max(65_536).optional(),
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

/** The filters the browser's facets set; every one is optional and they combine with AND. */
export const itemFilterSchema = z
  .object({
    datasetId: z.number().int(),
    category: z.string().optional(),
    source: z.string().optional(),
    tag: z.string().optional(),
    verification: verificationFilterSchema.optional(),
  })
  .strict();
export type ItemFilter = z.infer<typeof itemFilterSchema>;

export const facetValueSchema = z.object({ value: z.string(), count: z.number().int() });
export const facetsSchema = z.object({
  /** Items matching the filter (the grid's length). */
  total: z.number().int(),
  /** Top values by count (at most 200 each); null category/source appear as "(none)". */
  categories: z.array(facetValueSchema),
  sources: z.array(facetValueSchema),
  tags: z.array(facetValueSchema),
  verification: z.array(z.object({ value: verificationFilterSchema, count: z.number().int() })),
});
export type Facets = z.infer<typeof facetsSchema>;

/** An image for the UI as a data URL (works over every transport, WebSocket and MessagePort alike). */
export const mediaImageSchema = z.object({
  sha256: z.string(),
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export type MediaImage = z.infer<typeof mediaImageSchema>;

export const verifyParamsSchema = z
  .object({
    datasetId: z.number().int(),
    /** SSIM at or above this (and IoU at or above iouThreshold) counts as a match. */
    ssimThreshold: z.number().min(0).max(1).default(0.9),
    iouThreshold: z.number().min(0).max(1).default(0.8),
  })
  .strict();
export type VerifyParams = z.output<typeof verifyParamsSchema>;
const tagSchema = z.string().trim().min(1).max(100);

export const datasetsMethods = {
  'datasets.list': { params: z.object({}).strict(), result: z.array(datasetSchema) },
  'datasets.import': {
    // The job's own params, except that the name defaults to the file's.
    params: importJobParamsSchema.extend({ name: importJobParamsSchema.shape.name.optional() }).strict(),
    result: jobSnapshotSchema,
  },
  'datasets.errors': { params: z.object({ jobId: z.string().min(1) }).strict(), result: importReportSchema },
  'items.page': {
    params: itemFilterSchema
      .extend({
        /** The `next` of the previous page (keyset: as fast at item 900,000 as at item 1). */
        after: z.number().int().optional(),
        /** Position to start at when jumping (a scrollbar drag); slower than `after` far into a dataset. */
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    result: z.object({ items: z.array(itemSchema), next: z.number().int().nullable() }),
  },
  'items.get': { params: itemRef, result: itemSchema },
  'items.facets': { params: itemFilterSchema, result: facetsSchema },
  /** A small thumbnail (longest side ≤ 256 px, WebP) of a stored image, generated once and cached. */
  'media.thumbnail': {
    params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    result: mediaImageSchema,
  },
  /** The full stored image (for the detail view's zoom). */
  'media.image': {
    params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    result: mediaImageSchema,
  },
  /** Starts the verification job (re-render every item's code canonically and compare with its image). */
  'datasets.verify': { params: verifyParamsSchema, result: jobSnapshotSchema },
  /**
   * Re-renders one item's code now (canonical mode, at the reference image's size) and compares: the render
   * with its trace, a difference overlay, and the verdict, which is stored as the item's verification.
   */
  'items.rerender': {
    params: itemRef
      .extend({
        ssimThreshold: z.number().min(0).max(1).optional(),
        iouThreshold: z.number().min(0).max(1).optional(),
      })
      .strict(),
    result: z.object({
      render: renderOutcomeSchema,
      /** Red where only the reference has ink, blue where only the render has, grey where both do. */
      diff: mediaImageSchema.nullable(),
      verification: verificationSchema,
    }),
  },
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
