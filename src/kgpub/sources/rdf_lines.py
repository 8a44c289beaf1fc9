"""Which lines of a Turtle, TriG, N-Triples or N-Quads file describe each subject.

A curator fixes a problem in the file, so a validation result about an entity published from an
RDF source must name the lines that describe it, as it does for the text formats. pyoxigraph's
parser gives no positions, so this module scans the file's statements itself: a statement starts at
its subject and ends at the ``.`` (or the ``}`` of a TriG graph block) outside any brackets. In
RDF/XML a subject is described by a node element with ``rdf:about`` (or ``rdf:ID``), from its start
tag to its end tag (expat gives the lines). Only the statement boundaries and the subject term are
read; the parse that counts stays pyoxigraph's, and :func:`subject_spans` keeps only subjects that
parse found, so a scanner mistake can lose a line span but never invent one. JSON-LD: no spans
(its node objects name subjects through contexts, which would need a JSON-LD processor).

A subject described in several statements gets the span from its first line to its last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox

LINE_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns# "
_XML_BASE = "http://www.w3.org/XML/1998/namespace base"

_NAME_CHAR = r"""(?:[^\s<>"'{}\[\](),;#.\\^@]|\\.)"""
_EXP = r"(?:[eE][+-]?\d+)"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<open><<|\[|\()
  | (?P<close>>>|\]|\))
  | (?P<iri><[^<>\s]*>)
  | (?P<number>[+-]?(?:\d+\.\d+{_EXP}?|\d+\.{_EXP}|\d+{_EXP}?|\.\d+{_EXP}?))
  | (?P<punct>\^\^|[.;,{{}}|~])
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>{_NAME_CHAR}+(?:\.+{_NAME_CHAR}+)*)
    """,
    re.VERBOSE,
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")

Token = tuple[str, str, int]  # kind, text, line


class ScanError(ValueError):
    """The scanner met text it does not understand; the file gets no line spans (it still parsed)."""


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens with their 1-based line numbers."""
    line, pos, end = 1, 0, len(text)
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ScanError(f"unexpected {text[pos : pos + 20]!r} on line {line}")
        kind = m.lastgroup or ""
        if kind not in ("space", "comment"):
            yield kind, m.group(), line
        line += text.count("\n", pos, m.end())
        pos = m.end()


class _Resolver:
    """IRIs as pyoxigraph resolves them: relative references against the current base (RFC 3986,
    which urllib's urljoin does not follow for schemes such as ``urn:``), prefixed names through the
    prefixes declared so far."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}
        self._seen: dict[tuple[str | None, str], str | None] = {}

    def iri(self, token: str) -> str | None:
        key = (self.base, token)
        if key not in self._seen:
            try:
                quads = ox.parse(f"{token} <urn:x:p> <urn:x:o> .", ox.RdfFormat.TURTLE, base_iri=self.base)
                self._seen[key] = str(next(iter(quads)).subject.value)
            except (SyntaxError, ValueError, StopIteration):
                self._seen[key] = None
        return self._seen[key]

    def term(self, kind: str, token: str) -> str | None:
        if kind == "iri":
            return self.iri(token)
        if kind == "name" and ":" in token and not token.startswith("_:"):
            prefix, local = token.split(":", 1)
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + _LOCAL_ESCAPE.sub(r"\1", local)
        return None


def _statement_spans(toks: list[Token], base: str | None) -> Iterator[tuple[str, int, int]]:
    resolve = _Resolver(base)
    i, n = 0, len(toks)
    while i < n:
        kind, text, line = toks[i]
        word = text.lower()
        if word in ("@prefix", "prefix") and i + 2 < n:
            namespace = resolve.iri(toks[i + 2][1])
            if namespace is not None:
                resolve.prefixes[toks[i + 1][1].rstrip(":")] = namespace
            i += 3 + (word == "@prefix")
            continue
        if word in ("@base", "base") and i + 1 < n:
            resolve.base = resolve.iri(toks[i + 1][1]) or resolve.base
            i += 2 + (word == "@base")
            continue
        if word in ("@version", "version"):
            i += 2 + (word == "@version")
            continue
        if text in ("{", "}") or word == "graph":
            i += 1
            continue
        if i + 1 < n and toks[i + 1][1] == "{":  # a TriG graph label
            i += 2
            continue
        subject = resolve.term(kind, text)
        depth, j = 0, i
        while j < n:
            k, t, _ = toks[j]
            if k == "open":
                depth += 1
            elif k == "close":
                depth -= 1
            elif depth == 0 and t in (".", "}"):
                break
            j += 1
        last = toks[j][2] if j < n and toks[j][1] == "." else toks[j - 1][2]
        if subject is not None:
            yield subject, line, last
        i = j + 1 if j < n and toks[j][1] == "." else j


def _xml_spans(data: bytes, base: str | None) -> Iterator[tuple[str, int, int]]:
    """(subject, start tag line, end tag line) of every RDF/XML node element naming its subject."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    resolve = _Resolver(base)
    stack: list[tuple[str | None, str | None, int]] = []  # (base, subject, start line)
    found: list[tuple[str, int, int]] = []

    def start(_name: str, attrs: dict[str, str]) -> None:
        here = stack[-1][0] if stack else base
        if _XML_BASE in attrs:
            resolve.base = here
            here = resolve.iri(f"<{attrs[_XML_BASE]}>") or here
        resolve.base = here
        subject = None
        if _RDF + "about" in attrs:
            subject = resolve.iri(f"<{attrs[_RDF + 'about']}>")
        elif _RDF + "ID" in attrs:
            subject = resolve.iri(f"<#{attrs[_RDF + 'ID']}>")
        stack.append((here, subject, parser.CurrentLineNumber))

    def end(_name: str) -> None:
        _, subject, line = stack.pop()
        if subject is not None:
            found.append((subject, line, parser.CurrentLineNumber))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return iter(())
    return iter(found)


def subject_spans(data: bytes, fmt: ox.RdfFormat, base: str | None, subjects: set[str]) -> dict[str, tuple[int, int]]:
    """First and last line of the statements about each IRI in ``subjects`` (the subjects the real
    parse found); empty for JSON-LD or a file the scanner cannot follow. RDF/XML ``data`` must be
    UTF-8 (the checker converts UTF-16 first)."""
    if not subjects:
        return {}
    if fmt == ox.RdfFormat.RDF_XML:
        statements: Iterator[tuple[str, int, int]] = _xml_spans(data, base)
    elif fmt in LINE_FORMATS:
        try:
            statements = _statement_spans(list(tokens(data.decode("utf-8-sig"))), base)
        except (ScanError, UnicodeDecodeError):
            return {}
    else:
        return {}
    spans: dict[str, tuple[int, int]] = {}
    for subject, start, end in statements:
        if subject not in subjects:
            continue
        seen = spans.get(subject)
        spans[subject] = (start, end) if seen is None else (min(seen[0], start), max(seen[1], end))
    return spans
