"""The query guard: reject what must never reach the evaluator, before any evaluation.

pyoxigraph cannot cancel a query and has no notion of a read-only or offline mode, so every refusal
here is decided on the query *text*: length, NUL bytes, nesting depth, ``SERVICE`` and every update
form. Keyword matching on raw text is fooled by strings, IRIs, comments and ``\\u`` escapes, so the
guard first decodes escapes (SPARQL allows them anywhere in a query) and then runs a small tokenizer
that knows the four string forms, ``<IRI>``, comments, variables, prefixed names and language tags.
A keyword inside a string literal is data and is allowed; the same word as a bare token is refused.

The decoded text is what the worker evaluates, so the guard and the evaluator read the same query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgpub.errors import QueryRefusedError, QuerySyntaxError, QueryTooLargeError

FORBIDDEN = frozenset(
    {"SERVICE", "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
OPENERS, CLOSERS = "({[", ")}]"
# Chains nest too: ``a + b + c`` and ``{} UNION {} UNION {}`` become left-deep trees that
# pyoxigraph walks recursively, and ~10,000 links overflow its stack (a worker crash). They are
# capped at CHAIN_FACTOR x query_max_depth operators, far above what a written query uses.
CHAIN_FACTOR = 20
CHAIN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})
CHAIN_CHARS = frozenset("!+-*/|^&=<>")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# IRIREF from the SPARQL grammar: no controls, space, <>"{}|^`\ inside, but UCHAR escapes (a query
# that spelled one as \u005Cu0041 still has one after the single decoding pass)
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
# a name: anything up to a delimiter; a backslash escapes the next character (PN_LOCAL_ESC, so
# ex:a\#b and ex:a\'b are one name to the parser, not a comment or a string start)
_NAME_CHAR = r"(?:[^\s(){}\[\],;\"'<>#?$^|!=&+*/@.\\]|\\.)"
_WORD = re.compile(rf"{_NAME_CHAR}+(?:\.{_NAME_CHAR}+)*")
# VARNAME exactly as the grammar has it (PN_CHARS_U, digits, and the combining ranges)
_VAR = re.compile(
    "[?$][0-9A-Za-z_\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c\u200d"
    "\u203f\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff]*"
)
_EOL = re.compile(r"[\r\n]")
_ALPHA = re.compile(r"[A-Za-z]+")
_LANG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class CheckedQuery:
    """A query the guard let through: the text to evaluate and the form it asks for."""

    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE (upper case); "" when the guard saw none
    depth: int


def decode_escapes(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` by the characters they name (once, as SPARQL says)."""

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRefusedError(
                f"invalid character escape {m.group(0)!r} at offset {m.start()}",
                hint="escapes must name a Unicode scalar value other than NUL",
            )
        return chr(code)

    return _ESCAPE.sub(repl, text)


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def _string_end(text: str, pos: int) -> int:
    """Index just after the string literal starting at ``pos`` (any of the four quote forms)."""
    quote = text[pos]
    long = text.startswith(quote * 3, pos)
    delim = quote * 3 if long else quote
    i = pos + len(delim)
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if not long and ch in "\r\n":
            break
        if text.startswith(delim, i):
            return i + len(delim)
        i += 1
    raise QuerySyntaxError(
        f"SPARQL syntax error: unterminated string literal starting at {_line_col(text, pos)}",
        hint="close the string with the same quote it was opened with",
    )


def check(raw: str, *, max_length: int, max_depth: int) -> CheckedQuery:
    """Refuse a query before evaluation, or return the decoded text to evaluate and its form."""
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > max_length:
        raise QueryTooLargeError(
            f"query is {size} bytes; the limit is {max_length}",
            hint="shorten the query, or raise the setting query_max_length (KGPUB_QUERY_MAX_LENGTH)",
        )
    if "\x00" in raw:
        raise QueryRefusedError("query contains a NUL character", hint="remove the NUL byte from the query")
    if not raw.strip():
        raise QuerySyntaxError("the query is empty", hint="send a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE")
    text = decode_escapes(raw)
    form = ""
    depth = deepest = links = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in CHAIN_CHARS:
            links += 1
        if ch.isspace():
            i += 1
        elif ch == "#":  # a comment ends at CR or LF, as in the grammar
            m = _EOL.search(text, i)
            i = n if m is None else m.end()
        elif ch in "\"'":
            i = _string_end(text, i)
        elif ch == "<":
            m = _IRI.match(text, i)
            i = m.end() if m else i + 1  # a bare '<' is the less-than operator
        elif ch in "?$":
            i = _VAR.match(text, i).end()  # type: ignore[union-attr]
        elif ch == "@":
            m = _LANG.match(text, i)
            i = m.end() if m else i + 1
        elif ch in OPENERS:
            depth += 1
            if depth > max_depth:
                raise QueryRefusedError(
                    f"query nests brackets deeper than {max_depth} levels (at {_line_col(text, i)})",
                    hint="flatten the query, or raise the setting query_max_depth (KGPUB_QUERY_MAX_DEPTH)",
                )
            deepest = max(deepest, depth)
            i += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
            i += 1
        else:
            m = _WORD.match(text, i)
            if not m:
                i += 1
                continue
            word = m.group(0)
            i = m.end()
            if ":" in word:
                continue  # prefixed name or blank node label: never a keyword
            # ``true.SERVICE`` is two tokens to the parser: check every alphabetic run of the word
            bad = next((p.upper() for p in _ALPHA.findall(word) if p.upper() in FORBIDDEN), None)
            upper = word.upper()
            if bad:
                upper = bad
                what = "SERVICE (federated query)" if upper == "SERVICE" else f"{upper} (SPARQL Update)"
                raise QueryRefusedError(
                    f"{what} is not accepted by this read-only endpoint (at {_line_col(text, m.start())})",
                    hint="this endpoint answers SELECT, ASK, CONSTRUCT and DESCRIBE over its own data only",
                )
            if not form and upper in FORMS:
                form = upper
            links += upper in CHAIN_KEYWORDS
    if links > CHAIN_FACTOR * max_depth:
        raise QueryRefusedError(
            f"query chains {links} operators, UNION, OPTIONAL and MINUS; "
            f"the limit is {CHAIN_FACTOR * max_depth}",
            hint=f"split the query; the limit is {CHAIN_FACTOR} x query_max_depth (KGPUB_QUERY_MAX_DEPTH)",
        )
    return CheckedQuery(text=text, form=form, depth=deepest)
