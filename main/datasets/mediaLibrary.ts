import { readFile } from 'node:fs/promises';
import { ApiError } from '../api/errors';
import type { MediaImage } from '../api/datasets';
import type { BlobStore } from '../store/blobStore';
import type { SqliteDatabase } from '../store/sqlite';
import { ImageRejected, makeThumbnail } from './imageDecoder';
import { readImageHeader } from './imageHeader';
import { ThumbnailRepository } from './thumbnailRepository';

/** A data URL is base64 (4/3 the size) and crosses every transport in one message: beyond this, refuse. */
export const MAX_MEDIA_IMAGE_BYTES = 32 * 1024 * 1024;

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

interface BlobRow {
  ext: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

function dataUrl(mime: string, data: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}`;
}

/** Stored images for the UI: thumbnails (made once, kept in SQLite) and full images, as data URLs. */
export class MediaLibrary {
  private readonly thumbnails: ThumbnailRepository;
  /** Two grid cells asking for the same missing thumbnail share one decode. */
  private readonly making = new Map<string, Promise<MediaImage>>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly blobs: BlobStore,
  ) {
    this.thumbnails = new ThumbnailRepository(db);
  }

  async thumbnail(sha256: string): Promise<MediaImage> {
    const stored = this.thumbnails.get(sha256);
    if (stored)
      return {
        sha256,
        dataUrl: dataUrl(stored.mime, stored.data),
        width: stored.width,
        height: stored.height,
      };
    let pending = this.making.get(sha256);
    if (!pending) {
      // Images that never went through an import (renders, diffs) get their thumbnail on first view.
      pending = this.generate(sha256).finally(() => this.making.delete(sha256));
      this.making.set(sha256, pending);
    }
    return pending;
  }

  async image(sha256: string): Promise<MediaImage> {
    const blob = this.blob(sha256);
    if (blob.bytes > MAX_MEDIA_IMAGE_BYTES)
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `Image ${sha256} is ${blob.bytes} bytes, over the ${MAX_MEDIA_IMAGE_BYTES}-byte limit for viewing in the app.`,
        hint: `Open the file directly: ${this.blobs.pathFor(sha256, blob.ext)}`,
      });
    const data = await this.readBlob(sha256, blob);
    let { width, height } = blob;
    if (width === null || height === null) ({ width, height } = readImageHeader(data));
    return { sha256, dataUrl: dataUrl(MIME[blob.ext] ?? 'application/octet-stream', data), width, height };
  }

  private async generate(sha256: string): Promise<MediaImage> {
    const blob = this.blob(sha256);
    const data = await this.readBlob(sha256, blob);
    let thumbnail;
    try {
      thumbnail = await makeThumbnail(data, undefined, blob.ext);
    } catch (error) {
      if (!(error instanceof ImageRejected)) throw error;
      throw new ApiError({ code: 'INTERNAL', message: `Image ${sha256}: ${error.message}.` });
    }
    this.thumbnails.put(sha256, thumbnail);
    return {
      sha256,
      dataUrl: dataUrl(thumbnail.mime, thumbnail.data),
      width: thumbnail.width,
      height: thumbnail.height,
    };
  }

  private blob(sha256: string): BlobRow {
    const row = this.db
      .prepare('SELECT ext, bytes, width, height FROM blobs WHERE sha256 = ?')
      .get(sha256) as BlobRow | undefined;
    if (!row) throw new ApiError({ code: 'NOT_FOUND', message: `No image ${sha256} in the store.` });
    return row;
  }

  private async readBlob(sha256: string, blob: BlobRow): Promise<Buffer> {
    const path = this.blobs.pathFor(sha256, blob.ext);
    try {
      return await readFile(path);
    } catch (error) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `Image ${sha256} is recorded but its file is missing: ${path} (${(error as Error).message}).`,
        hint: 'The data directory was changed outside the app; re-import the dataset to restore it.',
      });
    }
  }
}
