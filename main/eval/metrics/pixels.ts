/** Decoded pixels, row-major, no padding: what every metric here works on (no I/O, runs anywhere). */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes: R, G, B, A. */
  data: Uint8Array;
}

export interface GreyImage {
  width: number;
  height: number;
  /** width × height grey levels, 0–255. */
  data: Uint8Array;
}

export function assertSameSize(a: { width: number; height: number }, b: { width: number; height: number }) {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(
      `The images differ in size (${a.width}×${a.height} vs ${b.width}×${b.height}); bring them to one size first (imagePair).`,
    );
}

/** Composites a pixel over white: transparent parts of a figure read as the white page they are shown on. */
export function overWhite(data: Uint8Array, offset: number): [number, number, number] {
  const a = data[offset + 3]! / 255;
  const white = 255 * (1 - a);
  return [data[offset]! * a + white, data[offset + 1]! * a + white, data[offset + 2]! * a + white];
}

/**
 * Grey levels by ITU-R 601-2 luma (what PIL's convert('L') computes, as most published SSIM scripts load
 * images), after compositing over white, rounded to 0–255.
 */
export function toGrey(image: RgbaImage): GreyImage {
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const [r, g, b] = overWhite(image.data, p * 4);
    out[p] = Math.round((r * 299 + g * 587 + b * 114) / 1000);
  }
  return { width: image.width, height: image.height, data: out };
}
