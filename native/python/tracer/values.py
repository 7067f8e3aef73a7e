"""Plain, rounded, JSON-safe values: numbers, point lists, colours and coordinate spaces."""
from __future__ import annotations

import math

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import transforms as mtransforms

# How many decimals each kind of number keeps: enough for metrics, small and deterministic.
DATA_DIGITS = 6  # significant digits for data coordinates
FRAC_DECIMALS = 4  # figure / axes fractions
PX_DECIMALS = 2  # pixels
SIZE_DECIMALS = 3  # points, line widths, alphas, angles

# Per-element caps so one huge plot cannot blow up the trace.
MAX_POINTS = 2000
MAX_ITEMS = 2000


def num(value, decimals=SIZE_DECIMALS):
    """A finite float rounded to `decimals`, or None (NaN, inf, masked, not a number)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    return round(v, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def sig(value, digits=DATA_DIGITS):
    """A finite float kept to `digits` significant digits, or None."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    return float("%.*g" % (digits, v)) + 0.0


def as_float_array(values):
    """A float ndarray with masked entries as NaN."""
    if np.ma.isMaskedArray(values):
        return np.ma.filled(values.astype(float), np.nan)
    return np.asarray(values, dtype=float)


def data_list(values, digits=DATA_DIGITS):
    """1-D data values rounded to `digits` significant digits of the largest one; non-finite → None."""
    a = as_float_array(values).ravel()
    if a.size == 0:
        return []
    finite = np.isfinite(a)
    all_finite = bool(finite.all())
    scale = float(np.max(np.abs(a))) if all_finite else (float(np.max(np.abs(a[finite]))) if finite.any() else 0.0)
    decimals = digits - 1 - int(math.floor(math.log10(scale))) if scale > 0 else digits
    rounded = (np.round(a, decimals) + 0.0).tolist()
    if all_finite:
        return rounded
    return [v if ok else None for v, ok in zip(rounded, finite.tolist())]


def fixed_list(values, decimals):
    """1-D values rounded to a fixed number of decimals; non-finite → None."""
    a = as_float_array(values).ravel()
    finite = np.isfinite(a)
    rounded = (np.round(a, decimals) + 0.0).tolist()
    if finite.all():
        return rounded
    return [v if ok else None for v, ok in zip(rounded, finite.tolist())]


def subsample_index(n, cap=MAX_POINTS):
    """Evenly spaced indices (first and last kept) when n exceeds cap, else None."""
    if n <= cap:
        return None
    return np.unique(np.linspace(0, n - 1, cap).round().astype(int))


def points(xy, digits=DATA_DIGITS):
    """An (N, 2) array as [[x, y], ...] rounded like data_list (per column)."""
    a = as_float_array(xy).reshape(-1, 2)
    xs = data_list(a[:, 0], digits)
    ys = data_list(a[:, 1], digits)
    return [[x, y] for x, y in zip(xs, ys)]


def point(xy, digits=DATA_DIGITS):
    return [sig(xy[0], digits), sig(xy[1], digits)]


def label_of(artist):
    """The user's label, or None for matplotlib's placeholders (`_child0`, `_nolegend_`, ...)."""
    label = artist.get_label()
    if label is None:
        return None
    label = str(label)
    if label == "" or label.startswith("_"):
        return None
    return label


def gid_of(artist):
    gid = artist.get_gid()
    return None if gid is None else str(gid)


# --- colours -----------------------------------------------------------------------------------


def color_of_rgba(rgba):
    """{'hex': '#rrggbb', 'alpha': a} for an RGBA sequence; None when fully transparent or invalid.

    Memoised: plots repeat a handful of colours thousands of times. The dicts are shared, never mutate them."""
    try:
        key = tuple(rgba.tolist()) if isinstance(rgba, np.ndarray) else tuple(rgba)
    except TypeError:
        return None
    found = _COLORS.get(key, _MISSING)
    if found is not _MISSING:
        return found
    try:
        r, g, b, a = (float(c) for c in key)
    except (TypeError, ValueError):
        return None
    found = None
    if math.isfinite(a) and a > 0:
        hex_code = "#%02x%02x%02x" % (_channel(r), _channel(g), _channel(b))
        found = {"hex": hex_code, "alpha": round(a, SIZE_DECIMALS) + 0.0}
    if len(_COLORS) < 4096:
        _COLORS[key] = found
    return found


_COLORS = {}
_MISSING = object()


def _channel(c):
    return min(255, max(0, int(round(c * 255)))) if math.isfinite(c) else 0


def color(spec, alpha=None):
    """A colour as matplotlib understands it (name, 'C0', tuple, ...) combined with an artist alpha."""
    if spec is None:
        return None
    if isinstance(spec, str) and spec.lower() == "none":
        return None
    try:
        return color_of_rgba(mcolors.to_rgba(spec, alpha))
    except (TypeError, ValueError):
        return None


def color_array(rgba):
    """(uniform colour or None, per-item list or None) for an (N, 4) colour array.

    One colour for all items goes in the first slot; varying colours go in the list (capped)."""
    a = np.asarray(rgba, dtype=float).reshape(-1, 4)
    if a.shape[0] == 0:
        return None, None
    if a.shape[0] == 1 or bool((a == a[0]).all()):
        return color_of_rgba(a[0]), None
    return None, [color_of_rgba(c) for c in a[:MAX_ITEMS].tolist()]


def any_visible_alpha(rgba):
    a = np.asarray(rgba, dtype=float).reshape(-1, 4)
    return bool(a.shape[0] > 0 and (a[:, 3] > 0).any())


# --- coordinate spaces -------------------------------------------------------------------------


def space_of(transform, ax, fig):
    """Which coordinates an artist's own numbers are in: data | axes | figure | display | blended | other."""
    if ax is not None:
        if transform is ax.transData:
            return "data"
        if transform is ax.transAxes:
            return "axes"
    if transform is fig.transFigure or transform is getattr(fig, "transSubfigure", None):
        return "figure"
    if isinstance(transform, mtransforms.IdentityTransform):
        return "display"
    if isinstance(transform, (mtransforms.BlendedGenericTransform, mtransforms.BlendedAffine2D)):
        return "blended"
    return "other"
