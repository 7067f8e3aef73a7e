"""The figure being traced: its renderer, pixel size, and fast coordinate conversions.

matplotlib's transform objects re-derive their matrices on every call; a trace converts a few points per
artist for hundreds of artists, so affine transforms (every linear axes) are reduced to their 3×3 matrix
once and applied with numpy."""
from __future__ import annotations

import numpy as np

from . import values as v


class Scene:
    def __init__(self, fig, renderer):
        self.fig = fig
        self.renderer = renderer
        self.width = float(fig.bbox.width) or 1.0
        self.height = float(fig.bbox.height) or 1.0
        self.seen_contours = set()
        self._matrices = {}  # id(transform) → (transform, 3×3 matrix or None when not affine)
        self._inverses = {}  # id(axes or None) → (transform, inverse matrix or inverted transform)

    # --- conversions ---------------------------------------------------------------------------

    def space_transform(self, ax):
        """The transform of the coordinates elements are reported in: data for axes, figure fraction otherwise."""
        return ax.transData if ax is not None else self.fig.transFigure

    def space_name(self, ax):
        return "data" if ax is not None else "figure"

    def display(self, transform, xy):
        """Points (anything reshapeable to (N, 2)) → display coordinates, (N, 2) array."""
        xy = v.as_float_array(xy).reshape(-1, 2)
        m = self._matrix(transform)
        if m is None:
            return np.asarray(transform.transform(xy), dtype=float).reshape(-1, 2)
        return xy @ m[:2, :2].T + m[:2, 2]

    def from_display(self, ax, display_xy):
        """Display coordinates → reported coordinates (data for axes artists, figure fraction otherwise)."""
        display_xy = np.asarray(display_xy, dtype=float).reshape(-1, 2)
        key = id(ax)
        entry = self._inverses.get(key)
        if entry is None:
            forward = self.space_transform(ax)
            m = self._matrix(forward)
            entry = self._inverses[key] = (forward, np.linalg.inv(m) if m is not None else forward.inverted())
        inverse = entry[1]
        if isinstance(inverse, np.ndarray):
            return display_xy @ inverse[:2, :2].T + inverse[:2, 2]
        return np.asarray(inverse.transform(display_xy), dtype=float).reshape(-1, 2)

    def to_space(self, xy, transform, ax):
        """Points in an artist's own coordinates → reported coordinates (untouched when they already are)."""
        xy = v.as_float_array(xy).reshape(-1, 2)
        if transform is self.space_transform(ax):
            return xy
        return self.from_display(ax, self.display(transform, xy))

    def matrix(self, transform):
        """The 3×3 matrix of an affine transform, else None."""
        return self._matrix(transform)

    def _matrix(self, transform):
        entry = self._matrices.get(id(transform))
        if entry is None:
            m = np.array(transform.get_affine().get_matrix(), dtype=float) if transform.is_affine else None
            entry = self._matrices[id(transform)] = (transform, m)  # keeps the transform alive: ids stay unique
        return entry[1]

    # --- pixels (an image's frame: origin top-left, y down) ---------------------------------------

    def px_points(self, display_xy):
        a = np.asarray(display_xy, dtype=float).reshape(-1, 2)
        xs = v.fixed_list(a[:, 0], v.PX_DECIMALS)
        ys = v.fixed_list(self.height - a[:, 1], v.PX_DECIMALS)
        return [[x, y] for x, y in zip(xs, ys)]

    def px_point(self, x, y):
        return [v.num(x, v.PX_DECIMALS), v.num(self.height - y, v.PX_DECIMALS)]

    def bbox_px(self, bbox):
        """A display Bbox as [x0, y0, x1, y1] in image pixels (y0 is the top edge)."""
        return [
            v.num(bbox.x0, v.PX_DECIMALS),
            v.num(self.height - bbox.y1, v.PX_DECIMALS),
            v.num(bbox.x1, v.PX_DECIMALS),
            v.num(self.height - bbox.y0, v.PX_DECIMALS),
        ]

    def bbox_frac(self, bbox):
        """A display Bbox as [x0, y0, x1, y1] in figure fraction (matplotlib's frame: origin bottom-left)."""
        return [
            v.num(bbox.x0 / self.width, v.FRAC_DECIMALS),
            v.num(bbox.y0 / self.height, v.FRAC_DECIMALS),
            v.num(bbox.x1 / self.width, v.FRAC_DECIMALS),
            v.num(bbox.y1 / self.height, v.FRAC_DECIMALS),
        ]
