import type { Random } from './random';

export const FIGURE_CATEGORIES = ['function_plot', 'geometry', 'chart', 'physics'] as const;
export type FigureCategory = (typeof FIGURE_CATEGORIES)[number];

/** One generated STEM figure: the program that draws it and a caption derived from the same parameters. */
export interface GeneratedFigure {
  uid: string;
  category: FigureCategory;
  /** A complete matplotlib program (no savefig/show: the renderer saves the current figure). */
  code: string;
  /** Factual description built from `params`, never from the rendered image, so it cannot hallucinate. */
  caption: string;
  params: Record<string, unknown>;
}

export type FigureGenerator = (random: Random, uid: string) => GeneratedFigure;

/** Colours a reader can name: the caption uses the same word the code passes to matplotlib. */
export const NAMED_COLORS = [
  'blue',
  'red',
  'green',
  'orange',
  'purple',
  'brown',
  'teal',
  'magenta',
  'navy',
  'olive',
] as const;
export type NamedColor = (typeof NAMED_COLORS)[number];

type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [T, ...R]>;

/** `count` different colours as a fixed-length tuple, so each one destructures without an undefined check. */
export function distinctColors<N extends number>(random: Random, count: N): Tuple<NamedColor, N> {
  return random.sample(NAMED_COLORS, count) as Tuple<NamedColor, N>;
}
