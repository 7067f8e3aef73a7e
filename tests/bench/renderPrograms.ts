/**
 * 60 varied matplotlib programs of the kinds STEM2Code-Eval holds (function plots, geometry, charts,
 * physics-style diagrams), generated from templates with different numbers so no two are identical.
 */
const templates: ((i: number) => string)[] = [
  (i) => `import numpy as np
import matplotlib.pyplot as plt
x = np.linspace(-${i + 2}, ${i + 2}, 400)
plt.plot(x, np.sin(x) * ${i + 1}, label='sin')
plt.plot(x, np.cos(x), '--', label='cos')
plt.axhline(0, color='k', lw=0.8)
plt.legend(); plt.grid(True); plt.title('Trigonometric functions ${i}')`,
  (i) => `import matplotlib.pyplot as plt
vals = [${[3, 5, 2, 7, 4].map((v) => v + (i % 5)).join(', ')}]
plt.bar(['A', 'B', 'C', 'D', 'E'], vals, color=['C0', 'C1', 'C2', 'C3', 'C4'])
for k, v in enumerate(vals):
    plt.text(k, v + 0.1, str(v), ha='center')
plt.ylabel('count'); plt.title('Bar chart ${i}')`,
  (i) => `import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Polygon
fig, ax = plt.subplots(figsize=(5, 5))
ax.add_patch(Circle((0, 0), 1, fill=False, lw=2))
ax.add_patch(Polygon([[-0.87, -0.5], [0.87, -0.5], [0, 1]], closed=True, fill=False, color='r'))
for (x, y, n) in [(-0.87, -0.5, 'A'), (0.87, -0.5, 'B'), (0, 1, 'C')]:
    ax.annotate(n, (x, y), textcoords='offset points', xytext=(5, 5))
ax.set_aspect('equal'); ax.set_xlim(-1.3, 1.3); ax.set_ylim(-1.3, 1.3 + ${i} * 0.01); ax.axis('off')`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
rng = np.random.default_rng(${i})
x = rng.normal(size=200); y = 0.5 * x + rng.normal(scale=0.5, size=200)
plt.scatter(x, y, c=y, cmap='viridis', s=15)
plt.colorbar(label='y')
plt.xlabel('x'); plt.ylabel('y'); plt.title('Scatter ${i}')`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
fig, axs = plt.subplots(2, 2, figsize=(8, 6))
t = np.linspace(0, 2 * np.pi, 200)
axs[0, 0].plot(t, np.sin(${i + 1} * t)); axs[0, 0].set_title('sin')
axs[0, 1].hist(np.random.randn(500), bins=${10 + i}); axs[0, 1].set_title('hist')
axs[1, 0].pie([${i + 1}, 3, 4], labels=['a', 'b', 'c']); axs[1, 0].set_title('pie')
axs[1, 1].step(range(10), np.cumsum(np.ones(10))); axs[1, 1].set_title('step')
fig.tight_layout()`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
x = np.linspace(-3, 3, 120); y = np.linspace(-3, 3, 120)
X, Y = np.meshgrid(x, y); Z = np.exp(-(X**2 + Y**2) / ${i + 2})
cs = plt.contour(X, Y, Z, levels=8, cmap='plasma')
plt.clabel(cs, inline=True, fontsize=8)
plt.gca().set_aspect('equal'); plt.title('Contour ${i}')`,
  (i) => `import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.annotate('', xy=(4, ${(i % 4) + 1}), xytext=(0, 0), arrowprops=dict(arrowstyle='->', lw=2))
ax.annotate('F = ${i + 2} N', xy=(2, ${((i % 4) + 1) / 2}), fontsize=12)
ax.plot([0, 4], [0, 0], 'k-'); ax.set_xlim(-1, 5); ax.set_ylim(-1, 5)
ax.set_title('Force diagram'); ax.grid(True, ls=':')`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
x = np.logspace(0, 3, 50)
plt.loglog(x, x ** ${(i % 3) + 1}, 'o-', ms=3)
plt.xlabel('n'); plt.ylabel('cost'); plt.title('Log-log ${i}'); plt.grid(True, which='both')`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
data = np.arange(${12 + i}).reshape(-1, 1) * np.arange(8)
plt.imshow(data, cmap='magma', aspect='auto'); plt.colorbar(); plt.title('Heatmap ${i}')`,
  (i) => `import numpy as np
import matplotlib.pyplot as plt
theta = np.linspace(0, 2 * np.pi, 300)
ax = plt.subplot(projection='polar')
ax.plot(theta, 1 + 0.5 * np.cos(${i + 2} * theta)); ax.set_title('Polar rose ${i}')`,
];

export function renderPrograms(count = 60): string[] {
  return Array.from(
    { length: count },
    (_, i) => `${templates[i % templates.length]!(Math.floor(i / templates.length) + i)}\n`,
  );
}
