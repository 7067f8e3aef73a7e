const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The most text an imported item may hold per field, in UTF-8 bytes; a larger field is its row's error. Each is
 * far above what real datasets hold and far below what the UI can lay out (a 100 MB caption froze its tab).
 */
export const FIELD_LIMITS = {
  /** Plotting programs are a few KB; 256 KiB still fits scripts with inline data tables. */
  code: 256 * KiB,
  /** Captions are paragraphs; 1 MiB allows long ones with tables, and still renders as Markdown + LaTeX. */
  caption: 1 * MiB,
  /** uid, category, source, question and answer each, and the choices together: sentences, not documents. */
  text: 64 * KiB,
} as const;

export type FieldLimit = keyof typeof FIELD_LIMITS;

/** "1 MiB", "64 KiB": the limit as a person reads it in a row error. */
export function describeLimit(limit: FieldLimit): string {
  const bytes = FIELD_LIMITS[limit];
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}
