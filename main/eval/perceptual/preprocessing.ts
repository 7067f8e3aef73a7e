import sharp from 'sharp';

/** The vision towers whose image preprocessing we reproduce (each as its Hugging Face image processor does). */
export const perceptualFamilies = ['clip', 'siglip', 'dinov2'] as const;
export type PerceptualFamily = (typeof perceptualFamilies)[number];

export interface Preprocessing {
  /** Side of the square the model sees. */
  size: number;
  /** Shortest side after resizing, before the centre crop to `size`; null: resize straight to size × size. */
  resizeShortestSide: number | null;
  mean: [number, number, number];
  std: [number, number, number];
}

export const PREPROCESSING: Record<PerceptualFamily, Preprocessing> = {
  // CLIPImageProcessor: shortest side 224 (bicubic), centre crop 224, OpenAI's mean/std.
  clip: {
    size: 224,
    resizeShortestSide: 224,
    mean: [0.48145466, 0.4578275, 0.40821073],
    std: [0.26862954, 0.26130258, 0.27577711],
  },
  // SiglipImageProcessor: 224 × 224 without keeping the aspect ratio, no crop, mean/std 0.5.
  siglip: { size: 224, resizeShortestSide: null, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  // BitImageProcessor as DINOv2 ships it: shortest side 256 (bicubic), centre crop 224, ImageNet mean/std.
  dinov2: { size: 224, resizeShortestSide: 256, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
};

/**
 * Decodes an image (any format sharp reads), composites transparency over white (figures are shown on a white
 * page), resizes and crops as the family's processor does, and writes it channel-first, normalised, into `out`
 * at `offset` (3 × size × size floats).
 */
export async function preprocessInto(
  image: Uint8Array,
  preprocessing: Preprocessing,
  out: Float32Array,
  offset: number,
): Promise<void> {
  const { size, resizeShortestSide, mean, std } = preprocessing;
  let pipeline = sharp(image).flatten({ background: '#ffffff' }).removeAlpha().toColourspace('srgb');
  if (resizeShortestSide === null) {
    pipeline = pipeline.resize(size, size, { fit: 'fill', kernel: 'cubic' });
  } else {
    const meta = await sharp(image).metadata();
    const scale = resizeShortestSide / Math.min(meta.width, meta.height);
    const width = Math.max(size, Math.round(meta.width * scale));
    const height = Math.max(size, Math.round(meta.height * scale));
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'cubic' }).extract({
      left: Math.floor((width - size) / 2),
      top: Math.floor((height - size) / 2),
      width: size,
      height: size,
    });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size)
    throw new Error(
      `Preprocessing produced ${info.width}×${info.height}×${info.channels}, not ${size}×${size}×3.`,
    );
  const plane = size * size;
  for (let c = 0; c < 3; c++) {
    const base = offset + c * plane;
    const m = mean[c]!;
    const s = std[c]!;
    for (let p = 0; p < plane; p++) out[base + p] = (data[p * 3 + c]! / 255 - m) / s;
  }
}
