"""One record per visible artist: texts, lines, patches, collections and images.

Each function takes the `Scene` and the owning axes (None for figure-level artists) and returns a plain
dict, or None when the artist draws nothing. The caller wraps each call, so one odd artist cannot spoil
the trace.

Coordinates: `data` fields are in the axes' data coordinates for artists in axes and in figure fraction for
figure-level artists (`coords` says which; `transform` says which coordinates the code gave); `px` fields
are pixels of the figure as last drawn, usually the saved PNG (origin top-left, y down; see figure.saved);
`posFrac`/`bboxFrac` are figure fractions with matplotlib's bottom-left origin.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib import cbook
from matplotlib import collections as mcollections
from matplotlib import patches as mpatches
from matplotlib import text as mtext

from . import hooks
from . import mathtext
from . import values as v


# --- provenance and common fields --------------------------------------------------------------


def provenance(artist, source="created", ax=None):
    """(sourceLine, sourceLineOrigin) of an artist.

    source 'created': the line that created it, else its axes' line. source 'set' (titles, axis labels):
    the line where the user set its string, else its axes' line. source 'axes' (tick labels, which
    matplotlib makes and remakes while drawing): its axes' line. Origins: created | set | axes | None."""
    if source == "set":
        line = artist.__dict__.get(hooks.TEXT_LINE_ATTR)
        if line is not None:
            return line, "set"
    elif source == "created":
        line = artist.__dict__.get(hooks.LINE_ATTR)
        if line is not None:
            return line, "created"
    if ax is not None:
        line = ax.__dict__.get(hooks.LINE_ATTR)
        if line is not None:
            return line, "axes"
    return None, None


def finish(artist, record, source="created", ax=None):
    """Adds the fields every element carries."""
    line, origin = provenance(artist, source, ax)
    record["zorder"] = v.num(artist.get_zorder())
    record["label"] = v.label_of(artist)
    record["gid"] = v.gid_of(artist)
    record["sourceLine"] = line
    record["sourceLineOrigin"] = origin
    return record


def is_drawn(artist):
    """Visible, and not made fully transparent by a scalar alpha of 0."""
    if not artist.get_visible():
        return False
    alpha = artist.get_alpha()
    return alpha is None or np.ndim(alpha) != 0 or float(alpha) > 0


def unknown(artist, error):
    """What a failed extraction leaves in the trace instead of an exception."""
    return {
        "kind": "unknown",
        "className": type(artist).__name__,
        "error": "%s: %s" % (type(error).__name__, error),
    }


def other(scene, artist, ax):
    """An artist the tracer has no schema for (AnnotationBbox, AnchoredText, QuiverKey, custom artists)."""
    if not is_drawn(artist):
        return None
    record = {"kind": "other", "className": type(artist).__name__, "bboxPx": None}
    try:
        bbox = artist.get_window_extent(scene.renderer)
        if bbox.width > 0 or bbox.height > 0:  # Artist's default answer is an empty box at the origin
            record["bboxPx"] = scene.bbox_px(bbox)
    except Exception:  # not every artist can measure itself
        pass
    return finish(artist, record, "created", ax)


def nested_texts(artist, depth=4):
    """Texts drawn inside another artist (the label of a QuiverKey, the text of an AnchoredText)."""
    found = []
    if depth == 0:
        return found
    own = getattr(artist, "text", None)  # QuiverKey keeps its label outside get_children()
    children = artist.get_children()
    if isinstance(own, mtext.Text) and own not in children:
        children = [*children, own]
    for child in children:
        if isinstance(child, mtext.Text):
            found.append(child)
        else:
            found.extend(nested_texts(child, depth - 1))
    return found


# --- texts -------------------------------------------------------------------------------------


