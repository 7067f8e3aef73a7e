"""The execution tracer on hand-written figures whose content is known exactly.

User code runs the way the render worker runs it: install_creation_hook, exec of code compiled with the
user file name, savefig, then trace_figure."""
from __future__ import annotations

import io
import json
import math
import unittest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import tracer  # noqa: E402
from tracer import hooks  # noqa: E402

USER_FILE = "<user_code>"


def traced(lines, dpi=None):
    """Runs the user code (a list of lines, so line numbers are list index + 1); returns (trace, figure)."""
    code = "\n".join(lines) + "\n"
    tracer.install_creation_hook(USER_FILE)
    namespace = {"__name__": "__main__"}
    exec(compile(code, USER_FILE, "exec"), namespace)
    fig = plt.gcf()
    fig.savefig(io.BytesIO(), format="png", dpi=dpi if dpi is not None else fig.dpi)
    trace = tracer.trace_figure(fig, USER_FILE)
    json.dumps(trace, allow_nan=False)  # every trace is plain, finite JSON
    return trace, fig


def line_of(lines, fragment):
    """1-based number of the first line containing fragment."""
    return next(i + 1 for i, line in enumerate(lines) if fragment in line)


def texts(trace, role, axes=0):
    owner = trace["figure"] if axes is None else trace["axes"][axes]
    return [t for t in owner["texts"] if t["role"] == role]


# A 4×3 in figure at 100 dpi with axes placed by hand: x spans pixels 50..350 for data 0..3 (100 px per
# unit), y spans PNG rows 270..30 for data 0..4 (60 px per unit; PNG rows grow downwards).
FIXED_AXES = [
    "import matplotlib.pyplot as plt",
    "fig = plt.figure(figsize=(4, 3), dpi=100)",
    "ax = fig.add_axes([0.125, 0.1, 0.75, 0.8])",
    "ax.set_xlim(0, 3)",
    "ax.set_ylim(0, 4)",
]


def px(x, y):
    return [50 + 100 * x, 270 - 60 * y]


def tearDownModule():
    hooks.uninstall()


class TracerCase(unittest.TestCase):
    def tearDown(self):
        plt.close("all")


class FigureAndLines(TracerCase):
    def test_a_dashed_red_line_with_its_source_line(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "",
            "fig = plt.figure(figsize=(4, 3), dpi=100)",
            "ax = fig.add_subplot()",
            "ax.plot([0, 1, 2], [0, 1, 4], 'r--', lw=2, label='sq')",
        ]
        trace, _ = traced(lines)
        self.assertEqual(trace["schemaVersion"], 1)
        self.assertIsNone(trace["error"])
        figure = trace["figure"]
        self.assertEqual(
            [figure[k] for k in ("widthIn", "heightIn", "dpi", "widthPx", "heightPx", "figureDpi")],
            [4.0, 3.0, 100.0, 400.0, 300.0, 100.0],
        )
        self.assertEqual(figure["saved"], {"dpi": 100.0, "widthPx": 400, "heightPx": 300, "cropped": False})
        self.assertEqual(figure["sourceLine"], 3)
        [line] = trace["axes"][0]["lines"]
        self.assertEqual(line["x"], [0.0, 1.0, 2.0])
        self.assertEqual(line["y"], [0.0, 1.0, 4.0])
        self.assertEqual(line["z"], None)
        self.assertEqual((line["n"], line["subsampled"]), (3, False))
        self.assertEqual(line["color"], {"hex": "#ff0000", "alpha": 1.0})
        self.assertEqual((line["linestyle"], line["linewidth"], line["marker"]), ("--", 2.0, None))
        self.assertEqual((line["label"], line["zorder"], line["gid"]), ("sq", 2.0, None))
        self.assertEqual((line["sourceLine"], line["sourceLineOrigin"]), (5, "created"))
        self.assertEqual((line["coords"], line["transform"]), ("data", "data"))
        self.assertEqual(trace["axes"][0]["sourceLine"], 4)

    def test_markers_alpha_and_matplotlib_placeholder_labels(self):
        lines = FIXED_AXES + ["ax.plot([1, 2], [1, 2], 'bo', ms=7, alpha=0.5)"]
        trace, _ = traced(lines)
        [line] = trace["axes"][0]["lines"]
        self.assertEqual(
            (line["linestyle"], line["color"], line["marker"], line["markerSize"]),
            ("None", None, "o", 7.0),
        )
        self.assertEqual(line["markerFaceColor"], {"hex": "#0000ff", "alpha": 0.5})
        self.assertIsNone(line["label"])  # matplotlib's '_child0'

    def test_the_innermost_user_frame_is_the_source_line(self):
        lines = FIXED_AXES + [
            "def draw(ax, y):",
            "    return ax.plot([0, 1], [y, y], gid='level')",
            "",
            "draw(ax, 1)",
            "draw(ax, 2)",
        ]
        trace, _ = traced(lines)
        drawn = trace["axes"][0]["lines"]
        self.assertEqual([l["sourceLine"] for l in drawn], [line_of(lines, "return ax.plot")] * 2)
        self.assertEqual([l["gid"] for l in drawn], ["level", "level"])

    def test_long_lines_are_subsampled_keeping_both_ends(self):
        lines = ["import numpy as np"] + FIXED_AXES + ["ax.plot(np.arange(5000.0), np.arange(5000.0) * 2)"]
        trace, _ = traced(lines)
        [line] = trace["axes"][0]["lines"]
        self.assertEqual((line["n"], line["subsampled"], len(line["x"]), len(line["y"])), (5000, True, 2000, 2000))
        self.assertEqual((line["x"][0], line["x"][-1], line["y"][-1]), (0.0, 4999.0, 9998.0))

    def test_non_finite_data_becomes_null(self):
        lines = ["import numpy as np"] + FIXED_AXES + ["ax.plot([0, 1, 2, 3], [1, np.nan, np.inf, -np.inf])"]
        trace, _ = traced(lines)
        [line] = trace["axes"][0]["lines"]
        self.assertEqual(line["y"], [1.0, None, None, None])
        self.assertEqual(json.loads(json.dumps(trace, allow_nan=False)), trace)

    def test_lines_given_in_other_coordinates_are_reported_in_data_coordinates(self):
        lines = FIXED_AXES + ["ax.axhline(2, color='k')"]
        trace, _ = traced(lines)
        [line] = trace["axes"][0]["lines"]
        self.assertEqual((line["x"], line["y"], line["transform"]), ([0.0, 3.0], [2.0, 2.0], "blended"))

    def test_invisible_and_transparent_artists_are_skipped(self):
        lines = FIXED_AXES + [
            "hidden, = ax.plot([1, 2])",
            "hidden.set_visible(False)",
            "ax.plot([1, 2], alpha=0)",
            "ax.bar([1], [1], color='none')",
            "ax.text(1, 1, '')",
            "ax.text(1, 1, 'clear', alpha=0)",
            "ax.text(float('nan'), 1, 'nowhere')",
            "fig.add_axes([0.1, 0.1, 0.2, 0.2]).set_visible(False)",
        ]
        trace, _ = traced(lines)
        self.assertEqual(len(trace["axes"]), 1)
        ax = trace["axes"][0]
        self.assertEqual((ax["lines"], ax["patches"], texts(trace, "text")), ([], [], []))


