"""Mathtext strings as a reader sees them: `$\\alpha^2$` → `α²`, `$\\mathdefault{10^{-2}}$` → `10⁻²`.

A small TeX reader over matplotlib's own symbol table, not the mathtext parser: it costs microseconds,
where parsing every log-axis tick label through mathtext would cost milliseconds each."""
from __future__ import annotations

import re

try:
    from matplotlib._mathtext_data import tex2uni as _TEX2UNI
except ImportError:  # private module; without it names stay as written
    _TEX2UNI = {}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|[^\\{}^_]")

_ARGUMENT_ONLY = {
    "mathdefault", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak",
    "mathscr", "mathregular", "text", "textrm", "textbf", "textit", "textsf", "texttt", "operatorname",
    "boldsymbol", "mbox", "hbox", "overline", "underline", "hat", "widehat", "bar", "vec", "dot", "ddot",
    "tilde", "widetilde", "acute", "grave", "breve", "check", "overrightarrow", "overleftarrow",
}
_SWITCHES = {"rm", "bf", "it", "sf", "tt", "cal", "displaystyle", "textstyle", "scriptstyle", "left", "right",
             "big", "Big", "bigg", "Bigg", "limits", "nolimits"}
_SPACES = {",": " ", ";": " ", ":": " ", " ": " ", "!": "", "quad": " ", "qquad": " ", "enspace": " ",
           "thinspace": " ", "/": ""}
_SUPER = dict(zip("0123456789+-−=()niax", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃˣ"))
_SUB = dict(zip("0123456789+-−=()aeioxnm", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢₒₓₙₘ"))
_MATH_CHARS = {"-": "−", "*": "∗", "'": "′"}


def plain(s, is_math):
    """The visible characters of a Text string (`is_math` as from Text._preprocess_math)."""
    if not is_math:
        return s.replace(r"\$", "$")
    parts = re.split(r"(?<!\\)\$", s)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part.replace(r"\$", "$"))
        else:
            out.append(_Reader(part).read_all())
    return re.sub(r" {2,}", " ", "".join(out))


class _Reader:
    def __init__(self, source):
        self.tokens = _TOKEN.findall(source)
        self.i = 0

    def read_all(self):
        return self._read_until(None)

    def _read_until(self, closing):
        out = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if tok == closing:
                self.i += 1
                break
            out.append(self._read_item())
        return "".join(out)

    def _read_argument(self):
        """A braced group or a single item."""
        if self.i >= len(self.tokens):
            return ""
        if self.tokens[self.i] == "{":
            self.i += 1
            return self._read_until("}")
        return self._read_item()

    def _read_item(self):
        tok = self.tokens[self.i]
        self.i += 1
        if tok == "{":
            return self._read_until("}")
        if tok == "}":
            return ""
        if tok in ("^", "_"):
            arg = self._read_argument()
            table = _SUPER if tok == "^" else _SUB
            if arg and all(c in table for c in arg):
                return "".join(table[c] for c in arg)
            return arg
        if tok.startswith("\\"):
            return self._command(tok[1:])
        if tok == " ":
            return " " if self.i > 1 and self.i < len(self.tokens) else ""
        return _MATH_CHARS.get(tok, tok)

    def _command(self, name):
        if name in _SPACES:
            return _SPACES[name]
        if name in _ARGUMENT_ONLY:
            return self._read_argument()
        if name in _SWITCHES:
            return ""
        if name in ("frac", "dfrac", "tfrac", "binom"):
            top = self._read_argument()
            return top + "/" + self._read_argument()
        if name == "sqrt":
            if self.i < len(self.tokens) and self.tokens[self.i] == "[":
                while self.i < len(self.tokens) and self.tokens[self.i] != "]":
                    self.i += 1
                self.i += 1
            return "√" + self._read_argument()
        if len(name) == 1 and not name.isalpha():
            return name  # escaped symbol: \% \{ \_ \$ ...
        code = _TEX2UNI.get(name)
        if code is not None:
            return chr(code)
        return name  # \sin, \log, \lim: written as their names
