"""The bundled fonts (resources/fonts): registered once in the zygote, preferred over same-named system fonts.

Every .ttf/.otf/.ttc in the folder is registered, so a user who drops a CJK font there gets it too. Text
defaults to DejaVu Sans; every other bundled family joins the fallback chain for glyphs DejaVu lacks.
"""
import os
import sys

import matplotlib
from matplotlib import font_manager

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
DEFAULT_FAMILY = "DejaVu Sans"


def register(fonts_dir):
    """Registers the fonts in `fonts_dir` ahead of all others; returns their family names in file order."""
    manager = font_manager.fontManager
    try:
        names = sorted(n for n in os.listdir(fonts_dir) if n.lower().endswith(FONT_SUFFIXES))
    except OSError as error:
        print("render worker: no bundled fonts ({})".format(error), file=sys.stderr)
        return []
    # findfont keeps the first of equally good matches: the bundled files go first, so renders do not depend
    # on which copy of DejaVu the installed matplotlib ships. (addfont also clears findfont's cache.)
    system = list(manager.ttflist)
    manager.ttflist.clear()
    for name in names:
        try:
            manager.addfont(os.path.join(fonts_dir, name))
        except Exception as error:  # a broken file must not stop the worker
            print("render worker: skipped font {} ({})".format(name, error), file=sys.stderr)
    families = list(dict.fromkeys(entry.name for entry in manager.ttflist))
    manager.ttflist.extend(system)
    return families


def rc_settings(families):
    """rcParams that pin text to the bundled fonts (applied to every job after rcdefaults)."""
    fallbacks = [f for f in families if not f.startswith("DejaVu")]
    defaults = [f for f in matplotlib.rcParamsDefault["font.sans-serif"] if f != DEFAULT_FAMILY]
    return {
        # 'sans-serif' stays the family, so code that sets font.sans-serif (e.g. to SimHei) still wins.
        "font.family": ["sans-serif", *fallbacks],
        "font.sans-serif": [DEFAULT_FAMILY, *fallbacks, *defaults],
    }
