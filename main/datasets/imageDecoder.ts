import sharp from 'sharp';
import { readImageHeader } from './imageHeader';
import type { ImageHeader } from './imageHeader';

export const DEFAULT_MAX_IMAGE_SIDE = 16_384;
/** Thumbnails fit in this square: enough for a grid cell on a high-DPI screen, small enough to keep in SQLite. */
export const THUMBNAIL_SIDE = 256;
export const THUMBNAIL_MIME = 'image/webp';

export interface ImageLimits {
  maxBytes: number;
  maxSide: number;
}

export interface Thumbnail {
  width: number;
  height: number;
  mime: string;
  data: Buffer;
}

export interface DecodedImage {
  ext: ImageHeader['ext'];
  width: number;
  height: number;
  thumbnail: Thumbnail;
}

/** An image that cannot be imported; the message is the row's error reason (without the image's name). */
export class ImageRejected extends Error {}

/**
 * Validates an image by decoding it fully, once, and makes its thumbnail from the same decode. The header is
 * read first (no native code) so oversized images are refused before a decoder allocates their pixels.
 */
export async function decodeImage(data: Uint8Array, limits: ImageLimits): Promise<DecodedImage> {
  if (data.byteLength > limits.maxBytes)
    throw new ImageRejected(`${data.byteLength} bytes, over the ${limits.maxBytes}-byte limit`);
  let header: ImageHeader;
  try {
    header = readImageHeader(data);
  } catch (error) {
    throw new ImageRejected((error as Error).message);
  }
  if (header.width > limits.maxSide || header.height > limits.maxSide)
    throw new ImageRejected(
      `${header.width}×${header.height} px, over the ${limits.maxSide}-px limit per side`,
    );
  const thumbnail = await makeThumbnail(data, limits.maxSide, header.format);
  return { ext: header.ext, width: header.width, height: header.height, thumbnail };
}

/** Decodes every pixel (that is the validation) and encodes a WebP no larger than THUMBNAIL_SIDE per side. */
export async function makeThumbnail(
  data: Uint8Array,
  maxSide = DEFAULT_MAX_IMAGE_SIDE,
  format = 'image',
): Promise<Thumbnail> {
  try {
    // failOn 'error': real-world files often carry harmless warnings (odd ICC profiles); broken pixel data is an error.
    const { data: webp, info } = await sharp(data, {
      failOn: 'error',
      limitInputPixels: maxSide * maxSide,
      animated: false,
    })
      .rotate()
      .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, mime: THUMBNAIL_MIME, data: webp };
  } catch (error) {
    // libvips keeps one error buffer for all threads, so its text ("libpng read error", or "Unknown error" when
    // a concurrent decode cleared it) is not reliable; the reason is ours, the library's message the cause.
    throw new ImageRejected(`corrupt ${format.toUpperCase()}: the pixel data cannot be decoded`, {
      cause: error,
    });
  }
}