def text(scene, artist, ax, role, source="created", tick=False, furniture=False):
    """A visible text; None when empty, hidden or transparent.

    furniture (titles, axis and tick labels, legend and table texts) has no data position."""
    if not is_drawn(artist):
        return None
    raw = artist.get_text()
    if raw is None:
        return None
    raw = str(raw)
    if raw.strip() == "":
        return None
    rgba = v.color(artist.get_color(), artist.get_alpha())
    if rgba is None:
        return None
    bbox = _text_extent(scene, artist, ax)
    cx, cy = (bbox.x0 + bbox.x1) / 2.0, (bbox.y0 + bbox.y1) / 2.0
    if not (math.isfinite(cx) and math.isfinite(cy)):
        return None  # a text at a non-finite position is not drawn
    is_math = _math_kind(artist, raw)
    rendered = mathtext.plain(raw, bool(is_math))
    record = {
        "role": role,
        "text": raw,
        "rendered": rendered if rendered != raw else None,
        "isMath": bool(is_math),
        "isTickLabel": tick,
        "posPx": scene.px_point(cx, cy),
        "posFrac": [v.num(cx / scene.width, v.FRAC_DECIMALS), v.num(cy / scene.height, v.FRAC_DECIMALS)],
        "bboxPx": scene.bbox_px(bbox),
        "coords": scene.space_name(ax),
        "data": None if furniture else _text_anchor(scene, artist, ax),
        "target": _annotation_target(scene, artist, ax) if isinstance(artist, mtext.Annotation) else None,
        "fontSize": v.num(artist.get_fontsize()),
        "color": rgba,
        "rotation": v.num(artist.get_rotation()),
        "ha": str(artist.get_horizontalalignment()),
        "va": str(artist.get_verticalalignment()),
        "weight": str(artist.get_fontweight()),
        "style": str(artist.get_fontstyle()),
        "family": _family(artist),
        "box": _text_box(artist),
    }
    return finish(artist, record, source, ax)


def _text_extent(scene, artist, ax):
    """The text's own box in display coordinates (an annotation's arrow not included).

    Text.get_window_extent re-sets the figure dpi on every call, which throws away every cached transform
    in the figure; the layout plus the anchor's display position is the same box without that cost."""
    if isinstance(artist, mtext.Annotation):
        artist.update_positions(scene.renderer)  # text and arrow placed for this renderer
    layout = getattr(artist, "_get_layout", None)
    if layout is None:
        return mtext.Text.get_window_extent(artist, scene.renderer)
    bbox = layout(scene.renderer)[0]
    x, y = scene.display(artist.get_transform(), _drawn_position(artist, ax))[0]
    return bbox.translated(x, y)


def _drawn_position(artist, ax):
    """Where the text is drawn from: mplot3d texts are projected with the axes' last view matrix."""
    z = getattr(artist, "_z", None)
    projection = getattr(ax, "M", None) if ax is not None else None
    if z is not None and projection is not None:
        from mpl_toolkits.mplot3d import proj3d

        x, y, _ = proj3d.proj_transform(artist._x, artist._y, z, projection)
        return (float(x), float(y))
    return artist.get_unitless_position()


def _math_kind(artist, raw):
    try:
        return artist._preprocess_math(raw)[1]  # True, False or 'TeX'
    except Exception:
        return cbook.is_math_text(raw)


def _text_anchor(scene, artist, ax):
    """Where the code placed the text (its anchor point), in data or figure coordinates."""
    # For annotations update_positions (called by _text_extent) set the transform of the text's coordinates.
    xy = scene.to_space(artist.get_unitless_position(), artist.get_transform(), ax)
    anchor = v.point(xy[0])
    z = getattr(artist, "_z", None)  # mpl_toolkits.mplot3d Text3D
    if z is not None and np.ndim(z) == 0:
        anchor.append(v.sig(z))
    return anchor


def _annotation_target(scene, artist, ax):
    """The annotated point (xy) in data or figure coordinates."""
    xycoords = artist.xycoords
    if isinstance(xycoords, str) and xycoords == ("data" if ax is not None else "figure fraction"):
        return v.point(artist.xy)
    display = artist._get_position_xy(scene.renderer)
    return v.point(scene.from_display(ax, display)[0])


def _family(artist):
    family = artist.get_fontfamily()
    if isinstance(family, (list, tuple)):
        return str(family[0]) if family else None
    return None if family is None else str(family)


def _text_box(artist):
    """The text's bbox patch (ax.text(..., bbox=dict(...))): style and colours."""
    patch = artist.get_bbox_patch()
    if patch is None or not patch.get_visible():
        return None
    return {
        "boxstyle": _style_name(patch.get_boxstyle(), mpatches.BoxStyle),
        "faceColor": v.color_of_rgba(patch.get_facecolor()),
        "edgeColor": v.color_of_rgba(patch.get_edgecolor()),
    }