class Patches(TracerCase):
    def test_bars_are_rectangles_grouped_by_their_container(self):
        lines = FIXED_AXES + ["ax.bar([1, 2, 3], [3, 1, 2], color='C0', label='b')"]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        bars = ax["patches"]
        self.assertEqual([b["kind"] for b in bars], ["rectangle"] * 3)
        self.assertEqual([b["data"]["x"] for b in bars], [0.6, 1.6, 2.6])
        self.assertEqual([b["data"]["height"] for b in bars], [3.0, 1.0, 2.0])
        self.assertEqual({(b["data"]["y"], b["data"]["width"], b["data"]["angle"]) for b in bars}, {(0.0, 0.8, 0.0)})
        self.assertEqual({b["faceColor"]["hex"] for b in bars}, {"#1f77b4"})
        self.assertEqual({b["edgeColor"] for b in bars}, {None})
        self.assertEqual({b["group"] for b in bars}, {0})
        self.assertEqual(
            ax["containers"],
            [{"index": 0, "kind": "bar", "label": "b", "n": 3, "orientation": "vertical"}],
        )
        x, top = px(0.6, 3)
        self.assertEqual(bars[0]["px"], {"x": x, "y": top, "width": 80.0, "height": 180.0})
        self.assertEqual(trace["summary"]["counts"]["rectangles"], 3)

    def test_histogram_bars(self):
        lines = FIXED_AXES + ["ax.hist([0.5, 1.5, 1.5, 2.5, 2.5, 2.5], bins=[0, 1, 2, 3])"]
        trace, _ = traced(lines)
        bars = trace["axes"][0]["patches"]
        self.assertEqual(
            [(b["data"]["x"], b["data"]["width"], b["data"]["height"]) for b in bars],
            [(0.0, 1.0, 1.0), (1.0, 1.0, 2.0), (2.0, 1.0, 3.0)],
        )

    def test_a_circle_in_data_and_pixel_coordinates(self):
        lines = FIXED_AXES + ["ax.add_patch(plt.Circle((0.5, 0.5), 0.2, color='r'))"]
        trace, _ = traced(lines)
        [circle] = trace["axes"][0]["patches"]
        self.assertEqual(circle["kind"], "circle")
        self.assertEqual(circle["data"], {"center": [0.5, 0.5], "radius": 0.2})
        self.assertEqual(circle["px"], {"center": px(0.5, 0.5), "width": 40.0, "height": 24.0, "angle": 0.0})
        self.assertEqual(circle["faceColor"], {"hex": "#ff0000", "alpha": 1.0})
        self.assertEqual(circle["sourceLine"], len(lines))

    def test_an_ellipse_on_equal_aspect_axes_keeps_its_angle_on_screen(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "from matplotlib.patches import Ellipse",
            "fig = plt.figure(figsize=(4, 4), dpi=100)",
            "ax = fig.add_axes([0.0, 0.0, 1.0, 1.0])",
            "ax.set_xlim(-2, 2)",
            "ax.set_ylim(-2, 2)",
            "ax.add_patch(Ellipse((0, 0), 2, 1, angle=30))",
        ]
        trace, _ = traced(lines)
        [ellipse] = trace["axes"][0]["patches"]
        self.assertEqual(ellipse["data"], {"center": [0.0, 0.0], "width": 2.0, "height": 1.0, "angle": 30.0})
        self.assertEqual(ellipse["px"], {"center": [200.0, 200.0], "width": 200.0, "height": 100.0, "angle": 30.0})

    def test_a_triangle_polygon(self):
        lines = FIXED_AXES + ["ax.add_patch(plt.Polygon([[0, 0], [2, 0], [1, 3]], fill=False, ec='g'))"]
        trace, _ = traced(lines)
        [triangle] = trace["axes"][0]["patches"]
        self.assertEqual(triangle["kind"], "polygon")
        self.assertEqual(
            triangle["data"],
            {"vertices": [[0.0, 0.0], [2.0, 0.0], [1.0, 3.0]], "n": 3, "subsampled": False, "closed": True},
        )
        self.assertEqual(triangle["px"], {"vertices": [px(0, 0), px(2, 0), px(1, 3)]})
        self.assertEqual((triangle["faceColor"], triangle["edgeColor"]["hex"]), (None, "#008000"))

    def test_pie_wedges(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "ax.pie([1, 1, 2], labels=['a', 'b', 'c'])",
        ]
        trace, _ = traced(lines)
        wedges = trace["axes"][0]["patches"]
        self.assertEqual([w["kind"] for w in wedges], ["wedge"] * 3)
        self.assertEqual(
            [(w["data"]["theta1"], w["data"]["theta2"]) for w in wedges],
            [(0.0, 90.0), (90.0, 180.0), (180.0, 360.0)],
        )
        self.assertEqual(
            {(tuple(w["data"]["center"]), w["data"]["r"], w["data"]["width"]) for w in wedges},
            {((0.0, 0.0), 1.0, None)},
        )
        self.assertEqual([t["text"] for t in texts(trace, "text")], ["a", "b", "c"])

    def test_arrows_from_ax_arrow_and_patches(self):
        lines = FIXED_AXES + [
            "from matplotlib.patches import FancyArrowPatch",
            "ax.arrow(0, 0, 1, 2, head_width=0.1)",
            "ax.add_patch(FancyArrowPatch((2, 1), (3, 3), arrowstyle='-|>', mutation_scale=10))",
        ]
        trace, _ = traced(lines)
        arrows = trace["axes"][0]["patches"]
        self.assertEqual([a["kind"] for a in arrows], ["arrow", "arrow"])
        self.assertEqual((arrows[0]["data"]["tail"], arrows[0]["data"]["head"]), ([0.0, 0.0], [1.0, 2.0]))
        self.assertEqual(arrows[1]["data"], {"tail": [2.0, 1.0], "head": [3.0, 3.0], "arrowstyle": "-|>"})
        self.assertEqual(arrows[1]["px"], {"tail": px(2, 1), "head": px(3, 3)})
        self.assertEqual(trace["summary"]["counts"]["arrows"], 2)


