"""RDF files published as they are, each in its own named graph.

The file is checked, not transformed: it must parse with pyoxigraph, and nothing in it may make
kgpub reach out or blow up. Refused before parsing: a JSON-LD ``@context`` (or ``@import``) that
names a remote document, RDF/XML with a DOCTYPE or ENTITY declaration (pyoxigraph expands entities
without limit), files larger than :data:`MAX_RDF_FILE_BYTES`. Refused after parsing: literals
longer than :data:`MAX_LITERAL_CHARS`, IRIs longer than :data:`MAX_IRI_CHARS`.
The named graph is the manifest's ``graph`` or one minted from the file's display name. The only
statements added are the line spans of the subjects (:mod:`kgpub.sources.rdf_lines`), so that a
curator reading a validation result knows which lines to edit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import pyoxigraph

from kgpub.records import ParseResult, RdfPayload, SourceDoc
from kgpub.sources.context import ParseContext
from kgpub.sources.rdf_lines import subject_spans

MAX_RDF_FILE_BYTES = 64 * 1024 * 1024
MAX_LITERAL_CHARS = 1_000_000
MAX_IRI_CHARS = 4096
# pyoxigraph 0.5.13 slows down badly on deep nesting: RDF/XML 20 000 elements deep takes 11 s (50 000
# never ends), JSON-LD 3 000 objects deep 10 s (6 000 never ends). No real document nests this deep.
MAX_NESTING_DEPTH = 100
MINTED_GRAPH_PREFIX = "urn:kgpub:source:"
_FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".json": pyoxigraph.RdfFormat.JSON_LD,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
    ".xml": pyoxigraph.RdfFormat.RDF_XML,
}
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_LINE_IN_ERROR = re.compile(r"line (\d+)")
_FORMAT_HINT = "use Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML with a matching file extension"


def minted_graph(doc: SourceDoc) -> str:
    """A graph name that depends only on the file's display name, so rebuilds mint the same one."""
    return MINTED_GRAPH_PREFIX + quote(doc.name, safe="/._-")


def sniff_format(name: str, data: bytes) -> pyoxigraph.RdfFormat | None:
    """The RDF format by extension, else by the first characters of the content."""
    by_ext = _FORMATS.get(PurePosixPath(name).suffix.lower())
    if by_ext is not None:
        return by_ext
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return pyoxigraph.RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")):
        return pyoxigraph.RdfFormat.JSON_LD
    if head.startswith((b"@prefix", b"PREFIX", b"@base", b"BASE", b"prefix")):
        return pyoxigraph.RdfFormat.TRIG if b"{" in head else pyoxigraph.RdfFormat.TURTLE
    if head.startswith((b"<", b"_:")):
        return pyoxigraph.RdfFormat.N_QUADS  # N-Triples is a subset of N-Quads
    return None


def _contexts(node: Any) -> Iterator[Any]:
    """Every ``@context`` value in a JSON-LD document (scoped contexts included), without recursion."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    yield value
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def remote_context(data: bytes) -> str | None:
    """The first remote document a JSON-LD file would load (context IRI or ``@import``), if any."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None  # not JSON: the parser reports it
    for ctx in _contexts(doc):
        for entry in ctx if isinstance(ctx, list) else [ctx]:
            if isinstance(entry, str):
                return entry
            if isinstance(entry, dict) and isinstance(entry.get("@import"), str):
                return entry["@import"]
    return None


def too_deep(fmt: pyoxigraph.RdfFormat, data: bytes) -> int | None:
    """The byte offset where JSON-LD or RDF/XML nests deeper than MAX_NESTING_DEPTH, else None."""
    if fmt == pyoxigraph.RdfFormat.JSON_LD:
        depth = 0
        for m in _JSON_TOKEN.finditer(data):
            token = m.group()
            if token in (b"[", b"{"):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    return m.start()
            elif token in (b"]", b"}"):
                depth -= 1
        return None
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        from xml.parsers import expat

        parser = expat.ParserCreate()
        state = {"depth": 0}

        def start(_name: str, _attrs: object) -> None:
            state["depth"] += 1
            if state["depth"] > MAX_NESTING_DEPTH:
                raise _TooDeep(parser.CurrentByteIndex)

        def end(_name: str) -> None:
            state["depth"] -= 1

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        try:
            parser.Parse(data, True)
        except _TooDeep as exc:
            return int(exc.args[0])
        except expat.ExpatError:
            return None  # not well-formed: pyoxigraph reports it with its own message
    return None


class _TooDeep(Exception):
    pass


def _line_of(data: bytes, text: str) -> int | None:
    at = data.find(text[:64].encode("utf-8", "replace"))
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


