/** The detail view's image transform: a scale and a translation (pixels of the viewport). */
export interface Zoom {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 16;

/** The image fitted inside the viewport and centred (never enlarged past 1:1). */
export function fitZoom(
  image: { width: number; height: number },
  viewport: { width: number; height: number },
): Zoom {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { scale: 1, x: 0, y: 0 };
  }
  const scale = Math.min(1, viewport.width / image.width, viewport.height / image.height);
  return {
    scale,
    x: (viewport.width - image.width * scale) / 2,
    y: (viewport.height - image.height * scale) / 2,
  };
}

/** Zooms by `factor` keeping the image point under `at` (viewport pixels) where it is. */
export function zoomAt(zoom: Zoom, factor: number, at: { x: number; y: number }): Zoom {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, zoom.scale * factor));
  const applied = scale / zoom.scale;
  return { scale, x: at.x - (at.x - zoom.x) * applied, y: at.y - (at.y - zoom.y) * applied };
}

export function panBy(zoom: Zoom, dx: number, dy: number): Zoom {
  return { ...zoom, x: zoom.x + dx, y: zoom.y + dy };
}

/** A wheel notch (deltaY ≈ ±100) zooms by about 20%; trackpads send smaller deltas and zoom smoothly. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0018);
}
