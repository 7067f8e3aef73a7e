import { listing, num, roundTo } from './random';
import type { Random } from './random';
import { distinctColors, NAMED_COLORS } from './types';
import type { FigureGenerator, GeneratedFigure } from './types';

const G = 9.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

function program(imports: string, body: string, title: string, tail: string): string {
  return `${imports}

fig, ax = plt.subplots(figsize=(8, 6))
${body}
${tail}
ax.set_title('${title}')
`;
}

const DIAGRAM_TAIL = `ax.set_aspect('equal')
ax.axis('off')`;

/** An arrow from (x, y) along (dx, dy), labelled a fixed distance beyond its tip so short arrows stay readable. */
function arrow(x: number, y: number, dx: number, dy: number, color: string, label: string): string {
  const length = Math.hypot(dx, dy);
  const lx = x + dx + (0.7 * dx) / length;
  const ly = y + dy + (0.4 * dy) / length;
  return `ax.annotate('', xy=(${num(x + dx, 3)}, ${num(y + dy, 3)}), xytext=(${num(x, 3)}, ${num(y, 3)}), arrowprops=dict(arrowstyle='-|>', color='${color}', lw=2.5, mutation_scale=20))
ax.text(${num(lx, 3)}, ${num(ly, 3)}, '${label}', color='${color}', fontsize=12, ha='center', va='center')`;
}

function freeBody(random: Random, uid: string): GeneratedFigure {
  const mass = random.int(2, 10);
  const weight = roundTo(mass * G, 1);
  const applied = random.int(10, 50);
  const angle = random.pick([0, 15, 30, 45, 60]);
  const friction = random.int(3, 15);
  const [wColor, nColor, fColor, frColor] = distinctColors(random, 4);
  const title = `Free-body diagram of a ${mass} kg block`;
  // Arrow lengths are proportional to the magnitudes, the largest force being 3 units long.
  const scale = 3 / Math.max(weight, applied, friction);
  const fx = applied * scale * Math.cos(rad(angle));
  const fy = applied * scale * Math.sin(rad(angle));
  const body = `ax.plot([-5, 5], [-1, -1], color='black', linewidth=2)
ax.add_patch(Rectangle((-1, -1), 2, 2, facecolor='lightgray', edgecolor='black', linewidth=2))
ax.text(0, 0, '${mass} kg', ha='center', va='center', fontsize=13)
${arrow(0, 0, 0, -weight * scale, wColor, `W = ${num(weight)} N`)}
${arrow(0, 0, 0, weight * scale, nColor, `N = ${num(weight)} N`)}
${arrow(1, 0, fx, fy, fColor, `F = ${applied} N`)}
${arrow(-1, 0, -friction * scale, 0, frColor, `f = ${friction} N`)}
ax.set_xlim(-5, 5)
ax.set_ylim(-4.5, 4.5)`;
  return {
    uid,
    category: 'physics',
    code: program(
      'import matplotlib.pyplot as plt\nfrom matplotlib.patches import Rectangle',
      body,
      title,
      DIAGRAM_TAIL,
    ),
    caption:
      `A physics free-body diagram titled '${title}': a light gray square block labelled '${mass} kg' rests on a black horizontal ground line. ` +
      `Four force arrows, with lengths proportional to their magnitudes, start at the block: the weight W = ${num(weight)} N (${mass} kg × ${G} m/s²) in ${wColor} pointing down, ` +
      `the normal force N = ${num(weight)} N in ${nColor} pointing up, the applied force F = ${applied} N in ${fColor} from the right side at ${angle}° above the horizontal, ` +
      `and friction f = ${friction} N in ${frColor} pointing left. Each arrow is labelled at its tip; the axes are hidden.`,
    params: {
      diagram: 'free_body',
      mass,
      weight,
      applied,
      angle,
      friction,
      colors: [wColor, nColor, fColor, frColor],
      title,
    },
  };
}

