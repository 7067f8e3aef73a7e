"""The tracer never raises: odd figures, broken artists, and no figure at all still give a trace."""
from __future__ import annotations

import json
import unittest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import tracer  # noqa: E402
from tracer import hooks  # noqa: E402
from tracer.mathtext import plain  # noqa: E402

from .test_tracer import TracerCase, traced  # noqa: E402

ODD_FIGURES = {
    "table": [
        "import matplotlib.pyplot as plt",
        "fig, ax = plt.subplots()",
        "ax.table(cellText=[['1', '2']], rowLabels=['r'], colLabels=['a', 'b'], loc='bottom')",
    ],
    "polar bars": [
        "import numpy as np, matplotlib.pyplot as plt",
        "ax = plt.subplot(projection='polar')",
        "ax.bar(np.linspace(0, 6, 8), np.arange(8), width=0.5)",
        "ax.add_patch(plt.Circle((0, 1), 0.2))",
    ],
    "colorbars": [
        "import numpy as np, matplotlib.pyplot as plt",
        "fig, (a, b) = plt.subplots(1, 2)",
        "cs = a.contourf(np.random.default_rng(0).random((5, 5)), levels=4)",
        "fig.colorbar(cs, ax=a, orientation='horizontal', extend='both')",
        "fig.colorbar(b.pcolor(np.arange(6).reshape(2, 3)), ax=b)",
    ],
    "quiver and streamplot": [
        "import numpy as np, matplotlib.pyplot as plt",
        "Y, X = np.mgrid[-1:1:6j, -1:1:6j]",
        "fig, (a, b) = plt.subplots(1, 2)",
        "q = a.quiver(X, Y, -Y, X, np.hypot(X, Y))",
        "a.quiverkey(q, 0.8, 1.05, 1, 'unit')",
        "a.barbs(X[::2, ::2], Y[::2, ::2], X[::2, ::2] * 20, Y[::2, ::2] * 20)",
        "b.streamplot(X, Y, -Y, X)",
    ],
    "3d": [
        "import numpy as np, matplotlib.pyplot as plt",
        "ax = plt.figure().add_subplot(projection='3d')",
        "X, Y = np.meshgrid(np.arange(4), np.arange(4))",
        "ax.plot_surface(X, Y, X * Y, cmap='viridis')",
        "ax.scatter([1, 2], [2, 1], [0, 3], c='r')",
        "ax.bar3d([0], [0], [0], 1, 1, 1)",
        "ax.text(1, 1, 1, 'here')",
        "ax.quiver(0, 0, 0, 1, 1, 1)",
    ],
    "statistics": [
        "import numpy as np, matplotlib.pyplot as plt",
        "r = np.random.default_rng(1)",
        "fig, (a, b, c) = plt.subplots(1, 3)",
        "a.boxplot([r.random(10), r.random(10)], notch=True)",
        "b.violinplot([r.random(10)])",
        "c.hexbin(r.random(50), r.random(50), gridsize=4)",
        "c.errorbar([1, 2], [1, 2], xerr=0.1, yerr=[[0.1, 0.2], [0.3, 0.4]], fmt='none')",
        "c.stem([1, 2], [3, 4])",
        "c.eventplot([[0.1, 0.2]])",
    ],
    "triangulations": [
        "import matplotlib.pyplot as plt, matplotlib.tri as mtri",
        "t = mtri.Triangulation([0, 1, 0, 1], [0, 0, 1, 1])",
        "fig, (a, b) = plt.subplots(1, 2)",
        "a.tripcolor(t, [1, 2, 3, 4], shading='gouraud')",
        "a.triplot(t, 'k-')",
        "b.tricontourf(t, [1, 2, 3, 4])",
    ],
    "layouts and insets": [
        "import matplotlib.pyplot as plt",
        "fig = plt.figure(layout='constrained')",
        "left, right = fig.subfigures(1, 2)",
        "ax = left.subplots()",
        "ax.twinx().plot([3, 1])",
        "inset = ax.inset_axes([0.6, 0.6, 0.3, 0.3])",
        "inset.imshow([[1, 2], [3, 4]])",
        "right.supxlabel('shared x')",
        "right.subplots(2, 1, sharex=True)[1].set_yscale('symlog')",
        "fig.legend(['a'], loc='upper center')",
        "fig.figimage([[0.0, 1.0]], 10, 10)",
    ],
    "dates, categories and masked data": [
        "import datetime as dt, numpy as np, matplotlib.pyplot as plt",
        "fig, (a, b) = plt.subplots(2)",
        "a.plot([dt.date(2024, 1, d) for d in (1, 2, 3)], np.ma.masked_array([1, 2, 3], [0, 1, 0]))",
        "b.bar(['apples', 'pears'], [1, 2])",
        "b.axvspan(0.2, 0.8, alpha=0.2)",
        "a.set_yscale('log')",
        "fig.add_subplot(3, 3, 9).set_yscale('logit')",
    ],
    "offset boxes and connections": [
        "import matplotlib.pyplot as plt",
        "from matplotlib.offsetbox import AnchoredText, AnnotationBbox, TextArea",
        "from matplotlib.patches import ConnectionPatch, Shadow, Rectangle, RegularPolygon",
        "fig, (a, b) = plt.subplots(1, 2)",
        "a.add_artist(AnchoredText('anchored', loc='upper left'))",
        "a.add_artist(AnnotationBbox(TextArea('boxed'), (0.5, 0.5)))",
        "b.add_artist(ConnectionPatch((0.2, 0.2), (0.8, 0.8), 'data', 'data', axesA=a, axesB=b, arrowstyle='->'))",
        "r = b.add_patch(Rectangle((0.1, 0.1), 0.2, 0.2, angle=30, hatch='//'))",
        "b.add_patch(Shadow(r, 0.02, -0.02))",
        "b.add_patch(RegularPolygon((0.7, 0.3), 5, radius=0.1))",
        "b.step([0, 1], [0, 1], where='mid')",
        "b.stackplot([0, 1], [1, 1], [1, 2])",
    ],
    "empty figure": ["import matplotlib.pyplot as plt", "plt.figure()"],
    "axis off": [
        "import matplotlib.pyplot as plt",
        "fig, ax = plt.subplots()",
        "ax.axis('off')",
        "ax.set_title('only a title')",
    ],
}


