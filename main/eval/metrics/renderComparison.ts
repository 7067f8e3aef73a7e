import { diffOverlay } from './diffOverlay';
import { DEFAULT_FOREGROUND_TOLERANCE, foregroundMask, maskIou } from './foregroundIou';
import { loadImagePair } from './imagePair';
import { toGrey } from './pixels';
import type { RgbaImage } from './pixels';
import { ssim } from './ssim';

/** How closely a re-render reproduces a dataset image: what dataset verification decides on. */
export interface RenderComparison {
  /** SSIM on grey levels. */
  ssim: number;
  /** Foreground IoU at the default tolerance. */
  iou: number;
  /** Ink only in the reference, only in the render, and in both, for the detail view. */
  diff: RgbaImage;
}

/** Compares a render with the image it should reproduce (brought to the image's size first). */
export async function compareRenders(
  referencePng: Uint8Array,
  renderPng: Uint8Array,
): Promise<RenderComparison> {
  const pair = await loadImagePair(referencePng, renderPng);
  const score = ssim(toGrey(pair.reference), toGrey(pair.render));
  const referenceInk = foregroundMask(pair.reference, DEFAULT_FOREGROUND_TOLERANCE);
  const renderInk = foregroundMask(pair.render, DEFAULT_FOREGROUND_TOLERANCE);
  return { ssim: score, iou: maskIou(referenceInk, renderInk), diff: diffOverlay(referenceInk, renderInk) };
}
