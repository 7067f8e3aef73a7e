"""The artist tree: figure → axes → artists, plus the flat summary the element-level metrics read."""
from __future__ import annotations

from matplotlib import axes as maxes
from matplotlib import axis as maxis
from matplotlib import collections as mcollections
from matplotlib import container as mcontainer
from matplotlib import figure as mfigure
from matplotlib import image as mimage
from matplotlib import legend as mlegend
from matplotlib import lines as mlines
from matplotlib import patches as mpatches
from matplotlib import spines as mspines
from matplotlib import table as mtable
from matplotlib import text as mtext

from . import artists
from . import hooks
from . import values as v
from .scene import Scene

SCHEMA_VERSION = 1

_MAX_COLORS = 256


def trace(fig):
    """The trace at the dpi of the figure's last draw: every position matplotlib computes while drawing
    (legend, annotations, titles, tick labels) is then the one that was drawn. That draw is usually the save;
    plt.savefig draws once more at the figure's own dpi afterwards, and `figure.saved` maps to the PNG."""
    drawn = fig.__dict__.get(hooks.DRAWN_ATTR)
    own_dpi = fig.dpi
    if drawn is None or drawn[0] == own_dpi:
        return _trace_at_current_dpi(fig, own_dpi)
    fig.dpi = drawn[0]
    try:
        return _trace_at_current_dpi(fig, own_dpi)
    finally:
        fig.dpi = own_dpi


def _trace_at_current_dpi(fig, own_dpi):
    scene = Scene(fig, _renderer(fig))
    colorbars = _colorbars(fig)
    axes_list, parents = _all_axes(fig)
    index_of = {id(ax): i for i, ax in enumerate(axes_list)}
    figure_record = _figure(scene, own_dpi)
    axes_records = []
    for i, ax in enumerate(axes_list):
        parent = parents.get(id(ax))
        parent_index = index_of[id(parent)] if parent is not None else None
        axes_records.append(_axes(scene, ax, i, parent_index, colorbars.get(id(ax))))
    return {
        "schemaVersion": SCHEMA_VERSION,
        "error": None,
        "figure": figure_record,
        "axes": axes_records,
        "summary": summarize(figure_record, axes_records),
    }


def failed(error):
    """What trace_figure returns when even the figure cannot be read: the same shape, nearly empty."""
    figure_record = {name: None for name in _FIGURE_FIELDS}
    figure_record.update({name: [] for name in _ELEMENT_LISTS if name != "tables"})
    figure_record["legends"] = []
    return {
        "schemaVersion": SCHEMA_VERSION,
        "error": "%s: %s" % (type(error).__name__, error),
        "figure": figure_record,
        "axes": [],
        "summary": summarize(figure_record, []),
    }


def _renderer(fig):
    """A renderer at the figure's current dpi; draws the figure only when it has never been drawn."""
    canvas = fig.canvas
    if getattr(canvas, "renderer", None) is None and getattr(fig, "_cachedRenderer", None) is None:
        canvas.draw()
    get_renderer = getattr(canvas, "get_renderer", None)
    if get_renderer is not None:
        return get_renderer()
    get_renderer = getattr(fig, "_get_renderer", None)
    return get_renderer() if get_renderer is not None else fig._cachedRenderer


def _all_axes(fig):
    """Visible axes in figure order, each followed by its inset (child) axes; and child → parent."""
    ordered, parents, seen = [], {}, set()

    def visit(ax, parent):
        if id(ax) in seen or not ax.get_visible():
            return
        seen.add(id(ax))
        ordered.append(ax)
        if parent is not None:
            parents[id(ax)] = parent
        for child in getattr(ax, "child_axes", ()):
            visit(child, ax)

    for ax in fig.axes:
        visit(ax, None)
    return ordered, parents