class Collections(TracerCase):
    def test_scatter_points_sizes_and_colours(self):
        lines = FIXED_AXES + [
            "ax.scatter([1, 2, 3, 4], [4, 3, 2, 1], s=[10, 20, 30, 40], c=['red', 'green', 'blue', 'black'])",
        ]
        trace, _ = traced(lines)
        [scatter] = trace["axes"][0]["collections"]
        self.assertEqual((scatter["kind"], scatter["n"], scatter["transform"]), ("scatter", 4, "data"))
        self.assertEqual(scatter["offsets"], {"x": [1.0, 2.0, 3.0, 4.0], "y": [4.0, 3.0, 2.0, 1.0], "z": None})
        self.assertEqual(scatter["sizes"], [10.0, 20.0, 30.0, 40.0])
        self.assertEqual([c["hex"] for c in scatter["faceColors"]], ["#ff0000", "#008000", "#0000ff", "#000000"])
        self.assertIsNone(scatter["faceColor"])
        self.assertEqual((scatter["cmap"], scatter["sourceLine"]), (None, len(lines)))

    def test_scatter_through_a_colormap(self):
        lines = FIXED_AXES + ["ax.scatter([1, 2], [1, 2], c=[0.0, 1.0], cmap='viridis', s=50)"]
        trace, _ = traced(lines)
        [scatter] = trace["axes"][0]["collections"]
        self.assertEqual((scatter["cmap"], scatter["values"], scatter["sizes"]), ("viridis", [0.0, 1.0], 50.0))
        self.assertEqual(scatter["norm"], {"kind": "Normalize", "vmin": 0.0, "vmax": 1.0})
        self.assertEqual([c["hex"] for c in scatter["faceColors"]], ["#440154", "#fde725"])

    def test_fill_between_is_a_poly_collection(self):
        lines = FIXED_AXES + ["ax.fill_between([0, 1, 2], [0, 1, 0], [2, 2, 2], alpha=0.5)"]
        trace, _ = traced(lines)
        [poly] = trace["axes"][0]["collections"]
        self.assertEqual((poly["kind"], poly["n"], poly["faceColor"]["alpha"]), ("poly", 1, 0.5))
        self.assertIn([1.0, 1.0], poly["paths"][0])
        self.assertIn([1.0, 2.0], poly["paths"][0])

    def test_contour_sets_are_one_element_with_their_levels(self):
        lines = [
            "import numpy as np",
            "import matplotlib.pyplot as plt",
            "x = np.linspace(-2, 2, 21)",
            "X, Y = np.meshgrid(x, x)",
            "fig, ax = plt.subplots()",
            "ax.contour(X, Y, X**2 + Y**2, levels=[1, 2, 3], cmap='plasma')",
        ]
        trace, _ = traced(lines)
        [contour] = trace["axes"][0]["collections"]
        self.assertEqual(
            (contour["kind"], contour["levels"], contour["filled"], contour["cmap"]),
            ("contour", [1.0, 2.0, 3.0], False, "plasma"),
        )
        self.assertEqual(contour["sourceLine"], 6)
        self.assertEqual(trace["summary"]["counts"]["contours"], 1)

    def test_pcolormesh_is_a_mesh(self):
        lines = [
            "import numpy as np",
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "ax.pcolormesh(np.arange(12).reshape(3, 4), cmap='gray')",
        ]
        trace, _ = traced(lines)
        [mesh] = trace["axes"][0]["collections"]
        self.assertEqual((mesh["kind"], mesh["shape"], mesh["n"], mesh["cmap"]), ("quadmesh", [3, 4], 12, "gray"))
        self.assertEqual(mesh["norm"]["vmax"], 11.0)
        self.assertEqual(trace["summary"]["counts"]["meshes"], 1)


