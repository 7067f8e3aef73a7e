import { createRandom } from './generators/random';
import type { Random } from './generators/random';
import { num, roundTo } from './generators/random';
import { NAMED_COLORS } from './generators/types';
import type { GeneratedFigure } from './generators/types';

/**
 * The VQA mini benchmark of the bundled sample: questions about the sample figures whose answers come from the
 * generator parameters that drew each figure (the same values the code passes to matplotlib), never from
 * looking at the image, so every gold answer is certain.
 */

export type VqaAnswerKind = 'choice' | 'number' | 'count' | 'text';

export interface VqaQuestion {
  kind: VqaAnswerKind;
  question: string;
  /** A choice question's gold is its option letter; the others are the value as the figure writes it. */
  answer: string;
  choices: string[] | null;
  /** Which generator parameters give the answer, so a reader can check it against the figure's code. */
  derivation: string;
}

const LETTERS = 'ABCDEFGH';

/** A multiple-choice question: the right option among distinct distractors, in a seeded order. */
function choice(
  random: Random,
  question: string,
  correct: string,
  pool: readonly string[],
  derivation: string,
  options = 4,
): VqaQuestion {
  const distractors = random.sample(
    pool.filter((p) => p !== correct),
    options - 1,
  );
  const choices = random.sample([correct, ...distractors], distractors.length + 1);
  return { kind: 'choice', question, answer: LETTERS[choices.indexOf(correct)]!, choices, derivation };
}

const number = (question: string, value: number, derivation: string): VqaQuestion => ({
  kind: 'number',
  question,
  answer: num(value),
  choices: null,
  derivation,
});
const count = (question: string, value: number, derivation: string): VqaQuestion => ({
  kind: 'count',
  question,
  answer: String(value),
  choices: null,
  derivation,
});
const text = (question: string, value: string, derivation: string): VqaQuestion => ({
  kind: 'text',
  question,
  answer: value,
  choices: null,
  derivation,
});

/** The index of the one largest value, or null when the largest is shared (the question would be ambiguous). */
function uniqueMax(values: readonly number[]): number | null {
  const max = Math.max(...values);
  return values.filter((v) => v === max).length === 1 ? values.indexOf(max) : null;
}

type Params = Record<string, unknown>;
const get = <T>(params: Params, key: string): T => params[key] as T;

function chartQuestions(p: Params, random: Random): VqaQuestion[] {
  const title = get<string>(p, 'title');
  const labels = get<string[]>(p, 'labels') ?? [];
  switch (get<string>(p, 'chart')) {
    case 'bar': {
      const values = get<number[]>(p, 'values');
      const i = random.int(0, labels.length - 1);
      const top = uniqueMax(values);
      return [
        count('How many bars are there in the chart?', labels.length, 'params.labels.length'),
        number(`What is the value of the '${labels[i]}' bar?`, values[i]!, `params.values[${i}]`),
        ...(top === null
          ? []
          : [
              choice(
                random,
                'Which category has the tallest bar?',
                labels[top]!,
                labels,
                'argmax params.values',
              ),
            ]),
        choice(random, 'What colour are the bars?', get<string>(p, 'color'), NAMED_COLORS, 'params.color'),
      ];
    }
    case 'grouped_bar': {
      const series = get<string[]>(p, 'series');
      const data = get<number[][]>(p, 'data');
      const colors = get<string[]>(p, 'colors');
      const s = random.int(0, 1);
      const i = random.int(0, labels.length - 1);
      return [
        choice(
          random,
          `Which colour are the bars of the series '${series[s]}'?`,
          colors[s]!,
          NAMED_COLORS,
          `params.colors[${s}]`,
        ),
        number(
          `What is the value of '${series[s]}' for ${labels[i]}?`,
          data[s]![i]!,
          `params.data[${s}][${i}]`,
        ),
        count('How many groups of bars are there?', labels.length, 'params.labels.length'),
      ];
    }
    case 'pie': {
      const values = get<number[]>(p, 'values');
      const shares = get<string[]>(p, 'shares');
      const i = random.int(0, labels.length - 1);
      const top = uniqueMax(values);
      return [
        count('How many wedges does the pie chart have?', labels.length, 'params.labels.length'),
        {
          kind: 'number',
          question: `What percentage of the total is the '${labels[i]}' wedge, as written on it?`,
          answer: shares[i]!,
          choices: null,
          derivation: `params.shares[${i}] (100 × values[${i}] / sum, one decimal)`,
        },
        ...(top === null
          ? []
          : [choice(random, 'Which wedge is the largest?', labels[top]!, labels, 'argmax params.values')]),
      ];
    }
    case 'histogram': {
      const counts = get<number[]>(p, 'counts');
      const edges = get<number[]>(p, 'edges');
      const bins = counts.map((_, b) => `${edges[b]}–${edges[b + 1]}`);
      const b = random.int(0, counts.length - 1);
      const top = uniqueMax(counts);
      return [
        count(
          `How many values fall in the bin from ${edges[b]} to ${edges[b + 1]}?`,
          counts[b]!,
          `params.counts[${b}]`,
        ),
        count(
          'How many values does the histogram count in all?',
          get<number[]>(p, 'data').length,
          'params.data.length',
        ),
        ...(top === null
          ? []
          : [
              choice(
                random,
                'Which bin holds the most values?',
                bins[top]!,
                bins,
                'argmax params.counts',
                bins.length,
              ),
            ]),
      ];
    }
    case 'scatter': {
      const points = get<[number, number][]>(p, 'points');
      const names = get<string[]>(p, 'names');
      const i = random.int(0, points.length - 1);
      return [
        count('How many points are plotted?', points.length, 'params.points.length'),
        number(`What is the y-coordinate of point ${names[i]}?`, points[i]![1], `params.points[${i}][1]`),
        choice(
          random,
          'What marker shape do the points use?',
          get<string>(p, 'marker'),
          ['circle', 'square', 'triangle'],
          'params.marker',
          3,
        ),
        text('What is the title of the plot?', title, 'params.title'),
      ];
    }
    default:
      return [];
  }
}