class OddFigures(TracerCase):
    def test_odd_figures_trace_without_errors(self):
        for name, lines in ODD_FIGURES.items():
            with self.subTest(figure=name):
                trace, _ = traced(lines)
                self.assertIsNone(trace["error"])
                owners = [trace["figure"], *trace["axes"]]
                problems = [o for owner in owners for o in owner["other"] if o["kind"] == "unknown"]
                self.assertEqual(problems, [])
                self.assertEqual(json.loads(json.dumps(trace, allow_nan=False)), trace)
                plt.close("all")

    def test_figure_and_axes_elements_found_in_odd_figures(self):
        trace, _ = traced(ODD_FIGURES["quiver and streamplot"])
        kinds = [(c["kind"], c["className"]) for c in trace["axes"][0]["collections"]]
        self.assertEqual(kinds, [("other", "Quiver"), ("other", "Barbs")])
        quiver = trace["axes"][0]["collections"][0]
        self.assertEqual((quiver["n"], len(quiver["vectors"]["u"]), quiver["cmap"]), (36, 36, "viridis"))
        self.assertIn("unit", trace["summary"]["texts"])  # the QuiverKey label
        self.assertGreater(trace["summary"]["counts"]["arrows"], 0)  # streamplot arrows
        plt.close("all")
        trace, _ = traced(ODD_FIGURES["colorbars"])
        self.assertEqual(trace["summary"]["counts"]["colorbars"], 2)
        self.assertEqual(trace["summary"]["counts"]["contours"], 1)
        plt.close("all")
        trace, _ = traced(ODD_FIGURES["3d"])
        [space] = trace["axes"]
        self.assertTrue(space["is3d"])
        [scatter] = [c for c in space["collections"] if c["kind"] == "scatter"]
        self.assertEqual(scatter["offsets"], {"x": [1.0, 2.0], "y": [2.0, 1.0], "z": [0.0, 3.0]})
        [here] = [t for t in space["texts"] if t["role"] == "text"]
        self.assertEqual(here["data"], [1.0, 1.0, 1.0])
        plt.close("all")
        trace, _ = traced(ODD_FIGURES["layouts and insets"])
        parents = [a["parent"] for a in trace["axes"]]
        self.assertIn(0, parents)  # the inset names its parent axes
        self.assertEqual(trace["figure"]["images"][0]["shape"], [1, 2])

    def test_a_broken_artist_becomes_an_unknown_record(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "from matplotlib.lines import Line2D",
            "class Broken(Line2D):",
            "    def get_xydata(self):",
            "        raise RuntimeError('boom')",
            "fig, ax = plt.subplots()",
            "ax.add_line(Broken([0, 1], [0, 1]))",
            "ax.plot([0, 1], [1, 0])",
        ]
        trace, _ = traced(lines)
        self.assertIsNone(trace["error"])
        self.assertEqual(
            trace["axes"][0]["other"],
            [{"kind": "unknown", "className": "Broken", "error": "RuntimeError: boom"}],
        )
        self.assertEqual(len(trace["axes"][0]["lines"]), 1)
        self.assertEqual(trace["summary"]["counts"]["unknown"], 1)

    def test_something_that_is_not_a_figure_still_gives_a_trace(self):
        trace = tracer.trace_figure(object(), "<user_code>")
        self.assertEqual((trace["schemaVersion"], trace["axes"]), (1, []))
        self.assertIn("AttributeError", trace["error"])
        json.dumps(trace, allow_nan=False)

    def test_a_figure_never_drawn_is_drawn_once(self):
        fig, ax = plt.subplots()
        ax.set_title("not drawn yet")
        trace = tracer.trace_figure(fig, "<user_code>")
        self.assertEqual(trace["axes"][0]["titles"]["center"], "not drawn yet")
        self.assertGreater(len(trace["axes"][0]["xaxis"]["ticks"]), 0)