def _colorbars(fig):
    """id(colorbar axes) → Colorbar, from the axes and from every mappable's colorbar."""
    found = {}
    for ax in fig.axes:
        colorbar = getattr(ax, "_colorbar", None)
        if colorbar is not None:
            found[id(ax)] = colorbar
        for child in ax.get_children():
            mappable = child.__dict__.get(hooks.CONTOUR_ATTR, child)  # before 3.8 the contour set holds it
            colorbar = getattr(mappable, "colorbar", None)
            if colorbar is not None and getattr(colorbar, "ax", None) is not None:
                found.setdefault(id(colorbar.ax), colorbar)
    return found


# --- figure ------------------------------------------------------------------------------------

_FIGURE_FIELDS = (
    "widthIn", "heightIn", "dpi", "widthPx", "heightPx", "figureDpi", "saved", "faceColor",
    "suptitle", "supxlabel", "supylabel", "sourceLine",
)
_ELEMENT_LISTS = ("texts", "lines", "patches", "collections", "images", "tables", "other")


def _figure(scene, own_dpi):
    """Size, colours, titles and figure-level artists. `dpi` is that of every pixel value in the trace (the
    last draw's), `figureDpi` the figure's own, `saved` the last save's dpi and PNG size."""
    fig = scene.fig
    width_in, height_in = fig.get_size_inches()
    record = {
        "widthIn": v.num(width_in, 4),
        "heightIn": v.num(height_in, 4),
        "dpi": v.num(fig.dpi),
        "widthPx": v.num(scene.width, v.PX_DECIMALS),
        "heightPx": v.num(scene.height, v.PX_DECIMALS),
        "figureDpi": v.num(own_dpi),
        "saved": _saved(scene),
        "faceColor": v.color_of_rgba(fig.get_facecolor()) if fig.patch.get_visible() else None,
        "suptitle": _string_of(getattr(fig, "_suptitle", None)),
        "supxlabel": _string_of(getattr(fig, "_supxlabel", None)),
        "supylabel": _string_of(getattr(fig, "_supylabel", None)),
        "sourceLine": fig.__dict__.get(hooks.LINE_ATTR),
    }
    lists = {name: [] for name in _ELEMENT_LISTS if name != "tables"}
    legends = []
    _figure_children(scene, fig, lists, legends)
    record.update(lists)
    record["legends"] = legends
    return record


def _saved(scene):
    """The last save: its dpi, the PNG's size, and whether the PNG is a crop (bbox_inches='tight') rather
    than the whole figure; when it is not, trace pixels × saved dpi / trace dpi are PNG pixels."""
    saved = scene.fig.__dict__.get(hooks.SAVED_ATTR)
    if saved is None:
        return None
    dpi, width, height = saved
    width_in, height_in = scene.fig.get_size_inches()
    whole = (int(width_in * dpi), int(height_in * dpi))  # Agg truncates the size to whole pixels
    return {
        "dpi": v.num(dpi),
        "widthPx": None if width is None else int(width),
        "heightPx": None if height is None else int(height),
        "cropped": None if width is None or height is None else (int(width), int(height)) != whole,
    }


def _string_of(text):
    if text is None or not text.get_visible():
        return None
    s = text.get_text()
    return str(s) if s else None


def _figure_children(scene, owner, lists, legends):
    """Artists of the figure and its subfigures that belong to no axes."""
    roles = {
        id(getattr(owner, "_suptitle", None)): "suptitle",
        id(getattr(owner, "_supxlabel", None)): "xlabel",
        id(getattr(owner, "_supylabel", None)): "ylabel",
    }
    for child in owner.get_children():
        if child is owner.patch or isinstance(child, maxes.Axes):
            continue
        if isinstance(child, mfigure.SubFigure):
            if child.get_visible():
                _figure_children(scene, child, lists, legends)
            continue
        try:
            if isinstance(child, mlegend.Legend):
                record = _legend(scene, child, None, lists["texts"], "legend")
                if record is not None:
                    legends.append(record)
            elif isinstance(child, mtext.Text):
                role = roles.get(id(child)) or ("annotation" if isinstance(child, mtext.Annotation) else "text")
                source = "set" if role in ("suptitle", "xlabel", "ylabel") else "created"
                _add_text(scene, child, None, role, lists, source=source)
            else:
                _add_element(scene, child, None, lists, {})
        except Exception as error:
            lists["other"].append(artists.unknown(child, error))