class _RdfChecker:
    def __init__(self, doc: SourceDoc, data: bytes) -> None:
        self.ctx = ParseContext(doc)
        self.data = data
        self.subjects: set[str] = set()

    def run(self) -> ParseResult:
        ctx, data, doc = self.ctx, self.data, self.ctx.doc
        if len(data) > MAX_RDF_FILE_BYTES:
            ctx.error(
                "rdf.file.too-large",
                f"{len(data)} bytes is more than MAX_RDF_FILE_BYTES = {MAX_RDF_FILE_BYTES}; file refused",
                None,
                "file",
                hint="split the file",
            )
            return ctx.result
        fmt = sniff_format(doc.name, data)
        if fmt is None:
            ctx.error(
                "rdf.format.unknown",
                "cannot tell which RDF syntax this file uses",
                1,
                "format",
                hint=_FORMAT_HINT,
            )
            return ctx.result
        if fmt == pyoxigraph.RdfFormat.JSON_LD and (remote := remote_context(data)) is not None:
            ctx.error(
                "rdf.jsonld.remote-context",
                f"@context refers to the remote document {remote[:200]!r}; "
                "kgpub never fetches remote documents, file refused",
                _line_of(data, remote),
                "@context",
                hint="inline the context object in the file",
            )
            return ctx.result
        if fmt == pyoxigraph.RdfFormat.RDF_XML and (m := _DTD.search(self._xml_text())):
            ctx.error(
                "rdf.xml.dtd",
                "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)",
                self._xml_text().count(b"\n", 0, m.start()) + 1,
                "DOCTYPE",
                hint="expand the entities and remove the DOCTYPE, or convert the file to Turtle",
            )
            return ctx.result
        if (at := too_deep(fmt, self._xml_text() if fmt == pyoxigraph.RdfFormat.RDF_XML else data)) is not None:
            ctx.error(
                "rdf.nesting.too-deep",
                f"{fmt.name} nested deeper than MAX_NESTING_DEPTH = {MAX_NESTING_DEPTH}; file refused",
                data.count(b"\n", 0, at) + 1,
                "nesting",
                hint="flatten the document (give nested nodes their own @id / rdf:about) or convert it to Turtle",
            )
            return ctx.result
        graph = doc.graph or minted_graph(doc)
        if not self._parses(fmt, graph):
            return ctx.result
        last_line = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        text = self._xml_text() if fmt == pyoxigraph.RdfFormat.RDF_XML else data
        spans = subject_spans(text, fmt, graph, self.subjects)
        ctx.result.rdf.append(
            RdfPayload(
                "rdf/payload",
                ctx.prov(1, max(last_line, 1)),
                fmt.media_type,
                data,
                graph,
                tuple((s, a, b) for s, (a, b) in sorted(spans.items())),
            )
        )
        return ctx.result

    def _xml_text(self) -> bytes:
        """The XML as UTF-8 bytes, so that a UTF-16 file cannot hide its DOCTYPE."""
        if self.data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return self.data.decode("utf-16", "replace").encode("utf-8")
        return self.data

    def _parses(self, fmt: pyoxigraph.RdfFormat, graph: str) -> bool:
        ctx = self.ctx
        named = 0
        try:
            for quad in pyoxigraph.parse(self.data, format=fmt, base_iri=graph):
                for term in (quad.subject, quad.predicate, quad.object):
                    if not self._term_ok(term):
                        return False
                if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    named += 1
                if isinstance(quad.subject, pyoxigraph.NamedNode):
                    self.subjects.add(quad.subject.value)
        except SyntaxError as exc:
            m = _LINE_IN_ERROR.search(str(exc))
            last = max(1, self.data.count(b"\n") + (0 if self.data.endswith(b"\n") else 1))
            ctx.error(
                "rdf.syntax",
                f"not valid {fmt.name}: {str(exc)[:300]}",
                min(int(m.group(1)), last) if m else None,  # "unexpected end" after the last newline
                "syntax",
                hint="fix the file where the parser stopped; nothing of it was kept",
            )
            return False
        if named:
            ctx.info("rdf.named-graphs", f"{named} statement(s) name their own graph; they keep it", None, "graph")
        return True

    def _term_ok(self, term: Any) -> bool:
        if isinstance(term, pyoxigraph.NamedNode) and len(term.value) > MAX_IRI_CHARS:
            self.ctx.error(
                "rdf.iri.too-long",
                f"an IRI has {len(term.value)} characters, more than MAX_IRI_CHARS = {MAX_IRI_CHARS}; file refused",
                _line_of(self.data, term.value),
                "iri",
                hint="shorten the IRI",
            )
            return False
        if isinstance(term, pyoxigraph.Literal) and len(term.value) > MAX_LITERAL_CHARS:
            self.ctx.error(
                "rdf.literal.too-long",
                f"a literal has {len(term.value)} characters, more than "
                f"MAX_LITERAL_CHARS = {MAX_LITERAL_CHARS}; file refused",
                _line_of(self.data, term.value),
                "literal",
                hint="shorten the literal",
            )
            return False
        if isinstance(term, pyoxigraph.Triple):
            return all(self._term_ok(t) for t in (term.subject, term.predicate, term.object))
        return True


def parse(doc: SourceDoc, data: bytes) -> ParseResult:
    """Check an RDF file and return it as one payload for its named graph (or diagnostics)."""
    return _RdfChecker(doc, data).run()
