import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACE_SCHEMA_VERSION, traceSchema, type Trace } from '../../main/api/trace';

const tracerDir = fileURLToPath(new URL('../../native/python', import.meta.url));

/** Figures that between them reach every branch of the schema: each kind of text, line, patch, collection,
 *  image, legend, table, colorbar, 3-D and polar axes, a failed artist and an unreadable figure. */
const FIGURES: Record<string, string> = {
  basics: `
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
ax.plot([0, 1, 2], [0, 1, 4], 'r--', lw=2, label='sq')
ax.plot([0, 1], [1, 0], 'ks', label='dots')
ax.bar([1, 2, 3], [3, 1, 2], color='C0', label='bars')
ax.scatter([0, 1], [2, 3], c=[0.1, 0.9], s=[10, 20], label='pts')
ax.set_title(r'$\\alpha$ and more')
ax.set_xlabel('x'); ax.set_ylabel('y')
ax.annotate('peak', xy=(1, 1), xytext=(2, 2), arrowprops=dict(arrowstyle='->'))
ax.text(0.5, 3, 'boxed', bbox=dict(boxstyle='round'))
ax.legend(title='key')
fig.suptitle('sup')
fig.text(0.01, 0.01, 'corner')
`,
  patches: `
import matplotlib.pyplot as plt
from matplotlib.patches import Ellipse, FancyBboxPatch, FancyArrowPatch, PathPatch, Arrow, RegularPolygon
from matplotlib.path import Path
fig, ax = plt.subplots()
ax.add_patch(plt.Circle((0.5, 0.5), 0.2))
ax.add_patch(Ellipse((1, 1), 0.4, 0.2, angle=30, hatch='//'))
ax.add_patch(plt.Polygon([[0, 0], [1, 0], [0.5, 1]], fill=False))
ax.add_patch(FancyBboxPatch((0.1, 0.1), 0.2, 0.1, boxstyle='round,pad=0.02'))
ax.add_patch(FancyArrowPatch((0, 0), (1, 1), arrowstyle='-|>', mutation_scale=10))
ax.add_patch(PathPatch(Path([(0, 0), (1, 0), (1, 1)])))
ax.add_patch(Arrow(0, 1, 1, -1, width=0.1))
ax.add_patch(RegularPolygon((0.5, 0.5), 6, radius=0.1))
ax.arrow(0, 0, 1, 1, head_width=0.05)
ax.pie([1, 2], center=(2, 2), radius=0.5, wedgeprops=dict(width=0.2))
ax.set_xlim(-1, 3); ax.set_ylim(-1, 3)
`,
  collections: `
import numpy as np
import matplotlib.pyplot as plt
import matplotlib.tri as mtri
x = np.linspace(-2, 2, 20)
X, Y = np.meshgrid(x, x)
fig, axs = plt.subplots(2, 3)
axs[0, 0].fill_between(x, x, x ** 2)
axs[0, 0].vlines([0, 1], 0, 1)
axs[0, 1].contourf(X, Y, X * Y, levels=4)
axs[0, 2].pcolormesh(X * Y)
axs[1, 0].quiver(X[::5, ::5], Y[::5, ::5], Y[::5, ::5], X[::5, ::5])
t = mtri.Triangulation([0, 1, 0, 1], [0, 0, 1, 1])
axs[1, 1].tripcolor(t, [1, 2, 3, 4], shading='gouraud')
axs[1, 2].errorbar([1, 2], [1, 2], yerr=0.2, capsize=2)
axs[1, 2].plot(np.arange(3000.0), np.r_[np.nan, np.ones(2999)])
`,
  axes: `
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
class Broken(Line2D):
    def get_xydata(self):
        raise RuntimeError('boom')
fig = plt.figure()
a = fig.add_subplot(2, 2, 1)
a.set_yscale('log'); a.plot([1, 10, 100]); a.grid(True)
a.add_line(Broken([0, 1], [0, 1]))
im = fig.add_subplot(2, 2, 2).imshow(np.arange(12).reshape(3, 4), extent=(0, 4, 0, 3))
fig.colorbar(im, label='value')
space = fig.add_subplot(2, 2, 3, projection='3d')
space.plot([0, 1], [0, 1], [0, 1]); space.scatter([0], [1], [2]); space.text(0, 0, 1, 'top')
polar = fig.add_subplot(2, 2, 4, projection='polar')
polar.plot([0, 1], [1, 2])
polar.table(cellText=[['1', '2']], loc='bottom')
polar.inset_axes([0.7, 0.7, 0.2, 0.2]).plot([0, 1])
`,
};

