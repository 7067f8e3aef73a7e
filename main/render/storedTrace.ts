import { ApiError } from '../api/errors';
import { traceSchema } from '../api/trace';
import type { Trace } from '../api/trace';
import type { BlobStore } from '../store/blobStore';

/**
 * A trace the render cache or the eval pipeline stored as a JSON blob, validated against the trace schema.
 * NOT_FOUND when the store has no such blob or the blob is not a trace (an image's sha, say).
 */
export function readTrace(blobs: BlobStore, sha256: string): Trace {
  const notFound = (why: string) =>
    new ApiError({
      code: 'NOT_FOUND',
      message: `No stored trace ${sha256.slice(0, 12)}…: ${why}.`,
      hint: 'Use the traceSha256 of a canonical render from eval.item, or render the code with trace: true.',
    });
  if (!blobs.has(sha256)) throw notFound('nothing is stored under this sha256');
  let value: unknown;
  try {
    value = JSON.parse(blobs.read(sha256).toString('utf8'));
  } catch {
    throw notFound('the stored file is not JSON');
  }
  const parsed = traceSchema.safeParse(value);
  if (!parsed.success) throw notFound('the stored JSON is not a trace of this schema version');
  return parsed.data;
}
