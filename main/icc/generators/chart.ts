import { listing, pyList, pyStrings } from './random';
import type { Random } from './random';
import { distinctColors, NAMED_COLORS } from './types';
import type { FigureGenerator, GeneratedFigure } from './types';

/** Category labels with the name of what they are, so titles and axis labels fit the bars they name. */
const LABEL_SETS = [
  { name: 'Day', labels: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] },
  { name: 'Fruit', labels: ['Apples', 'Pears', 'Plums', 'Grapes', 'Figs', 'Limes'] },
  { name: 'Region', labels: ['North', 'South', 'East', 'West', 'Central', 'Coast'] },
  { name: 'Quarter', labels: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6'] },
] as const;

function program(imports: string, body: string): string {
  return `${imports}

fig, ax = plt.subplots(figsize=(8, 6))
${body}
`;
}

const PLT = 'import matplotlib.pyplot as plt';
const PLT_NP = 'import numpy as np\nimport matplotlib.pyplot as plt';

function bar(random: Random, uid: string): GeneratedFigure {
  const count = random.int(4, 6);
  const set = random.pick(LABEL_SETS);
  const labels = set.labels.slice(0, count);
  const values = labels.map(() => random.int(5, 50));
  const color = random.pick(NAMED_COLORS);
  const yLabel = random.pick(['Count', 'Units sold', 'Visitors']);
  const title = `${yLabel} by ${set.name.toLowerCase()}`;
  const body = `labels = ${pyStrings(labels)}
values = ${pyList(values)}
bars = ax.bar(labels, values, color='${color}', edgecolor='black')
for rect, value in zip(bars, values):
    ax.text(rect.get_x() + rect.get_width() / 2, value + 0.8, str(value), ha='center', va='bottom', fontsize=11)
ax.set_ylim(0, ${Math.max(...values) + 8})
ax.set_xlabel('${set.name}')
ax.set_ylabel('${yLabel}')
ax.set_title('${title}')`;
  return {
    uid,
    category: 'chart',
    code: program(PLT, body),
    caption:
      `A vertical bar chart titled '${title}' with ${count} ${color} bars outlined in black: ` +
      `${listing(labels.map((l, i) => `${l} = ${values[i]}`))}. Each bar has its value written above it. ` +
      `The x-axis is labelled '${set.name}', the y-axis '${yLabel}', running from 0 to ${Math.max(...values) + 8}.`,
    params: { chart: 'bar', labels, values, color, title, yLabel },
  };
}

function groupedBar(random: Random, uid: string): GeneratedFigure {
  const count = random.int(3, 5);
  const labels = random.pick(LABEL_SETS).labels.slice(0, count);
  const series = random.pick([
    ['2023', '2024'],
    ['Group A', 'Group B'],
    ['Before', 'After'],
  ] as const);
  const colors = distinctColors(random, 2);
  const data = series.map(() => labels.map(() => random.int(3, 40)));
  const title = random.pick(['Comparison by category', 'Two series side by side', 'Grouped results']);
  const bars = series.map(
    (
      name,
      s,
    ) => `bars = ax.bar(x ${s === 0 ? '-' : '+'} width / 2, ${pyList(data[s] ?? [])}, width, label='${name}', color='${colors[s]}')
ax.bar_label(bars, padding=2, fontsize=10)`,
  );
  const body = `x = np.arange(${count})
width = 0.38
${bars.join('\n')}
ax.set_xticks(x, ${pyStrings(labels)})
ax.set_ylabel('Value')
ax.set_title('${title}')
ax.legend(loc='upper left')
ax.set_ylim(0, ${Math.max(...data.flat()) + 8})`;
  return {
    uid,
    category: 'chart',
    code: program(PLT_NP, body),
    caption:
      `A grouped bar chart titled '${title}' with ${count} groups (${listing(labels)}) of two bars each. ` +
      series
        .map(
          (name, s) =>
            `The ${s === 0 ? 'left' : 'right'} ${colors[s]} bars are '${name}': ${listing(labels.map((l, i) => `${l} = ${data[s]?.[i]}`))}.`,
        )
        .join(' ') +
      ` Every bar carries its value on top; the y-axis is labelled 'Value' and a legend in the upper left names the two series.`,
    params: { chart: 'grouped_bar', labels, series, data, colors, title },
  };
}

/**
 * Wedge values none of whose percentages sits exactly halfway between two one-decimal numbers: there
 * Python's '%1.1f' rounds half to even and JavaScript's toFixed rounds up, and the caption would disagree.
 */
function pieValues(random: Random, count: number): number[] {
  for (;;) {
    const values = Array.from({ length: count }, () => random.int(5, 40));
    const total = values.reduce((a, b) => a + b, 0);
    const tie = values.some((v) => (2000 * v) % total === 0 && ((2000 * v) / total) % 2 === 1);
    if (!tie) return values;
  }
}

