import type { EvalOverlay } from '../../../main/api/eval';

export type OverlayCounts = EvalOverlay['counts'];

/** One legend line under the overlay: its colour class, what it means, and how many ink pixels it covers. */
export interface OverlayLine {
  key: keyof OverlayCounts;
  /** The legend swatch's modifier (the Datasets page's overlay colours). */
  swatch: 'ref' | 'render' | 'both';
  label: string;
  /** What the colour says about the candidate (the legend's tooltip). */
  meaning: string;
  pixels: string;
  /** Share of all ink pixels (either side), one decimal. */
  share: string;
}

const LINES: Omit<OverlayLine, 'pixels' | 'share'>[] = [
  {
    key: 'referenceOnly',
    swatch: 'ref',
    label: 'only in the reference',
    meaning: 'Ink the candidate missed',
  },
  {
    key: 'candidateOnly',
    swatch: 'render',
    label: 'only in the candidate',
    meaning: 'Ink the candidate added',
  },
  { key: 'shared', swatch: 'both', label: 'in both', meaning: 'Ink both draw' },
];

const total = (c: OverlayCounts) => c.referenceOnly + c.candidateOnly + c.shared;

/** Legend lines with pixel counts and their share of the ink. */
export function overlayLines(counts: OverlayCounts): OverlayLine[] {
  const all = total(counts);
  return LINES.map((line) => ({
    ...line,
    pixels: counts[line.key].toLocaleString('en-US'),
    share: all === 0 ? '—' : `${((counts[line.key] / all) * 100).toFixed(1)}%`,
  }));
}

/**
 * The foreground IoU the counts imply: shared / all ink, 1 when neither side has ink (nothing drawn, nothing
 * missed) — the metric's own definition, so it matches the item's foreground IoU score.
 */
export function overlayIou(counts: OverlayCounts): number {
  const all = total(counts);
  return all === 0 ? 1 : counts.shared / all;
}
