"""Response headers every answer carries (CSP and friends on HTML, CORS on data), and the one
rule for text shown in HTML that autoescaping does not cover: bidirectional control characters.

A literal holding U+202E (RIGHT-TO-LEFT OVERRIDE) or an isolate is harmless as HTML but reorders
what the reader sees around it ("…txt.exe" shown as "…exe.txt"), in the value and after it. Every
``{{ … }}`` of every template (Jinja's ``finalize``) and every text of the SVG neighbourhood shows
such a character as a visible ``[U+202E]`` instead. Only HTML changes: the RDF formats, the JSON-LD
embedded in pages (as ``\\u`` escapes, :func:`script_json`) and the SPARQL results keep the data
exactly.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _encode_string
from typing import Any

from flask import Flask, Response
from markupsafe import Markup, escape

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VISIBLE = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}


def visible_controls(text: str) -> str:
    """``text`` with each bidirectional control character written out as ``[U+XXXX]``. Every
    value a page shows passes here (hundreds a page): ASCII text, which holds none, is let
    through after one scan instead of a translation."""
    if text.isascii():
        return text
    return text.translate(_VISIBLE)


_JSON_IN_SCRIPT = {ord(c): f"\\u{ord(c):04x}" for c in "&<>\u2028\u2029" + BIDI_CONTROLS}


def script_json(value: Any, *, indent: int | None = None) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``&``, ``<``, ``>`` (no ``</script>``
    breakout) and the bidirectional controls written as ``\\uXXXX`` escapes — the same data for a
    JSON parser, inert for the HTML parser and for anyone reading the page source."""
    text = json.dumps(value, ensure_ascii=False) if indent is None else indented_json(value, indent)
    return Markup(text.translate(_JSON_IN_SCRIPT))  # noqa: S704 - every character that means something to HTML is escaped


class _NotPlain(Exception):
    pass


def indented_json(value: Any, indent: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, character for character, for
    dicts with string keys, lists and scalars: with an indent, :mod:`json` encodes in Python
    through generators (a page's JSON-LD holds hundreds of values); this writes into one list,
    strings through the C escaper. Anything else goes to :func:`json.dumps` itself."""
    out: list[str] = []
    try:
        _indented(value, 0, " " * indent, out)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(out)


def _indented(value: Any, level: int, step: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + step * (level + 1)
        sep = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            out.append(sep + _encode_string(key) + ": ")
            _indented(item, level + 1, step, out)
            sep = "," + inner
        out.append("\n" + step * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + step * (level + 1)
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _indented(item, level + 1, step, out)
            sep = "," + inner
        out.append("\n" + step * level + "]")
    elif value is None or isinstance(value, bool | int | float):
        out.append(json.dumps(value))
    else:
        raise _NotPlain


def _finalize(value: Any) -> Any:
    """Jinja's hook on every expression's value: plain text is made visible; Markup (JSON-LD
    embeds, the escaped SVG) was built by kgpub and is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_controls(value)
    return value

def template_value(value: Any) -> Markup:
    """What a template's ``{{ value }}`` writes (``finalize``, then autoescape), for markup built
    in Python that must read exactly as the template's would."""
    return escape(_finalize(value))


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def register(app: Flask) -> None:
    app.jinja_env.finalize = _finalize  # before any template is compiled

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("Content-Security-Policy", CSP)
            resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
            resp.headers.setdefault("X-Frame-Options", "DENY")
        else:
            resp.headers.setdefault("Access-Control-Allow-Origin", "*")
            resp.headers.setdefault("Access-Control-Expose-Headers", "Link, ETag, Content-Type, Vary, Location")
        return resp
