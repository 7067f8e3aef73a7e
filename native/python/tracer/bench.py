"""How much the tracer adds to a render: `python3 -m tracer.bench` (from native/python).

Prints, for a few typical figures, the median time of savefig and of trace_figure after it, and their ratio
(measured in the same run, so the numbers compare across machines)."""
from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import install_creation_hook, trace_figure  # noqa: E402

USER_FILE = "<bench>"

FIGURES = {
    "line plot": """
import numpy as np, matplotlib.pyplot as plt
x = np.linspace(0, 10, 200)
fig, ax = plt.subplots()
ax.plot(x, np.sin(x), label='sin')
ax.plot(x, np.cos(x), '--', label='cos')
ax.set_title('Waves'); ax.set_xlabel('t'); ax.set_ylabel('y'); ax.legend()
""",
    "few hundred artists": """
import numpy as np, matplotlib.pyplot as plt
rng = np.random.default_rng(0)
fig, axs = plt.subplots(2, 2, figsize=(8, 6))
axs[0, 0].hist(rng.normal(size=2000), bins=200, color='C1')
x = np.linspace(0, 10, 1000)
for k in range(5):
    axs[0, 1].plot(x, np.sin(x + k), label=f'phase {k}')
axs[0, 1].legend()
sc = axs[1, 0].scatter(rng.random(500), rng.random(500), c=rng.random(500))
fig.colorbar(sc, ax=axs[1, 0], label='value')
for i in range(50):
    axs[1, 1].add_patch(plt.Circle((i % 10, i // 10), 0.3, color='C%d' % (i % 10)))
for i in range(20):
    axs[1, 1].text(i % 10, 5 + i // 10, 'p%d' % i)
axs[1, 1].set_xlim(-1, 10); axs[1, 1].set_ylim(-1, 7)
fig.suptitle('Bench')
""",
    "geometry": """
import numpy as np, matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(5, 5))
ax.add_patch(plt.Circle((0, 0), 1, fill=False))
ax.add_patch(plt.Polygon([[0, 0], [1, 0], [0, 1]], alpha=0.3))
for t in np.linspace(0, 2 * np.pi, 12, endpoint=False):
    ax.annotate('', xy=(np.cos(t), np.sin(t)), xytext=(0, 0), arrowprops=dict(arrowstyle='->'))
    ax.text(1.15 * np.cos(t), 1.15 * np.sin(t), '%d°' % round(np.degrees(t)), ha='center')
ax.set_aspect('equal'); ax.set_xlim(-1.4, 1.4); ax.set_ylim(-1.4, 1.4); ax.axis('off')
""",
}


def _median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main(repeats=7):
    install_creation_hook(USER_FILE)
    print("%-20s %9s %9s %7s %8s" % ("figure", "save ms", "trace ms", "ratio", "artists"))
    for name, code in FIGURES.items():
        plt.close("all")
        exec(compile(code, USER_FILE, "exec"), {"__name__": "__main__"})
        fig = plt.gcf()
        save = _median_ms(lambda: fig.savefig(io.BytesIO(), format="png"), repeats)
        trace = _median_ms(lambda: trace_figure(fig, USER_FILE), repeats)
        counts = trace_figure(fig, USER_FILE)["summary"]["counts"]
        artists = sum(counts.values()) - counts["axes"]
        print("%-20s %9.1f %9.1f %7.3f %8d" % (name, save, trace, trace / save, artists))


if __name__ == "__main__":
    main()