def _add_text(scene, text, ax, role, lists, source="created", tick=False, furniture=False):
    """A text into lists['texts']; an annotation's arrow into lists['patches'] (also when its text is '')."""
    if isinstance(text, mtext.Annotation) and not artists.annotation_drawn(scene, text):
        return None
    record = artists.text(scene, text, ax, role, source=source, tick=tick, furniture=furniture)
    if record is not None:
        lists["texts"].append(record)
    if isinstance(text, mtext.Annotation):
        arrow = artists.annotation_arrow(scene, text, ax, len(lists["texts"]) - 1 if record is not None else None)
        if arrow is not None:
            lists["patches"].append(arrow)
    return record


def _add_element(scene, child, ax, lists, groups):
    """Lines, patches, collections, images and anything else, into their lists."""
    if isinstance(child, mlines.Line2D):
        _append(lists["lines"], artists.line(scene, child, ax))
        return
    group = groups.get(id(child))
    if isinstance(child, mpatches.Patch):
        _append(lists["patches"], artists.patch(scene, child, ax, group))
    elif isinstance(child, mcollections.Collection):
        _append(lists["collections"], artists.collection(scene, child, ax, group))
    elif isinstance(child, mimage._ImageBase):
        _append(lists["images"], artists.image(scene, child, ax))
    else:
        record = artists.other(scene, child, ax)
        if record is not None:
            lists["other"].append(record)
            for text in artists.nested_texts(child):
                _add_text(scene, text, ax, "text", lists)


def _append(items, record):
    if record is not None:
        items.append(record)


# --- axes --------------------------------------------------------------------------------------


def _axes(scene, ax, index, parent_index, colorbar):
    lists = {name: [] for name in _ELEMENT_LISTS}

    def guarded(default, fn, *args):
        try:
            return fn(*args)
        except Exception as error:
            lists["other"].append(artists.unknown(ax, error))
            return default

    is_colorbar = colorbar is not None
    axis_on = _axis_on(ax)
    line, origin = artists.provenance(ax, "created")
    record = {
        "index": index,
        "kind": str(getattr(ax, "name", type(ax).__name__)),
        "is3d": getattr(ax, "name", "") == "3d",
        "isPolar": getattr(ax, "name", "") == "polar",
        "isColorbar": is_colorbar,
        "parent": parent_index,
        "bboxFrac": guarded(None, lambda: scene.bbox_frac(ax.get_position().transformed(scene.fig.transFigure))),
        "bboxPx": guarded(None, lambda: scene.bbox_px(ax.bbox)),
        "gridSpec": guarded(None, _grid_spec, ax),
        "axisOn": axis_on,
        "aspect": guarded(None, _aspect, ax),
        "faceColor": guarded(None, _face_color, ax),
        "spines": guarded({}, _spines, ax, axis_on),
    }
    grid = {}
    for name in ("x", "y", "z"):
        axis = getattr(ax, name + "axis", None) if name != "z" or record["is3d"] else None
        if axis is None:
            record[name + "axis"] = None
            continue
        role = "colorbar" if is_colorbar else name
        record[name + "axis"], grid[name] = guarded((None, False), _axis, scene, ax, axis_on, axis, name, role, lists)
    if record["is3d"] and hasattr(ax, "_draw_grid"):
        grid = {name: bool(ax._draw_grid) for name in grid}
    record["grid"] = grid
    titles = {}
    for key, attr in (("left", "_left_title"), ("center", "title"), ("right", "_right_title")):
        title = getattr(ax, attr, None)
        titles[key] = None
        if title is not None:
            role = "colorbar" if is_colorbar else "title"
            text = guarded(None, _add_text, scene, title, ax, role, lists, "set", False, True)
            titles[key] = text["text"] if text is not None else None
    record["titles"] = titles
    record["colorbar"] = guarded(None, _colorbar, colorbar) if is_colorbar else None
    record["containers"], groups = guarded(([], {}), _containers, ax)
    legend = ax.get_legend()
    record["legend"] = None
    skip = {id(ax.patch), id(legend), *(id(getattr(ax, a, None)) for a in ("title", "_left_title", "_right_title"))}
    text_role = "colorbar" if is_colorbar else None
    for child in ax.get_children():
        if id(child) in skip or isinstance(child, (mspines.Spine, maxis.Axis, maxes.Axes)):
            continue
        try:
            if isinstance(child, mtable.Table):
                _append(lists["tables"], _table(scene, child, ax, lists))
            elif isinstance(child, mtext.Text):
                role = text_role or ("annotation" if isinstance(child, mtext.Annotation) else "text")
                _add_text(scene, child, ax, role, lists)
            else:
                _add_element(scene, child, ax, lists, groups)
        except Exception as error:
            lists["other"].append(artists.unknown(child, error))
    if legend is not None:
        record["legend"] = guarded(None, _legend, scene, legend, ax, lists["texts"], text_role or "legend")
    record.update(lists)
    record["sourceLine"], record["sourceLineOrigin"] = line, origin
    return record


