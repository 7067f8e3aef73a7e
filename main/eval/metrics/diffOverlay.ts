import { assertSameSize } from './pixels';
import type { RgbaImage } from './pixels';
import { DEFAULT_FOREGROUND_TOLERANCE, foregroundMask, maskIou } from './foregroundIou';
import type { ForegroundMask } from './foregroundIou';

/** Overlay colours: saturated enough to read at thumbnail size, distinct for colour-blind readers (red/blue). */
export const OVERLAY_COLOURS = {
  referenceOnly: [220, 38, 38],
  renderOnly: [37, 99, 235],
  both: [140, 140, 140],
  neither: [255, 255, 255],
} as const;

/**
 * Where reference and render disagree: red where only the reference has ink (the render misses it), blue
 * where only the render has ink (it adds something), grey where both draw, white elsewhere.
 */
export function diffOverlay(reference: ForegroundMask, render: ForegroundMask): RgbaImage {
  assertSameSize(reference, render);
  const data = new Uint8Array(reference.data.length * 4);
  for (let p = 0; p < reference.data.length; p++) {
    const ref = reference.data[p]!;
    const ren = render.data[p]!;
    const colour = ref
      ? ren
        ? OVERLAY_COLOURS.both
        : OVERLAY_COLOURS.referenceOnly
      : ren
        ? OVERLAY_COLOURS.renderOnly
        : OVERLAY_COLOURS.neither;
    data[p * 4] = colour[0];
    data[p * 4 + 1] = colour[1];
    data[p * 4 + 2] = colour[2];
    data[p * 4 + 3] = 255;
  }
  return { width: reference.width, height: reference.height, data };
}

/** Ink pixels by where they are: only in the reference, only in the render, in both. */
export interface InkCounts {
  referenceOnly: number;
  renderOnly: number;
  both: number;
}

export function inkCounts(reference: ForegroundMask, render: ForegroundMask): InkCounts {
  assertSameSize(reference, render);
  const counts = { referenceOnly: 0, renderOnly: 0, both: 0 };
  for (let p = 0; p < reference.data.length; p++) {
    const ref = reference.data[p]!;
    const ren = render.data[p]!;
    if (ref && ren) counts.both++;
    else if (ref) counts.referenceOnly++;
    else if (ren) counts.renderOnly++;
  }
  return counts;
}

export interface InkDifference {
  overlay: RgbaImage;
  counts: InkCounts;
  /** The foreground IoU these masks give: both / (referenceOnly + renderOnly + both), 1 when both are empty. */
  iou: number;
}

/**
 * The overlay, counts and foreground IoU of two images of one size, from the very masks the foreground IoU
 * metric builds (its background estimate and ΔE76 rule): what the overlay shows is what the metric scored.
 */
export function inkDifference(
  reference: RgbaImage,
  render: RgbaImage,
  tolerance = DEFAULT_FOREGROUND_TOLERANCE,
): InkDifference {
  const referenceInk = foregroundMask(reference, tolerance);
  const renderInk = foregroundMask(render, tolerance);
  return {
    overlay: diffOverlay(referenceInk, renderInk),
    counts: inkCounts(referenceInk, renderInk),
    iou: maskIou(referenceInk, renderInk),
  };
}
