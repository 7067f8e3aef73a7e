import { listing, num, roundTo } from './random';
import type { Random } from './random';
import { distinctColors } from './types';
import type { FigureGenerator, GeneratedFigure } from './types';

type Point = [number, number];

const degrees = (radians: number): number => (radians * 180) / Math.PI;
const distance = (a: Point, b: Point): number => Math.hypot(b[0] - a[0], b[1] - a[1]);
const pyPoint = (p: Point): string => `(${num(p[0])}, ${num(p[1])})`;
const point = (p: Point): string => `(${num(p[0], 2)}, ${num(p[1], 2)})`;

/** The counter-clockwise arc from ray vertex→from to ray vertex→to, in degrees as matplotlib's Arc takes them. */
function angleArc(vertex: Point, from: Point, to: Point): { theta1: number; theta2: number; size: number } {
  let theta1 = degrees(Math.atan2(from[1] - vertex[1], from[0] - vertex[0]));
  let theta2 = degrees(Math.atan2(to[1] - vertex[1], to[0] - vertex[0]));
  if (theta2 < theta1) theta2 += 360;
  // The interior angle is the short way round; swap the rays when counter-clockwise goes the long way.
  if (theta2 - theta1 > 180) [theta1, theta2] = [theta2 - 360, theta1];
  return { theta1: roundTo(theta1, 2), theta2: roundTo(theta2, 2), size: roundTo(theta2 - theta1, 1) };
}

/** Axis limits with a margin, shared by every shape so labels outside the outline stay visible. */
function frame(points: readonly Point[], margin: number): string {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return `ax.set_xlim(${num(Math.min(...xs) - margin, 2)}, ${num(Math.max(...xs) + margin, 2)})
ax.set_ylim(${num(Math.min(...ys) - margin, 2)}, ${num(Math.max(...ys) + margin, 2)})`;
}

function program(imports: string, body: string, title: string, limits: string): string {
  return `import matplotlib.pyplot as plt
${imports}

fig, ax = plt.subplots(figsize=(8, 6))
${body}
${limits}
ax.set_aspect('equal')
ax.axis('off')
ax.set_title('${title}')
`;
}

function triangle(random: Random, uid: string): GeneratedFigure {
  const a: Point = [random.int(0, 2), random.int(0, 1)];
  const b: Point = [random.int(6, 9), random.int(0, 2)];
  const c: Point = [random.int(2, 7), random.int(4, 7)];
  const [edge, fill] = distinctColors(random, 2);
  const arc = angleArc(a, b, c);
  const sides = {
    AB: roundTo(distance(a, b), 2),
    BC: roundTo(distance(b, c), 2),
    CA: roundTo(distance(c, a), 2),
  };
  const title = `Triangle ABC with the angle at A`;
  const labels = (
    [
      ['A', a, -14, -14],
      ['B', b, 8, -14],
      ['C', c, 0, 10],
    ] as const
  ).map(
    ([name, p, dx, dy]) =>
      `ax.annotate('${name}', ${pyPoint(p)}, textcoords='offset points', xytext=(${dx}, ${dy}), fontsize=14, fontweight='bold')`,
  );
  const mid: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const body = `ax.add_patch(Polygon([${[a, b, c].map(pyPoint).join(', ')}], closed=True, facecolor='${fill}', alpha=0.25, edgecolor='${edge}', linewidth=2))
${labels.join('\n')}
ax.add_patch(Arc(${pyPoint(a)}, 1.6, 1.6, theta1=${num(arc.theta1)}, theta2=${num(arc.theta2)}, color='black', linewidth=1.5))
ax.annotate('${num(arc.size)}°', ${pyPoint(a)}, textcoords='offset points', xytext=(34, 8), fontsize=11)
ax.text(${num(mid[0])}, ${num(mid[1] - 0.45)}, 'AB = ${num(sides.AB)}', ha='center', fontsize=11, color='${edge}')`;
  return {
    uid,
    category: 'geometry',
    code: program('from matplotlib.patches import Arc, Polygon', body, title, frame([a, b, c], 1.2)),
    caption:
      `A geometry figure titled '${title}': triangle ABC with vertices A${point(a)}, B${point(b)} and C${point(c)}, ` +
      `outlined in ${edge} (line width 2) and filled with translucent ${fill}. The vertices carry bold labels A, B and C. ` +
      `A black arc at A marks the interior angle BAC, labelled ${num(arc.size)}°. Side AB (length ${num(sides.AB)}) is labelled 'AB = ${num(sides.AB)}' in ${edge} below it; ` +
      `the other sides measure BC = ${num(sides.BC)} and CA = ${num(sides.CA)}. The aspect ratio is equal and the axes are hidden.`,
    params: { shape: 'triangle', vertices: { A: a, B: b, C: c }, angleA: arc.size, sides, edge, fill, title },
  };
}