def _grid_spec(ax):
    get = getattr(ax, "get_subplotspec", None)
    spec = get() if get is not None else None
    if spec is None:
        return None
    nrows, ncols = spec.get_gridspec().get_geometry()
    rows, cols = spec.rowspan, spec.colspan
    return {
        "nrows": int(nrows),
        "ncols": int(ncols),
        "rowStart": int(rows.start),
        "rowStop": int(rows.stop),
        "colStart": int(cols.start),
        "colStop": int(cols.stop),
    }


def _aspect(ax):
    aspect = ax.get_aspect()
    if isinstance(aspect, str):
        return aspect
    return v.num(aspect, 6)


def _face_color(ax):
    return v.color_of_rgba(ax.patch.get_facecolor()) if ax.patch.get_visible() and ax.get_frame_on() else None


def _axis_on(ax):
    """ax.axis('off') turns this off; mplot3d keeps its own flag (it hides the 2-D axes machinery)."""
    return bool(getattr(ax, "_axis3don", ax.axison)) if getattr(ax, "name", "") == "3d" else bool(ax.axison)


def _spines(ax, axis_on):
    drawn = bool(axis_on and ax.get_frame_on())
    return {str(name): bool(drawn and spine.get_visible()) for name, spine in ax.spines.items()}


def _axis(scene, ax, axis_on, axis, name, role, lists):
    """(scale, limits, ticks and labels of one axis; whether its major grid is drawn).

    Its visible texts go into lists['texts']."""
    visible = bool(axis_on and axis.get_visible())
    tick_role = role if role == "colorbar" else role + "tick"
    label_role = role if role == "colorbar" else role + "label"
    record = {
        "scale": str(axis.get_scale()),
        "lim": [v.sig(x) for x in getattr(ax, "get_%slim" % name)()],
        "visible": visible,
        "ticks": [],
        "tickLabels": [],
        "minorTicks": [],
        "minorTickLabels": [],
        "label": None,
    }
    grid = False
    if not visible:
        return record, grid
    majors = {id(t) for t in axis.majorTicks}
    for tick in _drawn_ticks(axis):
        major = id(tick) in majors
        labels = []
        for label in (tick.label1, tick.label2):
            if label.get_visible():
                text = _add_text(scene, label, ax, tick_role, lists, source="axes", tick=True, furniture=True)
                if text is not None:
                    labels.append(text["text"])
        shown = labels[0] if labels else ""
        if major:
            record["ticks"].append(v.sig(tick.get_loc()))
            record["tickLabels"].append(shown)
            grid = grid or bool(tick.gridline.get_visible())
        elif shown:
            record["minorTicks"].append(v.sig(tick.get_loc()))
            record["minorTickLabels"].append(shown)
    _add_text(scene, axis.offsetText, ax, tick_role, lists, source="axes", tick=True, furniture=True)
    label = _add_text(scene, axis.label, ax, label_role, lists, source="set", furniture=True)
    record["label"] = label["text"] if label is not None else None
    return record, grid