class Texts(TracerCase):
    def test_titles_and_axis_labels_carry_the_line_that_set_them(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots(figsize=(4, 3), dpi=100)",
            "ax.plot([0, 1], [0, 1])",
            "ax.set_title('T')",
            "ax.set_title('L', loc='left')",
            "ax.set_xlabel('X')",
            "plt.ylabel('Y')",
        ]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        self.assertEqual(ax["titles"], {"left": "L", "center": "T", "right": None})
        self.assertEqual(ax["xaxis"]["label"], "X")
        self.assertEqual(ax["yaxis"]["label"], "Y")
        by_text = {t["text"]: t for t in ax["texts"] if not t["isTickLabel"]}
        self.assertEqual({k: (t["role"], t["sourceLine"], t["sourceLineOrigin"]) for k, t in by_text.items()}, {
            "T": ("title", 4, "set"),
            "L": ("title", 5, "set"),
            "X": ("xlabel", 6, "set"),
            "Y": ("ylabel", 7, "set"),
        })
        title = by_text["T"]
        self.assertEqual(
            (title["fontSize"], title["ha"], title["color"]["hex"], title["data"]),
            (12.0, "center", "#000000", None),
        )
        self.assertLess(title["posPx"][1], by_text["X"]["posPx"][1])  # the title is above the x label
        x0, y0, x1, y1 = title["bboxPx"]
        self.assertTrue(x0 < title["posPx"][0] < x1 and y0 < title["posPx"][1] < y1)
        self.assertEqual(by_text["Y"]["rotation"], 90.0)

    def test_tick_labels_take_their_axes_line(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "ax.plot([0, 10], [0, 1])",
            "ax.set_xticks([0, 5, 10])",
        ]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        self.assertEqual(ax["xaxis"]["ticks"], [0.0, 5.0, 10.0])
        self.assertEqual(ax["xaxis"]["tickLabels"], ["0", "5", "10"])
        ticks = texts(trace, "xtick")
        self.assertEqual([t["text"] for t in ticks], ["0", "5", "10"])
        self.assertEqual(
            {(t["sourceLine"], t["sourceLineOrigin"], t["isTickLabel"]) for t in ticks},
            {(2, "axes", True)},
        )
        self.assertEqual(trace["summary"]["tickLabels"][:3], ["0", "5", "10"])

    def test_tick_labels_without_the_hook_have_no_source_line(self):
        lines = ["import matplotlib.pyplot as plt", "fig, ax = plt.subplots()", "ax.plot([0, 1])"]
        hooks.uninstall()
        exec(compile("\n".join(lines), USER_FILE, "exec"), {})
        fig = plt.gcf()
        fig.savefig(io.BytesIO(), format="png")
        trace = tracer.trace_figure(fig, USER_FILE)
        self.assertEqual({(t["sourceLine"], t["sourceLineOrigin"]) for t in texts(trace, "xtick")}, {(None, None)})
        self.assertEqual(trace["axes"][0]["lines"][0]["sourceLine"], None)
        self.assertIsNone(trace["figure"]["saved"])

    def test_an_annotation_and_its_arrow(self):
        lines = FIXED_AXES + [
            "ax.annotate('peak', xy=(1, 1), xytext=(2, 2), arrowprops=dict(arrowstyle='->'))",
            "ax.annotate('low', xy=(1, 3), xytext=(10, -10), textcoords='offset points',",
            "            arrowprops=dict(facecolor='black', shrink=0.05))",
        ]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        peak, low = texts(trace, "annotation")
        self.assertEqual((peak["text"], peak["data"], peak["target"]), ("peak", [2.0, 2.0], [1.0, 1.0]))
        self.assertEqual(peak["sourceLine"], len(FIXED_AXES) + 1)
        self.assertEqual((low["data"], low["target"]), ([1.13889, 2.76852], [1.0, 3.0]))  # 10 pt = 13.9 px at 100 dpi
        arrow_peak, arrow_low = ax["patches"]
        self.assertEqual(
            (arrow_peak["kind"], arrow_peak["data"]["head"], arrow_peak["data"]["arrowstyle"]),
            ("arrow", [1.0, 1.0], "->"),
        )
        self.assertEqual(arrow_peak["px"]["head"], px(1, 1))
        self.assertEqual(arrow_peak["faceColor"], None)  # '->' draws no face
        self.assertEqual(ax["texts"][arrow_peak["textIndex"]]["text"], "peak")
        self.assertEqual(arrow_peak["sourceLine"], len(FIXED_AXES) + 1)
        self.assertEqual(arrow_low["data"]["head"], [1.0, 3.0])
        self.assertEqual(arrow_low["faceColor"]["hex"], "#000000")
        tail = arrow_peak["data"]["tail"]
        self.assertTrue(1.9 < tail[0] < 2.6 and 1.9 < tail[1] < 2.3)  # from the text box towards the point

    def test_an_arrow_drawn_with_an_empty_annotation(self):
        lines = FIXED_AXES + [
            "ax.annotate('', xy=(1, 1), xytext=(0, 0), arrowprops=dict(arrowstyle='<->'))",
            "ax.annotate('gone', xy=(10, 10), xytext=(1, 1), annotation_clip=True, arrowprops=dict(arrowstyle='->'))",
        ]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        self.assertEqual(texts(trace, "annotation"), [])
        [arrow] = ax["patches"]
        self.assertEqual(arrow["data"], {"tail": [0.0, 0.0], "head": [1.0, 1.0], "arrowstyle": "<->"})
        self.assertEqual((arrow["textIndex"], arrow["sourceLine"]), (None, len(FIXED_AXES) + 1))

    def test_plain_text_in_data_and_figure_coordinates(self):
        lines = FIXED_AXES + [
            "ax.text(1, 2, 'inside', color='#336699', fontsize=14, ha='center', weight='bold', gid='t')",
            "ax.text(0.5, 0.5, 'axes', transform=ax.transAxes, bbox=dict(boxstyle='round', fc='yellow'))",
            "fig.text(0.5, 0.95, 'top', ha='center')",
            "fig.suptitle('Sup')",
        ]
        trace, _ = traced(lines)
        inside, axes_text = texts(trace, "text")
        self.assertEqual(
            (inside["data"], inside["coords"], inside["fontSize"], inside["ha"], inside["weight"]),
            ([1.0, 2.0], "data", 14.0, "center", "bold"),
        )
        self.assertEqual((inside["color"], inside["gid"], inside["box"]), ({"hex": "#336699", "alpha": 1.0}, "t", None))
        self.assertAlmostEqual(inside["posPx"][0], px(1, 2)[0], delta=0.01)
        self.assertEqual(axes_text["data"], [1.5, 2.0])  # the middle of the axes, in data coordinates
        self.assertEqual(
            axes_text["box"],
            {
                "boxstyle": "round",
                "faceColor": {"hex": "#ffff00", "alpha": 1.0},
                "edgeColor": {"hex": "#000000", "alpha": 1.0},
            },
        )
        [top] = texts(trace, "text", axes=None)
        self.assertEqual((top["coords"], top["data"], top["posFrac"][0]), ("figure", [0.5, 0.95], 0.5))
        [sup] = texts(trace, "suptitle", axes=None)
        self.assertEqual((sup["text"], trace["figure"]["suptitle"], sup["sourceLine"]), ("Sup", "Sup", len(lines)))
        self.assertEqual(trace["summary"]["texts"], ["top", "Sup", "inside", "axes"])

    def test_mathtext_keeps_the_raw_string_and_what_it_shows(self):
        lines = FIXED_AXES + ["ax.set_ylabel(r'$\\alpha^2 + \\beta_0$ (m)')", "ax.set_xlabel(r'cost \\$5')"]
        trace, _ = traced(lines)
        [ylabel] = texts(trace, "ylabel")
        self.assertEqual(
            (ylabel["text"], ylabel["rendered"], ylabel["isMath"]),
            (r"$\alpha^2 + \beta_0$ (m)", "α² + β₀ (m)", True),
        )
        [xlabel] = texts(trace, "xlabel")
        self.assertEqual((xlabel["text"], xlabel["rendered"], xlabel["isMath"]), (r"cost \$5", "cost $5", False))

    def test_legend_entries(self):
        lines = FIXED_AXES + [
            "ax.plot([0, 1], [0, 1], 'g-', label='line')",
            "ax.plot([0, 1], [1, 0], 'ks', label='dots')",
            "ax.bar([2], [1], color='orange', label='bar')",
            "ax.scatter([1], [1], c='purple', label='pts')",
            "ax.legend(title='Key')",
        ]
        trace, _ = traced(lines)
        legend = trace["axes"][0]["legend"]
        self.assertEqual(legend["title"], "Key")
        self.assertEqual(
            [(e["label"], e["handle"], e["color"]["hex"], e["marker"]) for e in legend["entries"]],
            [
                ("line", "line", "#008000", None),
                ("dots", "line", "#000000", "s"),
                ("pts", "scatter", "#800080", None),
                ("bar", "patch", "#ffa500", None),
            ],
        )
        self.assertEqual((legend["sourceLine"], legend["sourceLineOrigin"]), (len(lines), "created"))
        self.assertEqual([t["text"] for t in texts(trace, "legend")], ["line", "dots", "pts", "bar", "Key"])
        self.assertEqual(len(trace["axes"][0]["lines"]), 2)  # the legend's handle lines are not data lines

    def test_a_table(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "ax.axis('off')",
            "ax.table(cellText=[['1', '2'], ['3', '4']], colLabels=['a', 'b'], loc='center')",
        ]
        trace, _ = traced(lines)
        [table] = trace["axes"][0]["tables"]
        self.assertEqual((table["rows"], table["cols"], table["sourceLine"]), (3, 2, 4))
        self.assertEqual([c["text"] for c in table["cells"]], ["a", "b", "1", "2", "3", "4"])
        self.assertEqual(sorted(t["text"] for t in texts(trace, "table")), ["1", "2", "3", "4", "a", "b"])
        self.assertEqual(trace["axes"][0]["axisOn"], False)
        self.assertEqual(trace["summary"]["counts"]["rectangles"], 0)  # cells are the table, not rectangles


