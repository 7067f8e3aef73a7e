"""The execution tracer (the CodePercept paper's ξ): what a matplotlib figure contains, and which line
of the user's code drew each part.

The render worker calls, in the forked child that runs one job:

    install_creation_hook(user_filename)   # before exec(compile(code, user_filename, 'exec'), ns)
    ...user code runs, the figure is saved...
    trace = trace_figure(fig, user_filename)  # a JSON-ready dict, schema below

The schema (mirrored by main/render/traceTypes.ts, bump SCHEMA_VERSION on any change):
    {schemaVersion, error, figure: {size, dpi, colours, suptitle, figure-level texts/lines/patches/
     collections/images/legends/other}, axes: [{position, grid slot, x/y/z axis (scale, limits, ticks,
     labels), titles, legend, containers, texts, lines, patches, collections, images, tables, other}],
     summary: {counts, texts, tickLabels, colors}}
"""
from __future__ import annotations

import warnings

import numpy as np

from . import figure as _figure
from . import hooks as _hooks

SCHEMA_VERSION = _figure.SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "install_creation_hook", "trace_figure"]


def install_creation_hook(user_filename: str) -> None:
    """Make every artist created from now on remember the line of `user_filename` that created it.

    Idempotent: a second call only changes the file name looked for."""
    _hooks.install(user_filename)


def trace_figure(fig, user_filename: str) -> dict:
    """The trace of a drawn figure; never raises (a failed artist becomes a `kind: 'unknown'` record).

    Source lines were recorded by install_creation_hook for `user_filename`; without the hook they are None."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return _figure.trace(fig)
    except Exception as error:  # the figure itself is unreadable: keep the shape, say why
        return _figure.failed(error)
