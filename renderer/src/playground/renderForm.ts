import type { RenderMode, RenderOptionsInput } from '../../../main/api/render';

/** The toolbar's fields, kept as typed (strings) so a half-typed number is not lost. */
export interface RenderFormValues {
  mode: RenderMode;
  width: string;
  height: string;
  dpi: string;
  timeoutSeconds: string;
  useCache: boolean;
}

/** The engine's defaults (renderOptionsSchema): canonical 800×600 at 100 dpi, 30 s. */
export const defaultRenderForm: RenderFormValues = {
  mode: 'canonical',
  width: '800',
  height: '600',
  dpi: '100',
  timeoutSeconds: '30',
  useCache: true,
};

/** The bounds renderOptionsSchema enforces (a unit test keeps the two in step). */
export const renderFormLimits = {
  width: { min: 16, max: 8192 },
  height: { min: 16, max: 8192 },
  dpi: { min: 10, max: 1200 },
  timeoutSeconds: { min: 0.1, max: 3600 },
} as const;

export type RenderFormReading =
  | { options: RenderOptionsInput; useCache: boolean; problem: null }
  | { options: null; useCache: boolean; problem: string };

function wholeNumber(text: string, { min, max }: { min: number; max: number }): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/**
 * The options to send, or what is wrong with the fields. Official mode sizes the figure by the protocol
 * (the code's own figure size, saved at 300 dpi), so it sends no size: a size it ignores would only split
 * the render cache.
 */
export function readRenderForm(values: RenderFormValues): RenderFormReading {
  const { useCache } = values;
  const seconds = Number(values.timeoutSeconds);
  const { min, max } = renderFormLimits.timeoutSeconds;
  if (values.timeoutSeconds.trim() === '' || !Number.isFinite(seconds) || seconds < min || seconds > max) {
    return { options: null, useCache, problem: `Timeout must be from ${min} to ${max} seconds.` };
  }
  const timeoutMs = Math.round(seconds * 1000);
  if (values.mode === 'official')
    return { options: { mode: 'official', timeoutMs }, useCache, problem: null };

  const width = wholeNumber(values.width, renderFormLimits.width);
  const height = wholeNumber(values.height, renderFormLimits.height);
  const dpi = wholeNumber(values.dpi, renderFormLimits.dpi);
  if (width === null || height === null) {
    const { min: lo, max: hi } = renderFormLimits.width;
    return { options: null, useCache, problem: `Width and height must be whole pixels from ${lo} to ${hi}.` };
  }
  if (dpi === null) {
    const { min: lo, max: hi } = renderFormLimits.dpi;
    return { options: null, useCache, problem: `dpi must be a whole number from ${lo} to ${hi}.` };
  }
  return { options: { mode: 'canonical', width, height, dpi, timeoutMs }, useCache, problem: null };
}
