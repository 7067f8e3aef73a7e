import sharp from 'sharp';
import type { RgbaImage } from './pixels';

/** Canonical render sizes the renderer accepts (renderOptionsSchema). */
const MIN_SIDE = 16;
const MAX_SIDE = 8192;
/** matplotlib's default, for images that do not say their resolution. */
const DEFAULT_DPI = 100;

export interface RenderSize {
  width: number;
  height: number;
  dpi: number;
}

export interface ImagePair {
  reference: RgbaImage;
  render: RgbaImage;
  /** The render was scaled to the reference's size (it could not be rendered at that size). */
  resized: boolean;
}

export async function decodeRgba(png: Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/**
 * The canonical render size that reproduces a reference image: its pixel size (clamped to what the renderer
 * accepts) and its dpi. The dpi matters as much as the size: fonts and line widths are in points, so the same
 * figure at 640×480 looks different at dpi 80 and 100. matplotlib writes the dpi into the PNG (pHYs).
 */
export async function referenceRenderSize(png: Uint8Array): Promise<RenderSize> {
  const meta = await sharp(png).metadata();
  const clamp = (v: number) => Math.min(MAX_SIDE, Math.max(MIN_SIDE, v));
  const dpi =
    meta.density && meta.density >= 10 && meta.density <= 1200 ? Math.round(meta.density) : DEFAULT_DPI;
  return { width: clamp(meta.width), height: clamp(meta.height), dpi };
}

/**
 * Decodes a reference and a render to RGBA of one size. The render is normally made at the reference's size;
 * when it still differs (a reference beyond the renderer's size limits), the render is resized to match.
 */
export async function loadImagePair(referencePng: Uint8Array, renderPng: Uint8Array): Promise<ImagePair> {
  const reference = await decodeRgba(referencePng);
  const meta = await sharp(renderPng).metadata();
  if (meta.width === reference.width && meta.height === reference.height)
    return { reference, render: await decodeRgba(renderPng), resized: false };
  const { data, info } = await sharp(renderPng)
    .ensureAlpha()
    .resize(reference.width, reference.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    reference,
    render: {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    },
    resized: true,
  };
}

/** Encodes raw pixels as a PNG (the diff overlay for the UI). */
export function encodePng(image: RgbaImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png()
    .toBuffer();
}