class Axes(TracerCase):
    def test_log_axes_and_their_ticks(self):
        lines = FIXED_AXES + ["ax.set_yscale('log')", "ax.set_ylim(1, 1000)", "ax.plot([0, 1, 2], [1, 10, 100])"]
        trace, _ = traced(lines)
        yaxis = trace["axes"][0]["yaxis"]
        self.assertEqual(
            (yaxis["scale"], yaxis["lim"], yaxis["ticks"]),
            ("log", [1.0, 1000.0], [1.0, 10.0, 100.0, 1000.0]),
        )
        self.assertEqual(yaxis["tickLabels"], [r"$\mathdefault{10^{%d}}$" % k for k in range(4)])
        self.assertEqual([t["rendered"] for t in texts(trace, "ytick")], ["10⁰", "10¹", "10²", "10³"])
        self.assertEqual(trace["axes"][0]["xaxis"]["scale"], "linear")

    def test_a_subplot_grid_and_a_spanning_slot(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig, axs = plt.subplots(2, 2)",
            "fig.delaxes(axs[0, 0])",
            "fig.delaxes(axs[0, 1])",
            "gs = axs[1, 0].get_subplotspec().get_gridspec()",
            "top = fig.add_subplot(gs[0, :])",
        ]
        trace, _ = traced(lines)
        slots = [a["gridSpec"] for a in trace["axes"]]
        self.assertEqual(slots, [
            {"nrows": 2, "ncols": 2, "rowStart": 1, "rowStop": 2, "colStart": 0, "colStop": 1},
            {"nrows": 2, "ncols": 2, "rowStart": 1, "rowStop": 2, "colStart": 1, "colStop": 2},
            {"nrows": 2, "ncols": 2, "rowStart": 0, "rowStop": 1, "colStart": 0, "colStop": 2},
        ])
        left, right, top = (a["bboxFrac"] for a in trace["axes"])
        self.assertLess(left[2], right[0])
        self.assertGreater(top[1], left[3])
        self.assertEqual((top[0], top[2]), (left[0], right[2]))
        self.assertEqual(trace["summary"]["counts"]["axes"], 3)

    def test_two_by_two_positions(self):
        lines = ["import matplotlib.pyplot as plt", "fig, axs = plt.subplots(2, 2, figsize=(4, 4), dpi=100)"]
        trace, _ = traced(lines)
        self.assertEqual(
            [(a["gridSpec"]["rowStart"], a["gridSpec"]["colStart"]) for a in trace["axes"]],
            [(0, 0), (0, 1), (1, 0), (1, 1)],
        )
        first = trace["axes"][0]
        self.assertEqual(first["bboxFrac"], [0.125, 0.53, 0.4773, 0.88])  # default subplot parameters
        self.assertEqual(first["bboxPx"], [50.0, 48.0, 190.91, 188.0])
        self.assertEqual(
            (first["aspect"], first["faceColor"]["hex"], first["grid"]),
            ("auto", "#ffffff", {"x": False, "y": False}),
        )
        self.assertEqual(first["spines"], {"left": True, "right": True, "bottom": True, "top": True})

    def test_grid_spines_and_inverted_limits(self):
        lines = FIXED_AXES + [
            "ax.grid(True, axis='y')",
            "ax.spines['top'].set_visible(False)",
            "ax.set_xlim(3, 0)",
            "ax.set_aspect('equal')",
        ]
        trace, _ = traced(lines)
        ax = trace["axes"][0]
        self.assertEqual(
            (ax["grid"], ax["spines"]["top"], ax["spines"]["left"]),
            ({"x": False, "y": True}, False, True),
        )
        self.assertEqual((ax["xaxis"]["lim"], ax["aspect"]), ([3.0, 0.0], 1.0))
        self.assertEqual(trace["summary"]["counts"]["lines"], 0)  # grid lines are not lines

    def test_an_image_with_extent(self):
        lines = [
            "import numpy as np",
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "ax.imshow(np.arange(12).reshape(3, 4), extent=(0, 4, 0, 3), interpolation='nearest')",
        ]
        trace, _ = traced(lines)
        [image] = trace["axes"][0]["images"]
        self.assertEqual(
            (image["kind"], image["shape"], image["extent"], image["cmap"], image["interpolation"], image["origin"]),
            ("image", [3, 4], [0.0, 4.0, 0.0, 3.0], "viridis", "nearest", "upper"),
        )
        self.assertEqual(image["norm"], {"kind": "Normalize", "vmin": 0.0, "vmax": 11.0})
        self.assertEqual((image["sourceLine"], trace["summary"]["counts"]["images"]), (4, 1))

    def test_a_colorbar_is_counted_as_one_colorbar(self):
        lines = [
            "import numpy as np",
            "import matplotlib.pyplot as plt",
            "fig, ax = plt.subplots()",
            "im = ax.imshow(np.arange(4).reshape(2, 2), cmap='magma')",
            "fig.colorbar(im, ax=ax, label='level')",
        ]
        trace, _ = traced(lines)
        main, bar = trace["axes"]
        self.assertEqual((main["isColorbar"], bar["isColorbar"]), (False, True))
        self.assertEqual(
            bar["colorbar"],
            {"orientation": "vertical", "cmap": "magma", "vmin": 0.0, "vmax": 3.0, "label": "level"},
        )
        self.assertEqual(bar["sourceLine"], 5)
        self.assertEqual({t["role"] for t in bar["texts"]}, {"colorbar"})
        counts = trace["summary"]["counts"]
        self.assertEqual((counts["colorbars"], counts["meshes"], counts["axes"], counts["images"]), (1, 0, 1, 1))
        self.assertIn("level", trace["summary"]["texts"])

    def test_3d_and_polar_axes_are_flagged(self):
        lines = [
            "import matplotlib.pyplot as plt",
            "fig = plt.figure()",
            "ax = fig.add_subplot(1, 2, 1, projection='3d')",
            "ax.plot([0, 1], [0, 1], [0, 2])",
            "ax.set_zlabel('height')",
            "ax.set_zlim(0, 2)",
            "polar = fig.add_subplot(1, 2, 2, projection='polar')",
            "polar.plot([0, 1], [1, 1])",
        ]
        trace, _ = traced(lines)
        space, polar = trace["axes"]
        self.assertEqual((space["kind"], space["is3d"], space["isPolar"]), ("3d", True, False))
        self.assertEqual((space["zaxis"]["label"], space["zaxis"]["lim"]), ("height", [0.0, 2.0]))
        self.assertEqual((space["lines"][0]["x"], space["lines"][0]["z"]), ([0.0, 1.0], [0.0, 2.0]))
        self.assertEqual(len(texts(trace, "ztick")), len(space["zaxis"]["ticks"]))
        self.assertEqual((polar["kind"], polar["isPolar"], polar["zaxis"]), ("polar", True, None))


