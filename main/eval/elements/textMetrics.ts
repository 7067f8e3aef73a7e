import type { Trace } from '../../api/trace';
import { f1Of, multisetMatches } from './f1';
import type { F1 } from './f1';
import { visibleTexts } from './traceWalk';

/**
 * Normalises a visible string so equivalent renderings compare equal: NFKC (full-width, ligatures,
 * superscripts), Unicode minus and dashes to "-", mathtext leftovers (`$`, braces, `\,`-style spacing)
 * dropped, whitespace collapsed, case folded.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2212\u2012\u2013\u2014]/g, '-')
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/[${}]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A tick label as a number (Unicode minus, thousands separators, a trailing % allowed), else null. */
export function tickNumber(label: string): number | null {
  const cleaned = normalizeText(label)
    .replace(/,(?=\d{3}\b)/g, '')
    .replace(/%$/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** Text F1 over the multiset of visible strings other than tick labels. */
export function textF1(generated: Trace, reference: Trace): F1 {
  const strings = (t: Trace) =>
    visibleTexts(t)
      .filter((x) => !x.isTickLabel)
      .map((x) => normalizeText(x.shown))
      .filter((s) => s !== '');
  const g = strings(generated);
  const r = strings(reference);
  return f1Of(multisetMatches(g, r), g.length, r.length);
}

/**
 * Tick-label F1: numeric labels match within a relative tolerance (0.5 % of the larger magnitude, so "0.50"
 * matches "0.5" and "1,000" matches "1000"); other labels match as normalised strings.
 */
export function tickLabelF1(generated: Trace, reference: Trace, relativeTolerance = 0.005): F1 {
  const labels = (t: Trace) =>
    visibleTexts(t)
      .filter((x) => x.isTickLabel)
      .map((x) => x.shown)
      .filter((s) => normalizeText(s) !== '');
  const g = labels(generated);
  const r = labels(reference);
  const rNumbers = r.map(tickNumber);
  const used = new Array<boolean>(r.length).fill(false);
  let matched = 0;
  for (const label of g) {
    const n = tickNumber(label);
    const text = normalizeText(label);
    const at = r.findIndex((other, i) => {
      if (used[i]) return false;
      const m = rNumbers[i];
      if (n !== null && m !== null && m !== undefined)
        return Math.abs(n - m) <= relativeTolerance * Math.max(Math.abs(n), Math.abs(m)) || n === m;
      return normalizeText(other) === text;
    });
    if (at !== -1) {
      used[at] = true;
      matched++;
    }
  }
  return f1Of(matched, g.length, r.length);
}