def _drawn_ticks(axis):
    """The ticks inside the view limits with their labels as last drawn (recomputed without the hook)."""
    ticks = axis.__dict__.get(hooks.TICKS_ATTR)
    return ticks if ticks is not None else axis._update_ticks()


def _colorbar(colorbar):
    vertical = colorbar.orientation == "vertical"
    label_axis = colorbar.ax.yaxis if vertical else colorbar.ax.xaxis
    return {
        "orientation": str(colorbar.orientation),
        "cmap": str(colorbar.cmap.name),
        "vmin": v.sig(colorbar.norm.vmin),
        "vmax": v.sig(colorbar.norm.vmax),
        "label": label_axis.label.get_text() or None,
    }


_CONTAINER_KINDS = (
    (mcontainer.BarContainer, "bar"),
    (mcontainer.ErrorbarContainer, "errorbar"),
    (mcontainer.StemContainer, "stem"),
)


def _containers(ax):
    """Bar / errorbar / stem containers, and artist id → container index for the `group` fields."""
    records, groups = [], {}
    for index, container in enumerate(getattr(ax, "containers", ())):
        kind = next((name for cls, name in _CONTAINER_KINDS if isinstance(container, cls)), "other")
        children = container.get_children()
        for child in children:
            groups.setdefault(id(child), index)
        orientation = getattr(container, "orientation", None)
        records.append(
            {
                "index": index,
                "kind": kind,
                "label": v.label_of(container),
                "n": len(container.patches) if kind == "bar" else len(children),
                "orientation": str(orientation) if orientation else None,
            }
        )
    return records, groups


def _legend(scene, legend, ax, texts, role):
    if not legend.get_visible():
        return None
    handles = getattr(legend, "legend_handles", None)
    if handles is None:
        handles = getattr(legend, "legendHandles", [])
    entries = []
    for text, handle in zip(legend.get_texts(), list(handles) + [None] * len(legend.get_texts())):
        entries.append(dict(label=str(text.get_text()), **_legend_handle(handle)))
        artists_text = artists.text(scene, text, ax, role, source="created", furniture=True)
        if artists_text is not None:
            texts.append(artists_text)
    title = legend.get_title()
    title_record = artists.text(scene, title, ax, role, source="created", furniture=True)
    if title_record is not None:
        texts.append(title_record)
    line, origin = artists.provenance(legend, "created", ax)
    return {
        "title": title_record["text"] if title_record is not None else None,
        "entries": entries,
        # The frame was placed when the legend was drawn; asking the legend would rerun loc='best'.
        "bboxPx": scene.bbox_px(legend.get_frame().get_window_extent(scene.renderer)),
        "frameOn": bool(legend.get_frame_on()),
        "sourceLine": line,
        "sourceLineOrigin": origin,
    }


def _legend_handle(handle):
    """What a legend entry's key looks like: kind, colour, marker, linestyle."""
    if handle is None:
        return {"handle": "none", "color": None, "marker": None, "linestyle": None}
    if isinstance(handle, mlines.Line2D):
        linestyle = str(handle.get_linestyle())
        marker = artists._marker_name(handle.get_marker())
        draws_line = linestyle not in ("None", "none", "", " ")
        spec = handle.get_color() if draws_line or not marker else handle.get_markerfacecolor()
        return {"handle": "line", "color": v.color(spec, handle.get_alpha()), "marker": marker, "linestyle": linestyle}
    if isinstance(handle, mpatches.Patch):
        face = v.color_of_rgba(handle.get_facecolor()) if handle.get_fill() else None
        edge = v.color_of_rgba(handle.get_edgecolor())
        return {"handle": "patch", "color": face or edge, "marker": None, "linestyle": None}
    if isinstance(handle, mcollections.Collection):
        kind = "scatter" if isinstance(handle, mcollections.PathCollection) else "collection"
        face, _ = v.color_array(handle.get_facecolor())
        if face is None:
            face, _ = v.color_array(handle.get_edgecolor())
        return {"handle": kind, "color": face, "marker": None, "linestyle": None}
    return {"handle": "other", "color": None, "marker": None, "linestyle": None}


