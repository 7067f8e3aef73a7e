import { listing, num } from './random';
import type { Random } from './random';
import { NAMED_COLORS } from './types';
import type { FigureGenerator } from './types';

type Curve =
  | { kind: 'polynomial'; coefficients: number[] }
  | { kind: 'sine'; amplitude: number; frequency: number; phase: number }
  | { kind: 'exponential'; scale: number; rate: number };

const LINE_STYLES = [
  { code: '-', name: 'solid' },
  { code: '--', name: 'dashed' },
  { code: '-.', name: 'dash-dot' },
  { code: ':', name: 'dotted' },
] as const;
const LEGEND_CORNERS = ['upper left', 'upper right', 'lower left', 'lower right'] as const;
const TITLES = ['Graphs of functions', 'Function comparison', 'Plot of y = f(x)', 'Curves on a common axis'];

function randomCurve(random: Random): Curve {
  switch (random.pick(['polynomial', 'sine', 'exponential'] as const)) {
    case 'polynomial': {
      const degree = random.int(1, 3);
      // A non-zero leading coefficient keeps the stated degree true.
      const leading = random.pick([-2, -1, 1, 2, 0.5, -0.5]);
      const rest = Array.from({ length: degree }, () => random.int(-4, 4));
      return { kind: 'polynomial', coefficients: [leading, ...rest] };
    }
    case 'sine':
      return {
        kind: 'sine',
        amplitude: random.int(1, 4),
        frequency: random.pick([0.5, 1, 1.5, 2, 3]),
        phase: random.pick([0, 0.5, 1, 1.5]),
      };
    case 'exponential':
      return {
        kind: 'exponential',
        scale: random.pick([0.5, 1, 1.5, 2]),
        rate: random.pick([-0.8, -0.5, 0.3, 0.5]),
      };
  }
}

/** Terms from the highest power down, zero terms left out, as [coefficient, power]. */
function polynomialTerms(coefficients: readonly number[]): [number, number][] {
  const degree = coefficients.length - 1;
  return coefficients.map((c, i): [number, number] => [c, degree - i]).filter(([c]) => c !== 0);
}

function pythonExpression(curve: Curve): string {
  switch (curve.kind) {
    case 'polynomial':
      return polynomialTerms(curve.coefficients)
        .map(([c, p]) => (p === 0 ? `(${num(c)})` : p === 1 ? `(${num(c)}) * x` : `(${num(c)}) * x**${p}`))
        .join(' + ');
    case 'sine':
      return `${num(curve.amplitude)} * np.sin(${num(curve.frequency)} * x + ${num(curve.phase)})`;
    case 'exponential':
      return `${num(curve.scale)} * np.exp(${num(curve.rate)} * x)`;
  }
}

/** The formula as a reader writes it (also the mathtext legend label, between dollar signs). */
function formula(curve: Curve): string {
  switch (curve.kind) {
    case 'polynomial': {
      const text = polynomialTerms(curve.coefficients)
        .map(([c, p], i) => {
          const sign = c < 0 ? '-' : i === 0 ? '' : '+';
          const magnitude = Math.abs(c);
          const factor = magnitude === 1 && p > 0 ? '' : num(magnitude);
          const power = p === 0 ? '' : p === 1 ? 'x' : `x^${p}`;
          return `${i === 0 ? sign : ` ${sign} `}${factor}${power}`;
        })
        .join('');
      return `y = ${text}`;
    }
    case 'sine': {
      const amplitude = curve.amplitude === 1 ? '' : num(curve.amplitude);
      const frequency = curve.frequency === 1 ? '' : num(curve.frequency);
      const phase = curve.phase === 0 ? '' : ` + ${num(curve.phase)}`;
      return `y = ${amplitude}\\sin(${frequency}x${phase})`;
    }
    case 'exponential':
      return `y = ${curve.scale === 1 ? '' : num(curve.scale)}e^{${num(curve.rate)}x}`;
  }
}

function describeCurve(curve: Curve): string {
  switch (curve.kind) {
    case 'polynomial':
      return `a degree-${curve.coefficients.length - 1} polynomial with coefficients ${curve.coefficients.map((c) => num(c)).join(', ')} (highest power first)`;
    case 'sine':
      return `a sine wave with amplitude ${num(curve.amplitude)}, angular frequency ${num(curve.frequency)} and phase ${num(curve.phase)}`;
    case 'exponential':
      return `an exponential with scale ${num(curve.scale)} and rate ${num(curve.rate)}`;
  }
}

/** One to three curves of polynomial, sine or exponential functions on a shared, labelled, gridded axis. */
export const generateFunctionPlot: FigureGenerator = (random, uid) => {
  const count = random.int(1, 3);
  const curves = Array.from({ length: count }, () => randomCurve(random));
  const colors = random.sample(NAMED_COLORS, count);
  const styles = random.sample(LINE_STYLES, count);
  const xMax = random.pick([2, 3, 4, 5]);
  const title = random.pick(TITLES);
  const legend = random.pick(LEGEND_CORNERS);
  const lineWidth = random.pick([1.5, 2, 2.5]);

  const plots = curves.map(
    (curve, i) =>
      `ax.plot(x, ${pythonExpression(curve)}, color='${colors[i]}', linestyle='${styles[i]?.code}', linewidth=${num(lineWidth)}, label=r'$${formula(curve)}$')`,
  );
  const code = `import numpy as np
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 6))
x = np.linspace(${-xMax}, ${xMax}, 400)
${plots.join('\n')}
ax.axhline(0, color='black', linewidth=0.8)
ax.axvline(0, color='black', linewidth=0.8)
ax.set_xlim(${-xMax}, ${xMax})
ax.set_xlabel('x')
ax.set_ylabel('y')
ax.set_title('${title}')
ax.grid(True, linestyle=':', alpha=0.7)
ax.legend(loc='${legend}')
`;
  const curveSentences = curves.map(
    (curve, i) =>
      `a ${styles[i]?.name} ${colors[i]} line (width ${num(lineWidth)}) for $${formula(curve)}$, ${describeCurve(curve)}`,
  );
  const caption =
    `A function plot titled '${title}' with ${count} curve${count > 1 ? 's' : ''} drawn for x from ${-xMax} to ${xMax}: ` +
    `${listing(curveSentences)}. ` +
    `Black horizontal and vertical lines mark the axes y = 0 and x = 0. The x-axis is labelled 'x' and the y-axis 'y', ` +
    `a dotted grid covers the plot, and a legend in the ${legend} corner names each curve by its formula.`;
  return {
    uid,
    category: 'function_plot',
    code,
    caption,
    params: { curves, colors, lineStyles: styles.map((s) => s.name), xMax, title, legend, lineWidth },
  };
};