function inclinedPlane(random: Random, uid: string): GeneratedFigure {
  const angle = random.pick([15, 20, 25, 30, 35, 40, 45]);
  const mass = random.int(1, 10);
  const weight = roundTo(mass * G, 1);
  const along = roundTo(weight * Math.sin(rad(angle)), 1);
  const normal = roundTo(weight * Math.cos(rad(angle)), 1);
  const [planeColor, blockColor, forceColor] = distinctColors(random, 3);
  const base = 8;
  const height = roundTo(base * Math.tan(rad(angle)), 3);
  const title = `Block on a ${angle}° incline`;
  // The block sits halfway up the slope, rotated to lie on it.
  const cx = roundTo(base / 2, 3);
  const cy = roundTo(height / 2, 3);
  const body = `ax.add_patch(Polygon([(0, 0), (${base}, 0), (${base}, ${num(height)})], closed=True, facecolor='${planeColor}', alpha=0.3, edgecolor='black', linewidth=2))
block = Rectangle((${cx} - 0.6, ${cy}), 1.2, 1.2, facecolor='${blockColor}', edgecolor='black')
block.set_transform(Affine2D().rotate_deg_around(${cx}, ${cy}, ${angle}) + ax.transData)
ax.add_patch(block)
ax.add_patch(Arc((0, 0), 2.4, 2.4, theta1=0, theta2=${angle}, color='black', linewidth=1.5))
ax.text(1.5, 0.25, 'θ = ${angle}°', fontsize=12)
${arrow(cx, cy + 0.6, 0, -2.5, forceColor, `mg = ${num(weight)} N`)}
ax.text(${base / 2 + 1}, -0.8, 'm = ${mass} kg, mg sin θ = ${num(along)} N, mg cos θ = ${num(normal)} N', ha='center', fontsize=11)
ax.set_xlim(-1, ${base + 1})
ax.set_ylim(-1.5, ${num(height + 1.5, 2)})`;
  return {
    uid,
    category: 'physics',
    code: program(
      'import matplotlib.pyplot as plt\nfrom matplotlib.patches import Arc, Polygon, Rectangle\nfrom matplotlib.transforms import Affine2D',
      body,
      title,
      DIAGRAM_TAIL,
    ),
    caption:
      `A physics diagram titled '${title}': a right-triangle ramp in translucent ${planeColor} with a horizontal base of ${base} and height ${num(height, 2)}, rising to the right at ${angle}°. ` +
      `A ${blockColor} square block sits halfway up the slope, tilted to lie on it. A black arc at the bottom-left corner marks the angle, labelled 'θ = ${angle}°'. ` +
      `A ${forceColor} arrow points straight down from the block, labelled 'mg = ${num(weight)} N'. ` +
      `Text below the ramp reads 'm = ${mass} kg, mg sin θ = ${num(along)} N, mg cos θ = ${num(normal)} N' (g = ${G} m/s²). The axes are hidden.`,
    params: {
      diagram: 'inclined_plane',
      angle,
      mass,
      weight,
      along,
      normal,
      colors: [planeColor, blockColor, forceColor],
      title,
    },
  };
}

function circuit(random: Random, uid: string): GeneratedFigure {
  const voltage = random.pick([6, 9, 12, 18, 24]);
  const count = random.int(2, 3);
  const resistances = Array.from({ length: count }, () => random.int(1, 12));
  const total = resistances.reduce((a, b) => a + b, 0);
  const current = roundTo(voltage / total, 2);
  const wire = random.pick(['black', 'navy', 'brown'] as const);
  const title = `Series circuit: ${voltage} V source and ${count} resistors`;
  // Resistors go on the top wire (x from 1 to 9) and, for a third one, the right wire.
  const top = count === 3 ? resistances.slice(0, 2) : resistances;
  const slots = top.map((_, i) => {
    const width = 8 / top.length;
    return [1 + i * width + width / 2 - 0.8, 1 + i * width + width / 2 + 0.8] as const;
  });
  const topWire = [1, ...slots.flat(), 9];
  const wires: string[] = [];
  for (let i = 0; i < topWire.length; i += 2)
    wires.push(`ax.plot([${num(topWire[i] ?? 0)}, ${num(topWire[i + 1] ?? 0)}], [5, 5], color=WIRE, lw=2)`);
  const topResistors = slots.map(
    ([x0, x1], i) => `zigzag(${num(x0)}, 5, ${num(x1)}, 5)
ax.text(${num((x0 + x1) / 2)}, 5.6, 'R${i + 1} = ${top[i]} Ω', ha='center', fontsize=12)`,
  );
  const right =
    count === 3
      ? `ax.plot([9, 9], [5, 3.3], color=WIRE, lw=2)
zigzag(9, 3.3, 9, 1.7)
ax.plot([9, 9], [1.7, 1], color=WIRE, lw=2)
ax.text(9.4, 2.5, 'R3 = ${resistances[2]} Ω', va='center', fontsize=12)`
      : `ax.plot([9, 9], [5, 1], color=WIRE, lw=2)`;
  const body = `WIRE = '${wire}'


def zigzag(x0, y0, x1, y1, teeth=6, amplitude=0.25):
    # A resistor symbol: a zigzag between two points, perpendicular swings of the given amplitude.
    t = np.linspace(0, 1, 2 * teeth + 1)
    offsets = np.zeros_like(t)
    offsets[1:-1:2] = amplitude
    offsets[2:-1:2] = -amplitude
    dx, dy = x1 - x0, y1 - y0
    length = np.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    ax.plot(x0 + t * dx + offsets * nx, y0 + t * dy + offsets * ny, color=WIRE, lw=2)


${wires.join('\n')}
${topResistors.join('\n')}
${right}
ax.plot([1, 9], [1, 1], color=WIRE, lw=2)
ax.plot([1, 1], [5, 3.3], color=WIRE, lw=2)
ax.plot([1, 1], [2.7, 1], color=WIRE, lw=2)
ax.plot([0.5, 1.5], [3.3, 3.3], color=WIRE, lw=3)
ax.plot([0.75, 1.25], [2.7, 2.7], color=WIRE, lw=3)
ax.text(0.3, 3, '${voltage} V', ha='right', va='center', fontsize=12)
ax.text(5, 0.4, 'I = ${num(current)} A', ha='center', fontsize=12)
ax.set_xlim(-1, 11)
ax.set_ylim(0, 6.5)`;
  return {
    uid,
    category: 'physics',
    code: program('import numpy as np\nimport matplotlib.pyplot as plt', body, title, DIAGRAM_TAIL),
    caption:
      `A circuit schematic titled '${title}' drawn with ${wire} wires as a rectangular loop. ` +
      `On the left side a battery symbol (a long plate above a short plate) is labelled '${voltage} V'. ` +
      `Resistors are drawn as zigzag lines: ${listing(resistances.map((r, i) => `R${i + 1} = ${r} Ω`))}, ${count === 3 ? 'R1 and R2 on the top wire and R3 on the right wire' : 'both on the top wire'}, each labelled beside it. ` +
      `Below the loop the text 'I = ${num(current)} A' gives the series current (${voltage} V / ${total} Ω). The axes are hidden.`,
    params: { diagram: 'circuit', voltage, resistances, totalResistance: total, current, wire, title },
  };
}

