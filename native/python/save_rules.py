"""How a job's image is saved.

official  — the published STEM2Code rule: the first `.savefig(` statement becomes a save to the output path
            at dpi=300; without one, that save goes before the first `plt.show()`; else at the end.
canonical — every savefig is recorded, not written; afterwards the figure last saved (else the current one)
            is saved at exactly width×height pixels, with no metadata that changes between runs.

The official rule is applied to the syntax tree, not the text: every statement of the user's code keeps its
line number (the inserted save takes the line of the statement it replaces or precedes), so tracebacks and
the tracer's source lines need no mapping.
"""
import ast
import functools
import math
import os

from matplotlib.figure import Figure

OFFICIAL_DPI = 300
_PYPLOT = "matplotlib.pyplot"


def official_tree(source, filename, output_path):
    """The user's module with the official save put in; raises SyntaxError like compile()."""
    tree = ast.parse(source, filename)
    pyplot_names = _pyplot_names(tree)
    saver = "plt" if "plt" in _module_level_pyplot_names(tree) else "__import__({!r}).pyplot".format(_PYPLOT)
    save = ast.parse("{}.savefig({!r}, dpi={})".format(saver, output_path, OFFICIAL_DPI)).body[0]

    found = _first_call(tree, _is_savefig)
    if found is not None:
        body, index = found
        body[index] = _located(save, body[index])
        return tree
    found = _first_call(tree, lambda call: _is_show(call, pyplot_names))
    if found is not None:
        body, index = found
        body.insert(index, _located(save, body[index]))
        return tree
    # After the last line: an error in this save belongs to no line of the user's.
    last_line = len(source.splitlines()) + 1
    tree.body.append(_located(save, None, line=last_line))
    return tree


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return base and "{}.{}".format(base, node.attr)
    return None


def _pyplot_aliases(statements):
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == _PYPLOT:
                    yield alias.asname or _PYPLOT
        elif isinstance(node, ast.ImportFrom) and node.module == "matplotlib" and node.level == 0:
            for alias in node.names:
                if alias.name == "pyplot":
                    yield alias.asname or "pyplot"


def _pyplot_names(tree):
    """Names that refer to pyplot anywhere in the code; `plt` always (the published rule's literal)."""
    return {"plt", _PYPLOT, *_pyplot_aliases(ast.walk(tree))}


def _module_level_pyplot_names(tree):
    return set(_pyplot_aliases(tree.body))


def _is_savefig(call):
    return isinstance(call.func, ast.Attribute) and call.func.attr == "savefig"


def _is_show(call, pyplot_names):
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "show"
        and _dotted(call.func.value) in pyplot_names
    )


def _statement_slots(tree):
    """{id(statement): (the list holding it, its index, the statement enclosing it or None)}."""
    slots = {}

    def visit(node, enclosing):
        for _, value in ast.iter_fields(node):
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.stmt):
                    slots[id(child)] = (value, value.index(child), enclosing)
                    visit(child, child)
                elif isinstance(child, ast.AST):
                    visit(child, enclosing)

    visit(tree, None)
    return slots


def _own_expressions(stmt):
    """The nodes of a statement itself, without the statements nested in its bodies."""
    stack = [child for child in ast.iter_child_nodes(stmt) if not isinstance(child, ast.stmt)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.stmt))


def _first_call(tree, matches):
    """(list, index) of the statement holding the first matching call in source order.

    That is the innermost statement holding the call, or the outermost one starting on the same line
    (`if ok: plt.show()` is one line to the published rule, so the save goes before the `if`).
    """
    slots = _statement_slots(tree)
    best = None
    for body, index, _ in slots.values():
        for node in _own_expressions(body[index]):
            if isinstance(node, ast.Call) and matches(node):
                position = (node.lineno, node.col_offset)
                if best is None or position < best[0]:
                    best = (position, body[index])
    if best is None:
        return None
    stmt = best[1]
    body, index, enclosing = slots[id(stmt)]
    while enclosing is not None and enclosing.lineno == stmt.lineno:
        stmt = enclosing
        body, index, enclosing = slots[id(stmt)]
    return body, index


def _located(stmt, at, line=None):
    """`stmt` placed on the line (and indentation) of statement `at`, or on `line` at column 0."""
    lineno = at.lineno if at is not None else line
    col = at.col_offset if at is not None else 0
    for node in ast.walk(stmt):
        if "lineno" in node._attributes:
            node.lineno = node.end_lineno = lineno
            node.col_offset = node.end_col_offset = col
    return stmt


class SaveRecorder:
    """Wraps Figure.savefig (pyplot.savefig goes through it) to know which figure was saved.

    canonical: nothing is written to a path (file-like targets still get the bytes, so code that round-trips
    a figure through a buffer keeps working); every saved figure is remembered.
    official: saves happen as written; only the figure saved to the output path is remembered.
    """

    def __init__(self, redirect, output_path=None):
        self.redirect = redirect
        self.output_path = output_path
        self.figure = None
        self.original = Figure.savefig

    def install(self):
        original = self.original

        @functools.wraps(original)
        def savefig(figure, fname, *args, **kwargs):
            is_path = isinstance(fname, (str, bytes, os.PathLike))
            if self.redirect or (is_path and os.fsdecode(fname) == self.output_path):
                self.figure = figure
            if self.redirect and is_path:
                return None
            return original(figure, fname, *args, **kwargs)

        Figure.savefig = savefig

    def save_canonical(self, figure, path, width, height, dpi):
        """Saves `figure` as a PNG of exactly width×height pixels, byte-identical run to run."""
        figure.set_dpi(dpi)
        figure.set_size_inches(_inches(width, dpi), _inches(height, dpi))
        self.original(figure, path, format="png", dpi=dpi, bbox_inches=None, metadata={"Software": None})


def _inches(pixels, dpi):
    """The smallest size in inches that Agg turns into `pixels` (it truncates inches × dpi to an int)."""
    inches = pixels / dpi
    while inches * dpi < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches
