import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { BlobStore } from '../../store/blobStore';
import { decodeImage, DEFAULT_MAX_IMAGE_SIDE, ImageRejected } from '../imageDecoder';
import type { ImageLimits } from '../imageDecoder';
import type { ThumbnailRepository } from '../thumbnailRepository';

export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export { DEFAULT_MAX_IMAGE_SIDE };

const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
/** Beyond this many remembered images the cache starts over (the thumbnails table still answers "seen"). */
const CACHE_LIMIT = 100_000;

export interface ImageLoaderOptions {
  blobs: BlobStore;
  thumbnails: ThumbnailRepository;
  /**
   * Where relative paths are looked up, in order (--images-root, then the data file's folder). Image files must
   * lie inside one of them, symlinks resolved, so a dataset cannot pull in any other image on the machine.
   */
  baseDirs: string[];
  /** Takes image files from anywhere (`--allow-outside-root`): for datasets whose paths point elsewhere. */
  allowOutsideRoot: boolean;
  limits: ImageLimits;
}

/** Embedded image bytes (a Parquet `{bytes, path}` struct); `name` is what error reports call it. */
export interface ImageBytes {
  data: Uint8Array;
  name: string;
}

/**
 * Turns an image reference (file path, data URL, bare base64, or embedded bytes) into a validated blob with a
 * thumbnail. Each distinct file or content is decoded once per job: the cache holds promises, so rows that
 * share an image (even within one concurrent batch) wait for the same decode, and failures repeat for free.
 */
export class ImageLoader {
  private readonly cache = new Map<string, Promise<string>>();
  private roots: Promise<string[]> | null = null;

  constructor(private readonly options: ImageLoaderOptions) {}

  /** Resolves to the blob's sha256; rejects with an Error whose message is fit for the row's error report. */
  load(ref: string | ImageBytes): Promise<string> {
    if (typeof ref !== 'string') return this.storeBytes(ref.data, ref.name);
    const trimmed = ref.trim();
    if (trimmed === '') return Promise.reject(new Error('empty image reference'));
    if (DATA_URL.test(trimmed))
      return this.storeBytes(Buffer.from(trimmed.slice(trimmed.indexOf(',') + 1), 'base64'), 'inline image');
    return this.cached(`path:${trimmed}`, () => this.loadPath(trimmed));
  }

  /** An image already in the blob store (a render): validated and given a thumbnail like an imported one. */
  loadStored(sha256: string): Promise<string> {
    return this.cached(`sha:${sha256}`, async () => {
      if (!this.options.thumbnails.has(sha256))
        await this.decodeAndStore(this.options.blobs.read(sha256), 'rendered image');
      return sha256;
    });
  }

  private cached(key: string, load: () => Promise<string>): Promise<string> {
    let pending = this.cache.get(key);
    if (!pending) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      pending = load();
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async loadPath(ref: string): Promise<string> {
    const path = await this.findFile(ref);
    if (path === null) {
      // Long strings that are not files and look like base64 are inline images.
      if (ref.length >= 64 && BASE64.test(ref))
        return this.storeBytes(Buffer.from(ref, 'base64'), 'inline image');
      throw new Error(`image file not found: ${ref}`);
    }
    const { size } = await stat(path);
    const { maxBytes } = this.options.limits;
    if (size > maxBytes) throw new Error(`${ref}: ${size} bytes, over the ${maxBytes}-byte limit`);
    return this.storeBytes(await readFile(path), ref);
  }

  private storeBytes(data: Uint8Array, name: string): Promise<string> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    return this.cached(`sha:${sha256}`, async () => {
      // A thumbnail exists only for an image that decoded before (an earlier import, or this one before a crash).
      if (!this.options.thumbnails.has(sha256)) await this.decodeAndStore(data, name);
      return sha256;
    });
  }

  private async decodeAndStore(data: Uint8Array, name: string): Promise<void> {
    let decoded;
    try {
      decoded = await decodeImage(data, this.options.limits);
    } catch (error) {
      if (error instanceof ImageRejected) throw new Error(`${name}: ${error.message}`, { cause: error });
      throw error;
    }
    // Blob and thumbnail are content-addressed and idempotent, so they need not share the batch's transaction:
    // after a crash they are at worst an unreferenced image, found again (not decoded again) on resume.
    const blob = this.options.blobs.put(data, decoded.ext, { width: decoded.width, height: decoded.height });
    this.options.thumbnails.put(blob.sha256, decoded.thumbnail);
  }

  /**
   * The real path (symlinks resolved) of the file a reference names, or null when there is none; throws when
   * the only files it names lie outside the base folders.
   */
  private async findFile(ref: string): Promise<string | null> {
    if (ref.length > 4096 || ref.includes('\0')) return null;
    const candidates = isAbsolute(ref) ? [ref] : this.options.baseDirs.map((d) => resolve(d, ref));
    let outside: string | null = null;
    for (const candidate of candidates) {
      let real: string;
      try {
        real = await realpath(candidate);
        if (!(await stat(real)).isFile()) continue;
      } catch {
        continue; // not there; try the next base
      }
      if (this.options.allowOutsideRoot || (await this.insideBaseDirs(real))) return real;
      outside ??= real;
    }
    if (outside !== null)
      throw new Error(
        `${ref} is ${outside}, outside ${this.options.baseDirs.join(' and ')}; allow images from anywhere with --allow-outside-root`,
      );
    return null;
  }

  private async insideBaseDirs(real: string): Promise<boolean> {
    // Compared by real paths, so a symlinked data folder still holds its own images.
    this.roots ??= Promise.all(this.options.baseDirs.map((d) => realpath(d).catch(() => resolve(d))));
    return (await this.roots).some((root) => {
      const rel = relative(root, real);
      return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    });
  }
}
