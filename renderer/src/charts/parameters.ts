import { format } from 'd3';

const significant = format('.3~r');

/**
 * A parameter count the way model cards say it: "120M", "0.5B", "4B", "1.5T". Counts from 0.3B up read in
 * billions (so 494M reads "0.494B" next to "4B"), smaller ones in millions or thousands.
 */
export function formatParameters(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '?';
  if (count >= 1e12) return `${significant(count / 1e12)}T`;
  if (count >= 3e8) return `${significant(count / 1e9)}B`;
  if (count >= 1e6) return `${significant(count / 1e6)}M`;
  if (count >= 1e3) return `${significant(count / 1e3)}K`;
  return significant(count);
}

/** A model name with its size when known: "Qwen2.5-VL (7B)"; the name alone when the count is missing. */
export function labelWithParameters(label: string, parameters: number | null): string {
  return parameters === null ? label : `${label} (${formatParameters(parameters)})`;
}
