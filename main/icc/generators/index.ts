import { generateChart } from './chart';
import { generateFunctionPlot } from './functionPlot';
import { generateGeometry } from './geometry';
import { generatePhysics } from './physics';
import { createRandom } from './random';
import { FIGURE_CATEGORIES } from './types';
import type { FigureCategory, FigureGenerator, GeneratedFigure } from './types';

export { FIGURE_CATEGORIES } from './types';
export type { FigureCategory, GeneratedFigure } from './types';

const GENERATORS: Record<FigureCategory, FigureGenerator> = {
  function_plot: generateFunctionPlot,
  geometry: generateGeometry,
  chart: generateChart,
  physics: generatePhysics,
};

/**
 * `countPerCategory` figures of every category, in category order. Each category draws from its own stream
 * (seed mixed with the category's position), so adding items to one category never changes another's.
 */
export function generateSample(seed: number, countPerCategory: number): GeneratedFigure[] {
  return FIGURE_CATEGORIES.flatMap((category, position) => {
    const random = createRandom(Math.imul(seed ^ 0x9e3779b9, 31) + position * 0x85ebca6b);
    return Array.from({ length: countPerCategory }, (_, i) =>
      GENERATORS[category](random, `${category}-${seed}-${String(i).padStart(3, '0')}`),
    );
  });
}