const SCRIPT = `
import io, json, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import tracer
figures = json.loads(sys.stdin.read())
traces = {}
for name, code in figures.items():
    plt.close('all')
    tracer.install_creation_hook('<user_code>')
    exec(compile(code, '<user_code>', 'exec'), {'__name__': '__main__'})
    fig = plt.gcf()
    fig.savefig(io.BytesIO(), format='png', dpi=100)
    traces[name] = tracer.trace_figure(fig, '<user_code>')
traces['unreadable'] = tracer.trace_figure(None, '<user_code>')
print(json.dumps(traces, allow_nan=False))
`;

function runTracer(): Record<string, unknown> {
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: JSON.stringify(FIGURES),
    encoding: 'utf8',
    env: {
      ...process.env,
      PYTHONPATH: tracerDir,
      MPLBACKEND: 'Agg',
      MPLCONFIGDIR: '/tmp/codepercept-trace-test',
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`tracer fixtures failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('trace schema', () => {
  let raw: Record<string, unknown>;
  const traces: Record<string, Trace> = {};

  beforeAll(() => {
    raw = runTracer();
  }, 60_000);

  it('accepts real tracer output for every fixture figure', () => {
    expect(Object.keys(raw).sort()).toEqual([...Object.keys(FIGURES), 'unreadable'].sort());
    for (const [name, value] of Object.entries(raw)) {
      const parsed = traceSchema.safeParse(value);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
      traces[name] = parsed.data!;
    }
  });

  it('covers every element kind the schema describes', () => {
    const all = Object.values(traces);
    const owners = all.flatMap((t) => [t.figure, ...t.axes]);
    expect(new Set(owners.flatMap((o) => o.patches.map((p) => p.kind)))).toEqual(
      new Set(['rectangle', 'circle', 'ellipse', 'polygon', 'fancybox', 'arrow', 'path', 'wedge']),
    );
    expect(new Set(owners.flatMap((o) => o.collections.map((c) => c.kind)))).toEqual(
      new Set(['scatter', 'line', 'poly', 'contour', 'quadmesh', 'triangle', 'other']),
    );
    expect(new Set(owners.flatMap((o) => o.texts.map((t) => t.role)))).toEqual(
      new Set([
        'title',
        'suptitle',
        'xlabel',
        'ylabel',
        'xtick',
        'ytick',
        'ztick',
        'legend',
        'annotation',
        'text',
        'colorbar',
        'table',
      ]),
    );
    expect(new Set(owners.flatMap((o) => o.other.map((x) => x.kind)))).toEqual(new Set(['unknown']));
    expect(traces.axes!.axes.map((a) => [a.kind, a.isColorbar, a.parent])).toEqual([
      ['rectilinear', false, null],
      ['rectilinear', false, null],
      ['rectilinear', true, null],
      ['3d', false, null],
      ['polar', false, null],
      ['rectilinear', false, 4],
    ]);
  });

  it('carries the values the figures were drawn with', () => {
    const basics = traces.basics!;
    expect(basics.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    const [line] = basics.axes[0]!.lines;
    expect(line).toMatchObject({
      x: [0, 1, 2],
      y: [0, 1, 4],
      color: { hex: '#ff0000', alpha: 1 },
      linestyle: '--',
      sourceLine: 4,
    });
    expect(basics.summary.counts).toMatchObject({
      lines: 2,
      rectangles: 3,
      scatter: 1,
      arrows: 1,
      legends: 1,
    });
    expect(basics.axes[0]!.titles.center).toBe('$\\alpha$ and more');
    expect(basics.axes[0]!.texts.find((t) => t.role === 'title')?.rendered).toBe('α and more');
    const long = traces.collections!.axes[5]!.lines.at(-1)!;
    expect([long.n, long.subsampled, long.x.length, long.y[0]]).toEqual([3000, true, 2000, null]);
    expect(traces.unreadable!.error).toMatch(/AttributeError/);
  });

  it('rejects drifted fields and types (objects are strict)', () => {
    const basics = structuredClone(raw.basics) as { axes: { lines: Record<string, unknown>[] }[] };
    basics.axes[0]!.lines[0]!.colour = '#ff0000';
    expect(traceSchema.safeParse(basics).success).toBe(false);
    const renamed = structuredClone(raw.basics) as { summary: { counts: Record<string, unknown> } };
    renamed.summary.counts.bars = 3;
    expect(traceSchema.safeParse(renamed).success).toBe(false);
    const wrongVersion = { ...(raw.basics as object), schemaVersion: TRACE_SCHEMA_VERSION + 1 };
    expect(traceSchema.safeParse(wrongVersion).success).toBe(false);
  });
});