function projectile(random: Random, uid: string): GeneratedFigure {
  const speed = random.int(10, 30);
  const angle = random.pick([30, 35, 40, 45, 50, 55, 60, 65, 70]);
  const color = random.pick(NAMED_COLORS);
  const flight = roundTo((2 * speed * Math.sin(rad(angle))) / G, 2);
  const range = roundTo((speed * speed * Math.sin(rad(2 * angle))) / G, 2);
  const peak = roundTo((speed * Math.sin(rad(angle))) ** 2 / (2 * G), 2);
  const title = `Projectile launched at ${speed} m/s and ${angle}°`;
  const body = `v0, angle, g = ${speed}, np.radians(${angle}), ${G}
t = np.linspace(0, 2 * v0 * np.sin(angle) / g, 200)
x = v0 * np.cos(angle) * t
y = v0 * np.sin(angle) * t - 0.5 * g * t**2
ax.plot(x, y, color='${color}', linewidth=2.5, label='trajectory')
ax.plot([${num(range / 2)}], [${num(peak)}], 'ko')
ax.annotate('max height ${num(peak)} m', (${num(range / 2)}, ${num(peak)}), textcoords='offset points', xytext=(10, 8), fontsize=11)
ax.plot([${num(range)}], [0], 'ks')
ax.annotate('range ${num(range)} m', (${num(range)}, 0), textcoords='offset points', xytext=(-40, 12), fontsize=11)
ax.set_xlim(0, ${num(range * 1.15, 2)})
ax.set_ylim(0, ${num(peak * 1.3 + 0.5, 2)})
ax.set_xlabel('horizontal distance (m)')
ax.set_ylabel('height (m)')
ax.grid(True, linestyle='--', alpha=0.5)
ax.legend(loc='upper right')`;
  return {
    uid,
    category: 'physics',
    code: program('import numpy as np\nimport matplotlib.pyplot as plt', body, title, ''),
    caption:
      `A projectile-motion plot titled '${title}': a ${color} parabolic trajectory (g = ${G} m/s², no air resistance) from the origin, ` +
      `lasting ${num(flight)} s. A black dot marks the highest point at (${num(range / 2)}, ${num(peak)}), annotated 'max height ${num(peak)} m', ` +
      `and a black square marks the landing point at x = ${num(range)} m, annotated 'range ${num(range)} m'. ` +
      `The axes are labelled 'horizontal distance (m)' and 'height (m)', with a dashed grid and a legend 'trajectory' in the upper right.`,
    params: {
      diagram: 'projectile',
      speed,
      angle,
      gravity: G,
      flightTime: flight,
      range,
      maxHeight: peak,
      color,
      title,
    },
  };
}

/** A free-body diagram, an inclined plane, a series circuit with zigzag resistors, or a projectile path. */
export const generatePhysics: FigureGenerator = (random, uid) =>
  random.pick([freeBody, inclinedPlane, circuit, projectile])(random, uid);