/** From the vertices, not the rounded side labels, so the sum carries no rounding of its parts. */
function perimeter(v: Record<'A' | 'B' | 'C', [number, number]>): number {
  const d = (a: [number, number], b: [number, number]) => Math.hypot(b[0] - a[0], b[1] - a[1]);
  return roundTo(d(v.A, v.B) + d(v.B, v.C) + d(v.C, v.A), 2);
}

type Curve =
  | { kind: 'polynomial'; coefficients: number[] }
  | { kind: 'sine'; amplitude: number; frequency: number; phase: number }
  | { kind: 'exponential'; scale: number; rate: number };

/** y at x = 0: the constant term, A·sin(phase), or the scale. */
function yIntercept(curve: Curve): number {
  switch (curve.kind) {
    case 'polynomial':
      return curve.coefficients.at(-1)!;
    case 'sine':
      return roundTo(curve.amplitude * Math.sin(curve.phase), 2);
    case 'exponential':
      return curve.scale;
  }
}

function functionPlotQuestions(p: Params, random: Random): VqaQuestion[] {
  const curves = get<Curve[]>(p, 'curves');
  const colors = get<string[]>(p, 'colors');
  const styles = get<string[]>(p, 'lineStyles');
  const i = random.int(0, curves.length - 1);
  const ordinal = ['first', 'second', 'third'][i]!;
  return [
    count('How many curves are drawn?', curves.length, 'params.curves.length'),
    number(
      `What is the y-intercept (the value of y at x = 0) of the ${colors[i]} curve?`,
      yIntercept(curves[i]!),
      `params.curves[${i}] at x = 0`,
    ),
    choice(
      random,
      `Which colour is the ${ordinal} curve in the legend?`,
      colors[i]!,
      NAMED_COLORS,
      `params.colors[${i}]`,
    ),
    choice(
      random,
      `Which line style does the ${colors[i]} curve use?`,
      styles[i]!,
      ['solid', 'dashed', 'dash-dot', 'dotted'],
      `params.lineStyles[${i}]`,
    ),
    text('In which corner of the plot is the legend?', get<string>(p, 'legend'), 'params.legend'),
    number('What is the largest x shown on the x-axis?', get<number>(p, 'xMax'), 'params.xMax'),
  ];
}

