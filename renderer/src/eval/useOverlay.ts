import { useEffect, useState } from 'react';
import { diffOverlay } from './diffOverlay';
import type { OverlayResult, Rgba } from './diffOverlay';

async function pixelsOf(dataUrl: string): Promise<Rgba> {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width, height };
}

function toDataUrl(image: Rgba): string {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas
    .getContext('2d')!
    .putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  return canvas.toDataURL('image/png');
}

export type OverlayState =
  | { phase: 'none' }
  | { phase: 'computing' }
  | { phase: 'done'; dataUrl: string; counts: OverlayResult['counts'] }
  | { phase: 'failed'; message: string };

/** The difference overlay of two images (data URLs), drawn in the browser with a canvas. */
export function useOverlay(reference: string | null, candidate: string | null): OverlayState {
  const [state, setState] = useState<{ key: string; value: OverlayState } | null>(null);
  const key = `${reference?.length ?? 0}:${reference?.slice(-32)}|${candidate?.length ?? 0}:${candidate?.slice(-32)}`;
  useEffect(() => {
    if (!reference || !candidate) return;
    let live = true;
    Promise.all([pixelsOf(reference), pixelsOf(candidate)])
      .then(([a, b]) => {
        const result = diffOverlay(a, b);
        if (live)
          setState({
            key,
            value: { phase: 'done', dataUrl: toDataUrl(result.image), counts: result.counts },
          });
      })
      .catch(
        (e: unknown) =>
          live && setState({ key, value: { phase: 'failed', message: String((e as Error).message ?? e) } }),
      );
    return () => {
      live = false;
    };
  }, [reference, candidate, key]);
  if (!reference || !candidate) return { phase: 'none' };
  return state?.key === key ? state.value : { phase: 'computing' };
}
