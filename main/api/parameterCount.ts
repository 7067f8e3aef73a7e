/**
 * Model sizes as people and papers write them, for every place that reads one (the scale CLI's --params,
 * external-results CSVs, the Scaling page's size fields). Pure, so the renderer shares it.
 */

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/**
 * A parameter count: "7B", "1.5b", "494M", "1.2 T", "7e9" or "7000000000" (spaces and thousands separators
 * allowed). null when the text is not a count of at least one parameter; '' is not a count either.
 */
export function parseParameterCount(text: string): number | null {
  const compact = text.trim().replace(/[\s,_]/g, '');
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmbgt])?$/i.exec(compact);
  if (!match) return null;
  const value = Number(match[1]) * (match[2] ? SUFFIX[match[2].toLowerCase()]! : 1);
  return Number.isFinite(value) && value >= 1 ? value : null;
}

export const PARAMETER_HINT = 'a count such as 7B, 1.5B, 494M or 7e9';