function pie(random: Random, uid: string): GeneratedFigure {
  const count = random.int(3, 5);
  const labels = random.pick(LABEL_SETS).labels.slice(0, count);
  const values = pieValues(random, count);
  const colors = random.sample(NAMED_COLORS, count);
  const total = values.reduce((a, b) => a + b, 0);
  // Written as matplotlib's autopct '%1.1f' writes them (always one decimal), so the caption quotes the figure.
  const shares = values.map((v) => ((100 * v) / total).toFixed(1));
  const title = random.pick(['Share by category', 'Composition', 'Distribution of the total']);
  const body = `values = ${pyList(values)}
ax.pie(values, labels=${pyStrings(labels)}, colors=${pyStrings(colors)}, autopct='%1.1f%%', startangle=90, counterclock=False, wedgeprops={'edgecolor': 'white'})
ax.set_aspect('equal')
ax.set_title('${title}')`;
  return {
    uid,
    category: 'chart',
    code: program(PLT, body),
    caption:
      `A pie chart titled '${title}' with ${count} wedges separated by white edges, starting at the top and going clockwise: ` +
      `${listing(labels.map((l, i) => `${l} (${colors[i]}, value ${values[i]}, '${shares[i]}%')`))}. ` +
      `Each wedge shows its percentage with one decimal and its label outside; the values sum to ${total}.`,
    params: { chart: 'pie', labels, values, colors, shares, title },
  };
}

function histogram(random: Random, uid: string): GeneratedFigure {
  const size = random.int(24, 40);
  const data = Array.from({ length: size }, () => random.int(0, 49));
  const edges = [0, 10, 20, 30, 40, 50];
  // numpy puts a value on an inner edge into the bin to its right; data stay below the last edge.
  const counts = edges.slice(0, -1).map((lo) => data.filter((v) => v >= lo && v < lo + 10).length);
  const color = random.pick(NAMED_COLORS);
  const title = random.pick(['Histogram of scores', 'Distribution of measurements', 'Frequency by range']);
  const body = `data = ${pyList(data)}
counts, edges, patches = ax.hist(data, bins=${pyList(edges)}, color='${color}', edgecolor='black')
ax.bar_label(patches, fontsize=11)
ax.set_xlabel('Score')
ax.set_ylabel('Frequency')
ax.set_title('${title}')`;
  return {
    uid,
    category: 'chart',
    code: program(PLT, body),
    caption:
      `A histogram titled '${title}' of ${size} integer values in ${color} bars with black edges, using the bins 0–10, 10–20, 20–30, 30–40 and 40–50. ` +
      `The bin counts are ${listing(counts.map((c, i) => `${c} for ${edges[i]}–${edges[i + 1]}`))}, each written above its bar. ` +
      `The x-axis is labelled 'Score' and the y-axis 'Frequency'.`,
    params: { chart: 'histogram', data, edges, counts, color, title },
  };
}

function scatter(random: Random, uid: string): GeneratedFigure {
  const count = random.int(5, 8);
  const points = Array.from(
    { length: count },
    () => [random.float(0, 10, 1), random.float(0, 10, 1)] as const,
  );
  const names = points.map((_, i) => `P${i + 1}`);
  const color = random.pick(NAMED_COLORS);
  const marker = random.pick([
    { code: 'o', name: 'circle' },
    { code: 's', name: 'square' },
    { code: '^', name: 'triangle' },
  ] as const);
  const title = random.pick(['Labelled points', 'Scatter of samples', 'Measured positions']);
  const body = `xs = ${pyList(points.map((p) => p[0]))}
ys = ${pyList(points.map((p) => p[1]))}
names = ${pyStrings(names)}
ax.scatter(xs, ys, color='${color}', marker='${marker.code}', s=70)
for x, y, name in zip(xs, ys, names):
    ax.annotate(f'{name} ({x}, {y})', (x, y), textcoords='offset points', xytext=(6, 6), fontsize=10)
ax.set_xlim(-1, 12)
ax.set_ylim(-1, 11)
ax.set_xlabel('x')
ax.set_ylabel('y')
ax.set_title('${title}')
ax.grid(True, alpha=0.4)`;
  return {
    uid,
    category: 'chart',
    code: program(PLT, body),
    caption:
      `A scatter plot titled '${title}' with ${count} ${color} ${marker.name} markers, each annotated with its name and coordinates: ` +
      `${listing(points.map((p, i) => `${names[i]} at (${p[0]}, ${p[1]})`))}. ` +
      `The x-axis 'x' spans -1 to 12, the y-axis 'y' spans -1 to 11, with a light grid.`,
    params: { chart: 'scatter', points, names, color, marker: marker.name, title },
  };
}

/** A bar, grouped bar, pie, histogram or scatter chart with every value written on the figure. */
export const generateChart: FigureGenerator = (random, uid) =>
  random.pick([bar, groupedBar, pie, histogram, scatter])(random, uid);