function geometryQuestions(p: Params, random: Random): VqaQuestion[] {
  switch (get<string>(p, 'shape')) {
    case 'triangle': {
      const sides = get<Record<'AB' | 'BC' | 'CA', number>>(p, 'sides');
      return [
        number(
          'What is the interior angle at vertex A, in degrees?',
          get<number>(p, 'angleA'),
          'params.angleA',
        ),
        number('What is the length of side AB?', sides.AB, 'params.sides.AB'),
        choice(
          random,
          'What colour is the outline of the triangle?',
          get<string>(p, 'edge'),
          NAMED_COLORS,
          'params.edge',
        ),
        number(
          'What is the perimeter of triangle ABC (to two decimals)?',
          perimeter(get<Record<'A' | 'B' | 'C', [number, number]>>(p, 'vertices')),
          'params.vertices (|AB| + |BC| + |CA|)',
        ),
      ];
    }
    case 'circle': {
      const radius = get<number>(p, 'radius');
      const center = get<[number, number]>(p, 'center');
      return [
        count('What is the radius of the circle?', radius, 'params.radius'),
        number('What is the x-coordinate of the centre O?', center[0], 'params.center[0]'),
        number(
          'What is the circumference of the circle (to two decimals)?',
          roundTo(2 * Math.PI * radius, 2),
          '2π × params.radius',
        ),
        choice(
          random,
          'Which colour is the radius drawn from O?',
          get<string>(p, 'radiusColor'),
          NAMED_COLORS,
          'params.radiusColor',
        ),
      ];
    }
    case 'regular_polygon': {
      const sides = get<number>(p, 'sides');
      return [
        count('How many sides does the polygon have?', sides, 'params.sides'),
        number(
          'What is the interior angle of the polygon, in degrees?',
          get<number>(p, 'interiorAngle'),
          'params.interiorAngle',
        ),
        number('What is the side length of the polygon?', get<number>(p, 'sideLength'), 'params.sideLength'),
        text(
          'What is the label of the last vertex, going counter-clockwise from A?',
          'ABCDEFGH'[sides - 1]!,
          'params.sides (vertices A… in order)',
        ),
      ];
    }
    default:
      return [];
  }
}

function physicsQuestions(p: Params, random: Random): VqaQuestion[] {
  switch (get<string>(p, 'diagram')) {
    case 'free_body': {
      const colors = get<string[]>(p, 'colors');
      return [
        number('What is the weight W of the block, in newtons?', get<number>(p, 'weight'), 'params.weight'),
        count(
          'At what angle above the horizontal does the applied force F act, in degrees?',
          get<number>(p, 'angle'),
          'params.angle',
        ),
        count('What is the mass of the block, in kg?', get<number>(p, 'mass'), 'params.mass'),
        choice(random, 'What colour is the friction arrow?', colors[3]!, NAMED_COLORS, 'params.colors[3]'),
      ];
    }
    case 'inclined_plane':
      return [
        count('What is the angle of the incline, in degrees?', get<number>(p, 'angle'), 'params.angle'),
        number(
          'What is the component of the weight along the slope (mg sin θ), in newtons?',
          get<number>(p, 'along'),
          'params.along',
        ),
        count('What is the mass of the block, in kg?', get<number>(p, 'mass'), 'params.mass'),
      ];
    case 'circuit': {
      const resistances = get<number[]>(p, 'resistances');
      return [
        count('How many resistors are in the circuit?', resistances.length, 'params.resistances.length'),
        count(
          'What is the total resistance of the circuit, in ohms?',
          get<number>(p, 'totalResistance'),
          'params.totalResistance',
        ),
        number('What current flows in the circuit, in amperes?', get<number>(p, 'current'), 'params.current'),
        count('What is the voltage of the source, in volts?', get<number>(p, 'voltage'), 'params.voltage'),
      ];
    }
    case 'projectile':
      return [
        number('What is the range of the projectile, in metres?', get<number>(p, 'range'), 'params.range'),
        number(
          'What is the maximum height reached, in metres?',
          get<number>(p, 'maxHeight'),
          'params.maxHeight',
        ),
        count(
          'At what angle is the projectile launched, in degrees?',
          get<number>(p, 'angle'),
          'params.angle',
        ),
        text('What does the legend call the curve?', 'trajectory', "the code's label='trajectory'"),
      ];
    default:
      return [];
  }
}

const BUILDERS = {
  chart: chartQuestions,
  function_plot: functionPlotQuestions,
  geometry: geometryQuestions,
  physics: physicsQuestions,
} as const;

/** One to three questions for a figure, drawn from the questions its parameters answer. */
export function figureQuestions(figure: GeneratedFigure, random: Random): VqaQuestion[] {
  const candidates = BUILDERS[figure.category](figure.params, random);
  if (candidates.length === 0) throw new Error(`${figure.uid}: no question for its parameters`);
  return random.sample(candidates, Math.min(candidates.length, random.int(1, 3)));
}

/** The sample's questions for every figure, in figure order; the same seed gives the same file. */
export function sampleVqaQuestions(
  figures: readonly GeneratedFigure[],
  seed: number,
): { figure: GeneratedFigure; questions: VqaQuestion[] }[] {
  const random = createRandom(seed);
  return figures.map((figure) => ({ figure, questions: figureQuestions(figure, random) }));
}
