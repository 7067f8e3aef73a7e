/** Bounds of a whole-number field. */
export interface IntegerLimits {
  min: number;
  max: number;
}

/** A whole number within limits, or null; the text is what the person typed. */
export function readInteger(text: string, { min, max }: IntegerLimits): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : null;
}

/** A finite number within limits, or null. */
export function readDecimal(text: string, { min, max }: IntegerLimits): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= min && value <= max ? value : null;
}

/** 100000 → "100 000", for messages that quote limits. */
export function formatLimit(value: number): string {
  return value.toLocaleString('en-US').replaceAll(',', ' ');
}
