"""Reading SPARQL text into tokens, and writing property paths back, for :mod:`kgpub.validation.patterns`.

Only what the pattern reader needs: IRIs, prefixed names, variables (``$x`` read as ``?x``), string
and number literals, keywords and punctuation; a path is a nested tuple
(``("p", term)``, ``("inv", path)``, ``("seq", [paths])``, ``("alt", [paths])``, ``("closure", path, op)``).
"""

from __future__ import annotations

import re


class Unanalysable(Exception):
    """The query uses a construct whose reads this module cannot bound."""


_TOKEN = re.compile(
    r'(?P<ws>\s+|#[^\n]*)|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<str>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<var>[?$][A-Za-z0-9_]+)|(?P<pname>[A-Za-z][\w.-]*:[\w-]*(?:\.[\w-]+)*|:[\w-]*)"
    r"|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<word>[A-Za-z_]+)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}().;,\[\]^/|*+?!=<>@-])"
)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token, whitespace and comments left out."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise Unanalysable(f"cannot read the query at {text[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            value = m.group()
            out.append((kind, "?" + value[1:] if kind == "var" else value))
    return out


def path_predicates(path: tuple) -> list[str]:
    """Every predicate a path walks."""
    if path[0] == "p":
        return [path[1]]
    if path[0] in ("inv", "closure"):
        return path_predicates(path[1])
    return [p for item in path[1] for p in path_predicates(item)]


def path_text(path: tuple) -> str:
    """The path as SPARQL."""
    tag = path[0]
    if tag == "p":
        return str(path[1])
    if tag == "inv":
        return "^" + path_text(path[1])
    if tag == "closure":
        return "(" + path_text(path[1]) + ")" + path[2]
    return "(" + ("/" if tag == "seq" else "|").join(path_text(item) for item in path[1]) + ")"