class Hook(TracerCase):
    def test_installing_twice_wraps_once(self):
        tracer.install_creation_hook("<user_code>")
        tracer.install_creation_hook("<user_code>")
        init = matplotlib.artist.Artist.__init__
        self.assertTrue(getattr(init, "_codepercept_hook", False))
        self.assertFalse(getattr(init.__wrapped__, "_codepercept_hook", False))

    def test_artists_made_outside_user_code_have_no_line(self):
        tracer.install_creation_hook("<user_code>")
        fig, ax = plt.subplots()
        (line,) = ax.plot([0, 1])
        self.assertIsNone(line.__dict__.get(hooks.LINE_ATTR))

    def test_uninstall_restores_matplotlib(self):
        tracer.install_creation_hook("<user_code>")
        hooks.uninstall()
        self.assertFalse(getattr(matplotlib.artist.Artist.__init__, "_codepercept_hook", False))
        self.assertFalse(getattr(matplotlib.figure.Figure.savefig, "_codepercept_hook", False))


class Mathtext(unittest.TestCase):
    def test_plain_strings(self):
        cases = {
            r"$\mathdefault{10^{-2}}$": "10⁻²",
            r"$\frac{1}{2}$": "1/2",
            r"$\sqrt{x}$": "√x",
            r"$\theta_0 = 45^\circ$": "θ₀ = 45∘",
            r"$\mathrm{kg\,m^{-2}}$": "kg m⁻²",
            r"Value: $x_{i,j}$": "Value: xi,j",
            r"$\sin(x)$": "sin(x)",
        }
        for raw, shown in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(plain(raw, True), shown)
        self.assertEqual(plain(r"costs \$5", False), "costs $5")


if __name__ == "__main__":
    unittest.main()