function circle(random: Random, uid: string): GeneratedFigure {
  const center: Point = [random.int(-3, 3), random.int(-3, 3)];
  const radius = random.int(2, 6);
  const angle = random.pick([30, 45, 60, 120, 135, 210, 300]);
  const [edge, radiusColor] = distinctColors(random, 2);
  const end: Point = [
    roundTo(center[0] + radius * Math.cos((angle * Math.PI) / 180), 3),
    roundTo(center[1] + radius * Math.sin((angle * Math.PI) / 180), 3),
  ];
  const chord = random.pick([true, false]);
  const left: Point = [center[0] - radius, center[1]];
  const right: Point = [center[0] + radius, center[1]];
  const title = `Circle with centre O and radius ${radius}`;
  const body = [
    `ax.add_patch(Circle(${pyPoint(center)}, ${radius}, fill=False, edgecolor='${edge}', linewidth=2))`,
    `ax.plot([${num(center[0])}], [${num(center[1])}], 'ko', markersize=5)`,
    `ax.annotate('O', ${pyPoint(center)}, textcoords='offset points', xytext=(-14, -14), fontsize=14)`,
    `ax.plot([${num(center[0])}, ${num(end[0])}], [${num(center[1])}, ${num(end[1])}], color='${radiusColor}', linewidth=2)`,
    `ax.text(${num((center[0] + end[0]) / 2)}, ${num((center[1] + end[1]) / 2 + 0.3)}, 'r = ${radius}', fontsize=13, color='${radiusColor}')`,
    ...(chord
      ? [
          `ax.plot([${num(left[0])}, ${num(right[0])}], [${num(left[1])}, ${num(right[1])}], color='gray', linestyle='--', linewidth=1.5)`,
        ]
      : []),
  ].join('\n');
  return {
    uid,
    category: 'geometry',
    code: program(
      'from matplotlib.patches import Circle',
      body,
      title,
      frame([left, right, [center[0], center[1] - radius], [center[0], center[1] + radius]], 1),
    ),
    caption:
      `A geometry figure titled '${title}': an unfilled ${edge} circle (line width 2) centred at O${point(center)} with radius ${radius}. ` +
      `A black dot marks the centre, labelled 'O'. A ${radiusColor} radius runs from O at ${angle}° to the point ${point(end)} on the circle and is labelled 'r = ${radius}'. ` +
      (chord
        ? `A gray dashed horizontal diameter of length ${2 * radius} joins ${point(left)} and ${point(right)}. `
        : '') +
      `The aspect ratio is equal and the axes are hidden.`,
    params: {
      shape: 'circle',
      center,
      radius,
      radiusAngle: angle,
      radiusEnd: end,
      diameter: chord,
      edge,
      radiusColor,
      title,
    },
  };
}

function regularPolygon(random: Random, uid: string): GeneratedFigure {
  const sides = random.int(5, 8);
  const radius = random.int(3, 5);
  const rotation = random.pick([0, 15, 30, 90]);
  const [edge, fill] = distinctColors(random, 2);
  const names = 'ABCDEFGH'.slice(0, sides).split('');
  const vertices = names.map((_, k): Point => {
    const t = ((rotation + (360 * k) / sides) * Math.PI) / 180;
    return [roundTo(radius * Math.cos(t), 3), roundTo(radius * Math.sin(t), 3)];
  });
  const sideLength = roundTo(2 * radius * Math.sin(Math.PI / sides), 2);
  const interior = roundTo(((sides - 2) * 180) / sides, 1);
  const title = `Regular polygon with ${sides} sides`;
  const labels = vertices.map((v, k) => {
    // Labels sit just outside each vertex, along the ray from the centre.
    const out: Point = [v[0] * 1.12, v[1] * 1.12];
    return `ax.text(${num(out[0], 3)}, ${num(out[1], 3)}, '${names[k]}', ha='center', va='center', fontsize=13)`;
  });
  const body = `ax.add_patch(Polygon([${vertices.map(pyPoint).join(', ')}], closed=True, facecolor='${fill}', alpha=0.3, edgecolor='${edge}', linewidth=2))
ax.plot([${vertices.map((v) => num(v[0])).join(', ')}], [${vertices.map((v) => num(v[1])).join(', ')}], 'o', color='${edge}', markersize=5)
${labels.join('\n')}
ax.text(0, 0.3, 'side = ${num(sideLength)}', ha='center', va='center', fontsize=11)
ax.text(0, -0.3, 'interior angle = ${num(interior)}°', ha='center', va='center', fontsize=11)`;
  return {
    uid,
    category: 'geometry',
    code: program('from matplotlib.patches import Polygon', body, title, frame(vertices, 1.2)),
    caption:
      `A geometry figure titled '${title}': a regular ${sides}-gon centred at the origin with circumradius ${radius}, first vertex at ${rotation}°, ` +
      `outlined in ${edge} (line width 2, vertices marked with ${edge} dots) and filled with translucent ${fill}. ` +
      `Its vertices are labelled ${listing(names.map((n, k) => `${n}${point(vertices[k] as Point)}`))}. ` +
      `Two lines of text at the centre read 'side = ${num(sideLength)}' and, below it, 'interior angle = ${num(interior)}°'. The aspect ratio is equal and the axes are hidden.`,
    params: {
      shape: 'regular_polygon',
      sides,
      radius,
      rotation,
      vertices,
      sideLength,
      interiorAngle: interior,
      edge,
      fill,
      title,
    },
  };
}

/** A triangle with an angle mark, a circle with its radius, or a regular polygon, each with labelled points. */
export const generateGeometry: FigureGenerator = (random, uid) =>
  random.pick([triangle, circle, regularPolygon])(random, uid);
