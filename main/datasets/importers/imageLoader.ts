import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BlobStore } from '../../store/blobStore';
import { readImageHeader } from '../imageHeader';

export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;

const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

export interface ImageLoaderOptions {
  blobs: BlobStore;
  /** Where relative paths are looked up, in order (--images-root, then the data file's folder). */
  baseDirs: string[];
  maxBytes: number;
}

/**
 * Turns an image reference (file path, data URL or bare base64) into a validated blob. Files are cached by
 * path: a dataset that points thousands of rows at a few images reads and hashes each once.
 */
export class ImageLoader {
  private readonly byPath = new Map<string, string>();

  constructor(private readonly options: ImageLoaderOptions) {}

  /** Returns the blob's sha256; throws with a reason fit for the row's error report. */
  load(ref: string): string {
    const trimmed = ref.trim();
    if (trimmed === '') throw new Error('empty image reference');
    if (DATA_URL.test(trimmed))
      return this.store(Buffer.from(trimmed.slice(trimmed.indexOf(',') + 1), 'base64'));
    const path = this.findFile(trimmed);
    if (path === null) {
      // Long strings that are not files and look like base64 are inline images.
      if (trimmed.length >= 64 && BASE64.test(trimmed)) return this.store(Buffer.from(trimmed, 'base64'));
      throw new Error(`image file not found: ${trimmed}`);
    }
    const cached = this.byPath.get(path);
    if (cached) return cached;
    const size = statSync(path).size;
    if (size > this.options.maxBytes)
      throw new Error(`image ${trimmed} is ${size} bytes, over the ${this.options.maxBytes}-byte limit`);
    const sha = this.store(readFileSync(path), trimmed);
    this.byPath.set(path, sha);
    return sha;
  }

  private findFile(ref: string): string | null {
    if (ref.length > 4096 || ref.includes('\0')) return null;
    const candidates = isAbsolute(ref) ? [ref] : this.options.baseDirs.map((d) => resolve(d, ref));
    for (const candidate of candidates) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not there; try the next base
      }
    }
    return null;
  }

  private store(data: Buffer, name = 'inline image'): string {
    if (data.byteLength > this.options.maxBytes)
      throw new Error(`${name} is ${data.byteLength} bytes, over the ${this.options.maxBytes}-byte limit`);
    let header;
    try {
      header = readImageHeader(data);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
    return this.options.blobs.put(data, header.ext, { width: header.width, height: header.height }).sha256;
  }
}