class Output(TracerCase):
    def test_saving_at_another_dpi_gives_pixels_of_the_saved_png(self):
        lines = FIXED_AXES + ["ax.bar([1], [2], width=1)"]
        trace, fig = traced(lines, dpi=200)
        figure = trace["figure"]
        self.assertEqual(
            (figure["dpi"], figure["figureDpi"], figure["widthPx"], figure["heightPx"]),
            (200.0, 100.0, 800.0, 600.0),
        )
        self.assertEqual(figure["saved"], {"dpi": 200.0, "widthPx": 800, "heightPx": 600, "cropped": False})
        self.assertEqual(
            trace["axes"][0]["patches"][0]["px"],
            {"x": 200.0, "y": 300.0, "width": 200.0, "height": 240.0},
        )
        self.assertEqual(fig.dpi, 100.0)  # the figure is left as it was

    def test_the_last_save_counts_however_it_was_called(self):
        # The render worker saves through the unwrapped Figure.savefig after the user's own saves.
        lines = FIXED_AXES + ["fig.savefig(io.BytesIO(), dpi=300, bbox_inches='tight')", "ax.bar([1], [2], width=1)"]
        trace, _ = traced(["import io"] + lines, dpi=50)
        figure = trace["figure"]
        self.assertEqual((figure["dpi"], figure["widthPx"]), (50.0, 200.0))
        self.assertEqual(figure["saved"], {"dpi": 50.0, "widthPx": 200, "heightPx": 150, "cropped": False})
        self.assertEqual(trace["axes"][0]["patches"][0]["px"], {"x": 50.0, "y": 75.0, "width": 50.0, "height": 60.0})

    def test_a_tight_save_is_marked_cropped(self):
        lines = FIXED_AXES + ["ax.set_title('T')"]
        code = "\n".join(lines)
        tracer.install_creation_hook(USER_FILE)
        exec(compile(code, USER_FILE, "exec"), {})
        fig = plt.gcf()
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        self.assertTrue(tracer.trace_figure(fig, USER_FILE)["figure"]["saved"]["cropped"])

    def test_pyplot_savefig_draws_again_at_the_figure_dpi(self):
        # plt.savefig (the official protocol's save) redraws the figure at its own dpi after saving: the trace
        # keeps that last frame, and `saved` says how it maps to the PNG.
        tracer.install_creation_hook(USER_FILE)
        exec(compile("\n".join(FIXED_AXES + ["ax.set_title('T')"]), USER_FILE, "exec"), {})
        plt.savefig(io.BytesIO(), format="png", dpi=300)
        figure = tracer.trace_figure(plt.gcf(), USER_FILE)["figure"]
        self.assertEqual((figure["dpi"], figure["widthPx"]), (100.0, 400.0))
        self.assertEqual(figure["saved"], {"dpi": 300.0, "widthPx": 1200, "heightPx": 900, "cropped": False})

    def test_a_title_is_not_attributed_to_the_save_that_drew_it(self):
        lines = FIXED_AXES + ["ax.set_title('T')", "import io", "plt.savefig(io.BytesIO())"]
        trace, _ = traced(lines)
        [title] = texts(trace, "title")
        self.assertEqual((title["sourceLine"], title["sourceLineOrigin"]), (len(FIXED_AXES) + 1, "set"))

    def test_summary_counts_strings_and_colours(self):
        lines = FIXED_AXES + [
            "ax.plot([0, 1], [0, 1], color='#123456')",
            "ax.bar([1, 2], [1, 2], color=['#aa0000', '#00aa00'])",
            "ax.add_patch(plt.Circle((1, 1), 0.1, color='#0000aa'))",
            "ax.scatter([1], [2], color='#aa0000')",
            "ax.set_title('Title')",
        ]
        trace, _ = traced(lines)
        summary = trace["summary"]
        counts = {k: v for k, v in summary["counts"].items() if v}
        self.assertEqual(
            counts,
            {"axes": 1, "lines": 1, "rectangles": 2, "circles": 1, "scatter": 1, "texts": 1, "tickLabels": 16},
        )
        self.assertEqual(summary["texts"], ["Title"])
        self.assertEqual(summary["colors"], ["#123456", "#aa0000", "#00aa00", "#0000aa"])

    def test_the_same_code_gives_the_same_trace(self):
        lines = FIXED_AXES + ["ax.plot([0, 1.23456789], [0, 2])", "ax.set_title('T')"]
        first, _ = traced(lines)
        plt.close("all")
        second, _ = traced(lines)
        self.assertEqual(json.dumps(first, sort_keys=False), json.dumps(second, sort_keys=False))
        self.assertEqual(first["axes"][0]["lines"][0]["x"], [0.0, 1.23457])

    def test_numbers_are_plain_python_values(self):
        lines = ["import numpy as np"] + FIXED_AXES + ["ax.scatter(np.float32([1.5]), np.int64([2]), s=np.float64(3))"]
        trace, _ = traced(lines)

        def walk(value):
            if isinstance(value, dict):
                for key, item in value.items():
                    self.assertIsInstance(key, str)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            else:
                self.assertIn(type(value), (str, int, float, bool, type(None)))
                if isinstance(value, float):
                    self.assertTrue(math.isfinite(value))

        walk(trace)


if __name__ == "__main__":
    unittest.main()