# --- lines -------------------------------------------------------------------------------------


_NO_MARKERS = (None, "None", "none", "", " ")


def line(scene, artist, ax):
    """A Line2D (or mplot3d Line3D) with its points in data coordinates (capped, evenly subsampled)."""
    if not is_drawn(artist):
        return None
    marker = _marker_name(artist.get_marker())
    linestyle = str(artist.get_linestyle())
    linewidth = float(artist.get_linewidth())
    draws_line = linestyle not in ("None", "none", "", " ") and linewidth > 0
    rgba = v.color(artist.get_color(), artist.get_alpha())
    face = v.color(artist.get_markerfacecolor(), artist.get_alpha()) if marker else None
    edge = v.color(artist.get_markeredgecolor(), artist.get_alpha()) if marker else None
    if not ((draws_line and rgba is not None) or (marker and (face is not None or edge is not None))):
        return None
    xyz = _line_points(scene, artist, ax)
    n = len(xyz[0])
    keep = v.subsample_index(n)
    if keep is not None:
        xyz = [a[keep] for a in xyz]
    record = {
        "kind": "line",
        "className": type(artist).__name__,
        "coords": scene.space_name(ax),
        "x": v.data_list(xyz[0]),
        "y": v.data_list(xyz[1]),
    }
    record["z"] = v.data_list(xyz[2]) if len(xyz) == 3 else None
    record.update(
        {
            "n": n,
            "subsampled": keep is not None,
            "transform": v.space_of(artist.get_transform(), ax, scene.fig),
            "color": rgba if draws_line else None,
            "linewidth": v.num(linewidth),
            "linestyle": linestyle if draws_line else "None",
            "drawstyle": str(artist.get_drawstyle()),
            "marker": marker,
            "markerSize": v.num(artist.get_markersize()) if marker else None,
            "markerFaceColor": face,
            "markerEdgeColor": edge,
        }
    )
    return finish(artist, record, "created", ax)


def _marker_name(marker):
    if marker is None:
        return None
    if isinstance(marker, str):
        return None if marker in _NO_MARKERS else marker
    if isinstance(marker, (int, np.integer)):
        return str(int(marker))
    return type(marker).__name__  # a Path, MarkerStyle or vertex list


def _line_points(scene, artist, ax):
    data_3d = getattr(artist, "get_data_3d", None)
    if data_3d is not None:
        return [v.as_float_array(a).ravel() for a in data_3d()]
    xy = scene.to_space(artist.get_xydata(), artist.get_transform(), ax)
    return [xy[:, 0], xy[:, 1]]


# --- patches -----------------------------------------------------------------------------------


def patch(scene, artist, ax, group=None):
    """Rectangles, circles, ellipses, polygons, wedges, arrows, fancy boxes; anything else is a `path`."""
    if not is_drawn(artist):
        return None
    face = v.color_of_rgba(artist.get_facecolor()) if artist.get_fill() and _fillable(artist) else None
    linewidth = float(artist.get_linewidth())
    edge = v.color_of_rgba(artist.get_edgecolor()) if linewidth > 0 else None
    hatch = artist.get_hatch()
    if face is None and edge is None and not hatch:
        return None
    kind, data, px = _patch_geometry(scene, artist, ax)
    record = {
        "kind": kind,
        "className": type(artist).__name__,
        "coords": scene.space_name(ax),
        "transform": v.space_of(artist.get_data_transform(), ax, scene.fig),
        "data": data,
        "px": px,
        "faceColor": face,
        "edgeColor": edge,
        "linewidth": v.num(linewidth),
        "linestyle": str(artist.get_linestyle()),
        "hatch": hatch or None,
        "group": group,
        "textIndex": None,
    }
    return finish(artist, record, "created", ax)


def _fillable(p):
    """Line-like arrow styles ('->', '-[', ...) draw no face unless their heads are filled ('-|>')."""
    style = p.get_arrowstyle() if isinstance(p, mpatches.FancyArrowPatch) else None
    if style is None or not hasattr(style, "fillbegin"):
        return True
    return bool(style.fillbegin or style.fillend)