def _table(scene, table, ax, lists):
    if not table.get_visible():
        return None
    cells = []
    for (row, col), cell in sorted(table.get_celld().items()):
        if not cell.get_visible():
            continue
        text = cell.get_text()
        record = artists.text(scene, text, ax, "table", source="created", furniture=True)
        if record is not None:
            lists["texts"].append(record)
        cells.append({"row": int(row), "col": int(col), "text": str(text.get_text())})
    rows = sorted({c["row"] for c in cells})
    cols = sorted({c["col"] for c in cells})
    line, origin = artists.provenance(table, "created", ax)
    return {
        "rows": len(rows),
        "cols": len(cols),
        "cells": cells,
        "bboxPx": scene.bbox_px(table.get_window_extent(scene.renderer)),
        "sourceLine": line,
        "sourceLineOrigin": origin,
    }


# --- summary -----------------------------------------------------------------------------------

_PATCH_COUNTS = {
    "rectangle": "rectangles", "circle": "circles", "ellipse": "ellipses", "polygon": "polygons",
    "wedge": "wedges", "arrow": "arrows", "fancybox": "fancyboxes", "path": "paths",
}
_COLLECTION_COUNTS = {
    "scatter": "scatter", "line": "lineCollections", "poly": "polyCollections", "contour": "contours",
    "quadmesh": "meshes", "triangle": "meshes", "other": "otherCollections",
}
COUNT_KEYS = (
    "axes", "colorbars", "legends", "tables", "lines", *dict.fromkeys(_PATCH_COUNTS.values()),
    *dict.fromkeys(_COLLECTION_COUNTS.values()), "images", "texts", "tickLabels", "other", "unknown",
)


def summarize(figure_record, axes_records):
    """Counts per element type, visible strings and distinct colours, for the element-level metrics.

    Colorbar axes count as one `colorbars` each: their mesh, ticks and outline are not data elements (their
    strings still count as texts / tick labels). Colours are those of data elements (lines, patches,
    collections), in order of first appearance."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    texts, tick_labels, colors = [], [], {}
    owners = [(figure_record, False)] + [(a, bool(a["isColorbar"])) for a in axes_records]
    for owner, is_colorbar in owners:
        for text in owner["texts"]:
            if text["isTickLabel"]:
                tick_labels.append(text["text"])
                counts["tickLabels"] += 1
            else:
                texts.append(text["text"])
                counts["texts"] += 1
        for item in owner["other"]:
            counts["unknown" if item["kind"] == "unknown" else "other"] += 1
        if is_colorbar:
            counts["colorbars"] += 1
            continue
        if owner is not figure_record:
            counts["axes"] += 1
            counts["legends"] += owner["legend"] is not None
            counts["tables"] += len(owner["tables"])
        else:
            counts["legends"] += len(owner["legends"])
        counts["lines"] += len(owner["lines"])
        counts["images"] += len(owner["images"])
        for line in owner["lines"]:
            _collect_colors(colors, line["color"], line["markerFaceColor"], line["markerEdgeColor"])
        for patch in owner["patches"]:
            counts[_PATCH_COUNTS[patch["kind"]]] += 1
            _collect_colors(colors, patch["faceColor"], patch["edgeColor"])
        for coll in owner["collections"]:
            counts[_COLLECTION_COUNTS[coll["kind"]]] += 1
            _collect_colors(colors, coll["faceColor"], coll["edgeColor"])
            _collect_colors(colors, *(coll["faceColors"] or ()), *(coll["edgeColors"] or ()))
    return {"counts": counts, "texts": texts, "tickLabels": tick_labels, "colors": list(colors)}


def _collect_colors(found, *colors):
    for color in colors:
        if color is not None and len(found) < _MAX_COLORS:
            found.setdefault(color["hex"], None)
