"""Creation hooks: every artist remembers the line of user code that made it.

Installed once in the render worker's child, before the user's code runs. The hooks are a frame walk
(`sys._getframe`, stop at the first frame of the user's file) and an attribute store, so they stay cheap
even for plots that create thousands of artists. While a figure draws, nothing is attributed to the user's
line that triggered the draw (plt.savefig, plt.show): what drawing creates or rewrites is matplotlib's doing.
"""
from __future__ import annotations

import functools
import sys

from matplotlib import artist as martist
from matplotlib import axis as maxis
from matplotlib import backend_bases
from matplotlib import collections as mcollections
from matplotlib import contour as mcontour
from matplotlib import figure as mfigure
from matplotlib import text as mtext

# Attributes stored on artists (and figures).
LINE_ATTR = "_codepercept_line"  # line that created the artist
TEXT_LINE_ATTR = "_codepercept_text_line"  # line that last set a Text's string from user code
CONTOUR_ATTR = "_codepercept_contour"  # matplotlib < 3.8: the ContourSet a level collection belongs to
DRAWN_ATTR = "_codepercept_drawn"  # (dpi, canvas width, canvas height) of the figure's last draw
SAVED_ATTR = "_codepercept_saved"  # the same for its last draw inside a save (print_figure)
TICKS_ATTR = "_codepercept_ticks"  # the ticks an Axis drew last (Axis._update_ticks' result)

_MARK = "_codepercept_hook"

_user_filename = None
_drawing = 0  # depth of Figure.draw calls in progress
_saving = 0  # depth of print_figure calls in progress


def user_line(depth=2):
    """1-based line of the innermost frame running the user's file, or None (also while drawing)."""
    target = _user_filename
    if target is None or _drawing:
        return None
    frame = sys._getframe(depth)
    while frame is not None:
        if frame.f_code.co_filename == target:
            return frame.f_lineno
        frame = frame.f_back
    return None


def install(user_filename):
    global _user_filename
    _user_filename = user_filename
    _patch(martist.Artist, "__init__", _wrap_artist_init)
    _patch(mtext.Text, "set_text", _wrap_set_text)
    _patch(mfigure.Figure, "draw", _wrap_figure_draw)
    _patch(backend_bases.FigureCanvasBase, "print_figure", _wrap_print_figure)
    if "_update_ticks" in maxis.Axis.__dict__:
        _patch(maxis.Axis, "_update_ticks", _wrap_update_ticks)
    if not issubclass(mcontour.ContourSet, mcollections.Collection):
        _patch(mcontour.ContourSet, "__init__", _wrap_contour_init)


def uninstall():
    """Puts matplotlib back as it was (for tests that share a process with other suites)."""
    global _user_filename
    _user_filename = None
    while _originals:
        (cls, name), original = _originals.popitem()
        setattr(cls, name, original)


_originals = {}


def _patch(cls, name, wrap):
    original = cls.__dict__[name]
    if getattr(original, _MARK, False):
        return  # already installed (idempotent)
    wrapped = functools.wraps(original)(wrap(original))
    setattr(wrapped, _MARK, True)
    _originals[(cls, name)] = original
    setattr(cls, name, wrapped)


def _wrap_artist_init(original):
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.__dict__[LINE_ATTR] = user_line()

    return __init__


def _wrap_set_text(original):
    def set_text(self, s):
        original(self, s)
        # Text.__init__ sets '' first; only a real string says where the user set it.
        if s is not None and not (isinstance(s, str) and s == ""):
            line = user_line()
            if line is not None:
                self.__dict__[TEXT_LINE_ATTR] = line

    return set_text


def _wrap_figure_draw(original):
    # Records the dpi and canvas size of each draw: the trace is taken in the frame of the last one, and the
    # last one inside a save tells the saved PNG's dpi and size (cropped by bbox_inches='tight' or not).
    def draw(self, renderer, *args, **kwargs):
        global _drawing
        _drawing += 1
        try:
            result = original(self, renderer, *args, **kwargs)
        finally:
            _drawing -= 1
        drawn = (float(self.dpi), getattr(renderer, "width", None), getattr(renderer, "height", None))
        self.__dict__[DRAWN_ATTR] = drawn
        if _saving:
            self.__dict__[SAVED_ATTR] = drawn
        return result

    return draw


def _wrap_print_figure(original):
    def print_figure(self, *args, **kwargs):
        global _saving
        _saving += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            _saving -= 1

    return print_figure


def _wrap_update_ticks(original):
    # Drawing computes the visible ticks and their labels; keeping them spares the tracer doing it again.
    def _update_ticks(self, *args, **kwargs):
        ticks = original(self, *args, **kwargs)
        self.__dict__[TICKS_ATTR] = ticks
        return ticks

    return _update_ticks


def _wrap_contour_init(original):
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        for collection in getattr(self, "collections", ()):
            collection.__dict__[CONTOUR_ATTR] = self

    return __init__