def _style_name(style, registry):
    """'->' for ArrowStyle.CurveB, 'round' for BoxStyle.Round: the name the user can write."""
    for name, cls in registry.get_styles().items():
        if type(style) is cls:
            return str(name)
    return type(style).__name__.lower()


def annotation_drawn(scene, annotation):
    """Annotations whose point is clipped away (annotation_clip) draw neither text nor arrow."""
    if not is_drawn(annotation):
        return False
    check = getattr(annotation, "_check_xy", None)
    return check is None or bool(check(scene.renderer))


def annotation_arrow(scene, annotation, ax, text_index):
    """The arrow an annotation draws from its text to the annotated point (text_index: its text, if drawn)."""
    arrow = annotation.arrow_patch
    if arrow is None or annotation.arrowprops is None:
        return None
    annotation.update_positions(scene.renderer)  # places the arrow for this renderer
    record = patch(scene, arrow, ax)
    if record is not None:
        line, origin = provenance(annotation, "created", ax)
        record["sourceLine"], record["sourceLineOrigin"] = line, origin
        record["textIndex"] = text_index
    return record


def _patch_geometry(scene, p, ax):
    """(kind, geometry in data/figure coordinates, geometry in pixels)."""
    native = p.get_data_transform()
    exact = native is scene.space_transform(ax)
    if isinstance(p, mpatches.Wedge):
        return ("wedge",) + _wedge(scene, p, ax, native, exact)
    if isinstance(p, mpatches.Circle):
        data, px = _ellipse(scene, p, ax, native, exact)
        return "circle", {"center": data["center"], "radius": data["radius"]}, px
    if isinstance(p, mpatches.Ellipse):
        data, px = _ellipse(scene, p, ax, native, exact)
        del data["radius"]
        return "ellipse", data, px
    if isinstance(p, (mpatches.FancyArrowPatch, mpatches.FancyArrow, mpatches.Arrow)):
        return ("arrow",) + _arrow(scene, p, ax, native, exact)
    if isinstance(p, mpatches.FancyBboxPatch):
        data, px = _box(scene, p, ax, native, exact, 0.0)
        data["boxstyle"] = _style_name(p.get_boxstyle(), mpatches.BoxStyle)
        return "fancybox", data, px
    if isinstance(p, mpatches.Rectangle):
        return ("rectangle",) + _box(scene, p, ax, native, exact, float(getattr(p, "angle", 0.0) or 0.0))
    if isinstance(p, mpatches.Polygon):
        xy = v.as_float_array(p.get_xy()).reshape(-1, 2)
        closed = bool(p.get_closed())
        if closed and len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
            xy = xy[:-1]  # matplotlib repeats the first vertex to close the polygon
        n = len(xy)
        xy = _capped(xy)
        data, px = _vertices(scene, xy if exact else scene.to_space(xy, native, ax), scene.display(native, xy), n)
        data["closed"] = closed
        return "polygon", data, px
    display = v.as_float_array(p.get_verts()).reshape(-1, 2)  # the outline, polygonised, in display coordinates
    kind = "polygon" if isinstance(p, (mpatches.RegularPolygon, mpatches.CirclePolygon)) else "path"
    if kind == "polygon" and len(display) > 1 and np.allclose(display[0], display[-1]):
        display = display[:-1]
    n = len(display)
    display = _capped(display)
    data, px = _vertices(scene, scene.from_display(ax, display), display, n)
    if kind == "polygon":
        data["closed"] = True
    return kind, data, px


def _capped(xy):
    keep = v.subsample_index(len(xy))
    return xy if keep is None else xy[keep]


def _vertices(scene, data_xy, display_xy, n):
    data = {"vertices": v.points(data_xy), "n": n, "subsampled": n > len(data_xy)}
    return data, {"vertices": scene.px_points(display_xy)}


def _box(scene, p, ax, native, exact, angle):
    """Rectangles and fancy boxes: x, y (the anchor corner), width, height, angle."""
    x, y, w, h = float(p.get_x()), float(p.get_y()), float(p.get_width()), float(p.get_height())
    if angle == 0.0:
        corners = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    else:
        corners = scene.display(p.get_patch_transform(), [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    if exact or angle != 0.0:
        data = {"x": v.sig(x), "y": v.sig(y), "width": v.sig(w), "height": v.sig(h)}
    else:
        (x0, y0), (x1, y1) = scene.to_space(corners[[0, 2]], native, ax)
        data = {"x": v.sig(x0), "y": v.sig(y0), "width": v.sig(x1 - x0), "height": v.sig(y1 - y0)}
    data["angle"] = v.num(angle)
    return data, _px_box(scene, scene.display(native, corners))


def _px_box(scene, display):
    """The pixel bounding box of display points: {x, y (top-left corner), width, height}."""
    lo, hi = display.min(axis=0), display.max(axis=0)
    return {
        "x": v.num(lo[0], v.PX_DECIMALS),
        "y": v.num(scene.height - hi[1], v.PX_DECIMALS),
        "width": v.num(hi[0] - lo[0], v.PX_DECIMALS),
        "height": v.num(hi[1] - lo[1], v.PX_DECIMALS),
    }


def _ellipse(scene, p, ax, native, exact):
    center = np.asarray(p.center, dtype=float).ravel()
    width, height = float(p.width), float(p.height)
    angle = float(getattr(p, "angle", 0.0) or 0.0)
    if exact:
        data = {"center": v.point(center), "radius": v.sig(width / 2.0), "width": v.sig(width), "height": v.sig(height)}
    else:
        c, right, up = scene.to_space([center, center + [width / 2.0, 0.0], center + [0.0, height / 2.0]], native, ax)
        rx, ry = float(np.hypot(*(right - c))), float(np.hypot(*(up - c)))
        data = {"center": v.point(c), "radius": v.sig(rx), "width": v.sig(2 * rx), "height": v.sig(2 * ry)}
    data["angle"] = v.num(angle)
    return data, _px_ellipse(scene, p, native, center, width, height, angle)


def _px_ellipse(scene, p, native, center, width, height, angle):
    """The ellipse on screen: centre, full width and height, counter-clockwise angle (degrees)."""
    m = scene.matrix(native)
    if m is None:  # log or polar axes: the outline's bounding box
        display = v.as_float_array(p.get_verts()).reshape(-1, 2)
        lo, hi = display.min(axis=0), display.max(axis=0)
        cx, cy = (lo + hi) / 2.0
        return {
            "center": scene.px_point(cx, cy),
            "width": v.num(hi[0] - lo[0], v.PX_DECIMALS),
            "height": v.num(hi[1] - lo[1], v.PX_DECIMALS),
            "angle": 0.0,
        }
    theta = math.radians(angle)
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    u, s, _ = np.linalg.svd(m[:2, :2] @ rotation @ np.diag([width / 2.0, height / 2.0]))
    on_screen = (math.degrees(math.atan2(u[1, 0], u[0, 0])) + 90.0) % 180.0 - 90.0
    cx, cy = m[:2, :2] @ center + m[:2, 2]
    return {
        "center": scene.px_point(cx, cy),
        "width": v.num(2 * s[0], v.PX_DECIMALS),
        "height": v.num(2 * s[1], v.PX_DECIMALS),
        "angle": v.num(on_screen),
    }


def _wedge(scene, p, ax, native, exact):
    center = np.asarray(p.center, dtype=float).ravel()
    r = float(p.r)
    points = np.array([center, center + [r, 0.0]])
    c, edge = scene.to_space(points, native, ax)
    data = {
        "center": v.point(c),
        "r": v.sig(r if exact else float(np.hypot(*(edge - c)))),
        "theta1": v.num(p.theta1),
        "theta2": v.num(p.theta2),
        "width": None if p.width is None else v.sig(p.width),
    }
    d_center, d_edge = scene.display(native, points)
    return data, {"center": scene.px_point(*d_center), "r": v.num(float(np.hypot(*(d_edge - d_center))), v.PX_DECIMALS)}


def _arrow(scene, p, ax, native, exact):
    """Tail and head of FancyArrowPatch (incl. annotation arrows), FancyArrow (ax.arrow) and Arrow."""
    given = None
    if isinstance(p, mpatches.ConnectionPatch):  # its ends live in two coordinate systems, maybe two axes
        display = np.array([p._get_xy(p.xy1, p.coords1, p.axesA), p._get_xy(p.xy2, p.coords2, p.axesB)], dtype=float)
    elif isinstance(p, mpatches.FancyArrowPatch):
        positions = getattr(p, "_posA_posB", None)
        if positions is not None and positions[0] is not None:
            given = np.asarray(positions, dtype=float)
            display = scene.display(native, given)
        else:  # arrows given as a path: the drawn path's ends
            vertices = p.get_path().vertices
            display = scene.display(p.get_transform(), vertices[[0, -1]])
    elif isinstance(p, mpatches.FancyArrow):
        x, y, dx, dy = (float(getattr(p, name)) for name in ("_x", "_y", "_dx", "_dy"))
        given = np.array([[x, y], [x + dx, y + dy]])
        display = scene.display(native, given)
    else:  # Arrow: the unit arrow (0, 0) → (1, 0) under its patch transform
        display = scene.display(native, scene.display(p.get_patch_transform(), [[0.0, 0.0], [1.0, 0.0]]))
    tail, head = given if (exact and given is not None) else scene.from_display(ax, display)
    style = _style_name(p.get_arrowstyle(), mpatches.ArrowStyle) if isinstance(p, mpatches.FancyArrowPatch) else None
    data = {"tail": v.point(tail), "head": v.point(head), "arrowstyle": style}
    return data, {"tail": scene.px_point(*display[0]), "head": scene.px_point(*display[1])}


# --- collections -------------------------------------------------------------------------------


def collection(scene, artist, ax, group=None):
    """Scatter, line, poly (fill_between), quadmesh, contour, triangle or other collections.

    A contour set is one record whatever the matplotlib version: before 3.8 it is one collection per level
    (tagged by the creation hook), from 3.8 on it is a collection itself."""
    if not is_drawn(artist):
        return None
    contour = _contour_set(artist)
    members = [artist]
    if contour is not None and contour is not artist:
        if id(contour) in scene.seen_contours:
            return None
        scene.seen_contours.add(id(contour))
        members = [c for c in contour.collections if c.get_visible()]
    for member in members:
        member.update_scalarmappable()  # the colours drawn from the colormap
    faces = np.concatenate([np.asarray(m.get_facecolor(), float).reshape(-1, 4) for m in members])
    edges = np.concatenate([np.asarray(m.get_edgecolor(), float).reshape(-1, 4) for m in members])
    widths = np.concatenate([np.asarray(m.get_linewidths(), float).ravel() for m in members])
    stroked = bool((widths > 0).any())
    if not (v.any_visible_alpha(faces) or (stroked and v.any_visible_alpha(edges))):
        return None
    kind = _collection_kind(artist, contour)
    face, face_list = v.color_array(faces)
    edge, edge_list = v.color_array(edges) if stroked else (None, None)
    record = {
        "kind": kind,
        "className": type(contour if contour is not None else artist).__name__,
        "coords": scene.space_name(ax),
        "transform": v.space_of(artist.get_transform(), ax, scene.fig),
        "n": 0,
        "faceColor": face,
        "faceColors": face_list,
        "edgeColor": edge,
        "edgeColors": edge_list,
        "linewidths": _uniform_or_list(widths, v.num),
        "subsampled": False,
        "offsets": None,
        "sizes": None,
        "vectors": None,
        "segments": None,
        "paths": None,
        "shape": None,
        "levels": None,
        "filled": None,
    }
    record.update(_mappable(contour if contour is not None else artist))
    record.update(_COLLECTION_GEOMETRY[kind](scene, artist, ax, contour))
    record["group"] = group
    return finish(artist, record, "created", ax)


def _contour_set(artist):
    tagged = artist.__dict__.get(hooks.CONTOUR_ATTR)
    if tagged is not None:
        return tagged
    return artist if _is_contour_set(artist) else None


def _is_contour_set(artist):
    from matplotlib import contour as mcontour

    return isinstance(artist, mcontour.ContourSet)


def _collection_kind(artist, contour):
    if contour is not None:
        return "contour"
    name = type(artist).__name__
    if name in ("Quiver", "Barbs"):
        return "other"
    if name == "PolyQuadMesh" or isinstance(artist, mcollections.QuadMesh):
        return "quadmesh"
    if isinstance(artist, mcollections.TriMesh):
        return "triangle"
    if isinstance(artist, mcollections.PathCollection):
        return "scatter"
    if isinstance(artist, mcollections.LineCollection):
        return "line"
    if isinstance(artist, mcollections.PolyCollection):
        return "poly"
    return "other"


def _uniform_or_list(a, fmt):
    """One value when all items share it, else the per-item list (capped)."""
    a = np.asarray(a, dtype=float).ravel()
    if a.size == 0:
        return None
    if a.size == 1 or bool((a == a[0]).all()):
        return fmt(a[0])
    return [fmt(x) for x in a[: v.MAX_ITEMS]]


def _mappable(artist):
    """Colormap, norm range and the mapped values, when colours come from data."""
    values = artist.get_array() if hasattr(artist, "get_array") else None
    if values is None:
        return {"cmap": None, "norm": None, "values": None}
    norm = artist.norm
    values = np.ma.ravel(values)
    return {
        "cmap": str(artist.get_cmap().name),
        "norm": {"kind": type(norm).__name__, "vmin": v.sig(norm.vmin), "vmax": v.sig(norm.vmax)},
        "values": v.data_list(values[: v.MAX_ITEMS]),
    }


def _offset_transform(artist):
    get_transform = getattr(artist, "get_offset_transform", None)
    return get_transform() if get_transform is not None else artist._transOffset


def _offset_points(scene, artist, ax):
    """(columns of offsets in reported coordinates, original count)."""
    offsets3d = getattr(artist, "_offsets3d", None)  # mplot3d Path3DCollection / Patch3DCollection
    if offsets3d is not None:
        columns = [v.as_float_array(c).ravel() for c in offsets3d]
        return columns, len(columns[0])
    offsets = v.as_float_array(artist.get_offsets()).reshape(-1, 2)
    xy = scene.to_space(offsets, _offset_transform(artist), ax)
    return [xy[:, 0], xy[:, 1]], len(xy)


def _scatter_geometry(scene, artist, ax, contour):
    """Markers at offsets: their positions are what the code gave (the marker paths are in points)."""
    columns, n = _offset_points(scene, artist, ax)
    keep = v.subsample_index(n)
    if keep is not None:
        columns = [c[keep] for c in columns]
    offsets = {
        "x": v.data_list(columns[0]),
        "y": v.data_list(columns[1]),
        "z": v.data_list(columns[2]) if len(columns) == 3 else None,
    }
    sizes = artist.get_sizes() if hasattr(artist, "get_sizes") else ()
    geometry = {
        "transform": v.space_of(_offset_transform(artist), ax, scene.fig),
        "n": n,
        "subsampled": keep is not None,
        "offsets": offsets,
        "sizes": _uniform_or_list(sizes, v.sig) if np.size(sizes) else None,
    }
    if type(artist).__name__ == "Quiver":
        geometry["vectors"] = {
            "u": v.data_list(np.ma.ravel(artist.U)[: v.MAX_POINTS]),
            "v": v.data_list(np.ma.ravel(artist.V)[: v.MAX_POINTS]),
        }
    return geometry


def _other_geometry(scene, artist, ax, contour):
    """Quiver, barbs, ellipse and circle collections are markers at offsets; patch collections are paths."""
    if not isinstance(artist, mcollections.PatchCollection):
        offsets = artist.get_offsets()
        if np.size(offsets) > 0 and not (len(offsets) == 1 and not np.any(offsets)):  # (0, 0): no offsets
            return _scatter_geometry(scene, artist, ax, contour)
    return {"n": len(artist.get_paths())}


def _polylines(scene, parts, transform, ax):
    """Point lists (segments or path vertices) in reported coordinates, capped at MAX_POINTS in all.

    Converted and rounded as one array: collections such as streamplot hold thousands of tiny segments."""
    arrays, total = [], 0
    for part in parts:
        if total >= v.MAX_POINTS:
            break
        a = v.as_float_array(part)
        a = a.reshape(-1, a.shape[-1] if a.ndim == 2 else 2)[: v.MAX_POINTS - total]
        arrays.append(a)
        total += len(a)
    if not arrays:
        return []
    dims = arrays[0].shape[1]
    stacked = np.concatenate([a.reshape(-1, dims) for a in arrays])
    if dims == 2:  # mplot3d keeps its own 3-D segments in data coordinates
        stacked = scene.to_space(stacked, transform, ax)
    rows = [list(p) for p in zip(*(v.data_list(stacked[:, k]) for k in range(dims)))]
    out, start = [], 0
    for a in arrays:
        out.append(rows[start : start + len(a)])
        start += len(a)
    return out


def _line_geometry(scene, artist, ax, contour):
    segments = getattr(artist, "_segments3d", None)
    if segments is None:  # the paths' vertices: get_segments() re-iterates every path, far slower
        segments = [p.vertices for p in artist.get_paths()]
    total = sum(len(s) for s in segments)
    return {
        "n": len(segments),
        "subsampled": total > v.MAX_POINTS,
        "segments": _polylines(scene, segments, artist.get_transform(), ax),
    }


def _poly_geometry(scene, artist, ax, contour):
    paths = artist.get_paths()
    if getattr(artist, "_vec", None) is not None:  # mplot3d Poly3DCollection: paths are 2-D projections
        return {"n": len(paths), "subsampled": False, "paths": None}
    total = sum(len(p.vertices) for p in paths)
    return {
        "n": len(paths),
        "subsampled": total > v.MAX_POINTS,
        "paths": _polylines(scene, (p.vertices for p in paths), artist.get_transform(), ax),
    }


def _mesh_geometry(scene, artist, ax, contour):
    coordinates = getattr(artist, "get_coordinates", None)
    shape = np.shape(coordinates()) if coordinates is not None else ()
    if len(shape) == 3:
        return {"n": (shape[0] - 1) * (shape[1] - 1), "shape": [int(shape[0]) - 1, int(shape[1]) - 1]}
    return {"n": len(artist.get_paths()), "shape": None}


def _triangle_geometry(scene, artist, ax, contour):
    triangulation = getattr(artist, "_triangulation", None)
    n = len(triangulation.triangles) if triangulation is not None else len(artist.get_paths())
    return {"n": int(n)}


def _contour_geometry(scene, artist, ax, contour):
    levels = np.asarray(contour.levels, dtype=float).ravel()
    return {"n": int(levels.size), "levels": v.data_list(levels[: v.MAX_ITEMS]), "filled": bool(contour.filled)}


_COLLECTION_GEOMETRY = {
    "scatter": _scatter_geometry,
    "line": _line_geometry,
    "poly": _poly_geometry,
    "quadmesh": _mesh_geometry,
    "triangle": _triangle_geometry,
    "contour": _contour_geometry,
    "other": _other_geometry,
}


# --- images ------------------------------------------------------------------------------------


def image(scene, artist, ax):
    """AxesImage (imshow, matshow), FigureImage (figimage) and other images."""
    if not is_drawn(artist):
        return None
    array = artist.get_array()
    shape = [int(s) for s in np.shape(array)] if array is not None else None
    scalar = shape is not None and len(shape) == 2
    extent = None
    if ax is not None and hasattr(artist, "get_extent"):
        extent = [v.sig(e) for e in artist.get_extent()]
    try:
        bbox = scene.bbox_px(artist.get_window_extent(scene.renderer))
    except Exception:  # FigureImage and BboxImage cannot always measure themselves
        bbox = None
    record = {
        "kind": "image",
        "className": type(artist).__name__,
        "coords": scene.space_name(ax),
        "extent": extent,
        "shape": shape,
        "bboxPx": bbox,
        "cmap": str(artist.get_cmap().name) if scalar else None,
        "norm": {"kind": type(artist.norm).__name__, "vmin": v.sig(artist.norm.vmin), "vmax": v.sig(artist.norm.vmax)}
        if scalar
        else None,
        "interpolation": str(artist.get_interpolation()) if hasattr(artist, "get_interpolation") else None,
        "origin": str(getattr(artist, "origin", None) or "upper"),
        "alpha": v.num(artist.get_alpha()) if np.ndim(artist.get_alpha()) == 0 else None,
    }
    return finish(artist, record, "created", ax)
