"""Source parsers: one module per input kind, each turning a document into typed records.

Public API: :func:`collect` (which files), :func:`load` (one file → :class:`ParseResult`) and
:func:`detect_kind`. Each kind's module exposes ``parse(doc: SourceDoc, text: str) -> ParseResult``
(the ``rdf`` kind reads bytes). Problems inside a file are diagnostics, never exceptions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import import_module
from pathlib import Path

from kgpub.errors import SourceError
from kgpub.records import Diagnostic, ParseResult, SourceDoc, SourceKind
from kgpub.sources.detect import detect_kind, detect_kind_with_reason
from kgpub.sources.manifest import Manifest, SourceSpec, collect, read_manifest

__all__ = [
    "Manifest",
    "SourceSpec",
    "collect",
    "detect_kind",
    "detect_kind_with_reason",
    "load",
    "load_bytes",
    "read_manifest",
]

MAX_LINE_CHARS = 1_000_000  # longest line of a text source; longer ones are skipped and reported
_MODULES: dict[str, str] = {
    "profile": "kgpub.sources.profile",
    "arxiv-listing": "kgpub.sources.arxiv_listing",
    "feed": "kgpub.sources.feed",
    "records": "kgpub.sources.records_jsonl",
    "rdf": "kgpub.sources.rdf",
}


def load(spec: SourceSpec) -> ParseResult:
    """Read one source file and parse it by its declared (or detected) kind."""
    try:
        data = spec.path.read_bytes()
        mtime = dt.date.fromtimestamp(spec.path.stat().st_mtime)
    except OSError as exc:
        raise SourceError(f"cannot read source {spec.path}: {exc.strerror}") from None
    return load_bytes(spec, data, default_captured=mtime)


def load_bytes(spec: SourceSpec, data: bytes, *, default_captured: dt.date | None = None) -> ParseResult:
    """Parse bytes already read; the kind is detected (and the detection reported) when not declared."""
    sha = hashlib.sha256(data).hexdigest()
    kind: SourceKind | None = spec.kind
    detected = False
    diagnostics: list[Diagnostic] = []
    raw = data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and kind != "rdf":
        data = _from_utf16(spec.name, data, diagnostics)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        doc = SourceDoc(str(spec.path), spec.name, sha, kind or "records", len(raw),
                        spec.captured or default_captured, spec.subject, spec.graph)
        diagnostics.append(
            Diagnostic("warning", "source.empty", "the file is empty (or only blank lines): nothing to read",
                       spec.name, None, "file", hint="copy the page's text into it, or leave it out of the build")
        )
        return ParseResult(doc, diagnostics=diagnostics)
    if kind is None:
        kind, reason = detect_kind_with_reason(Path(spec.name), data)
        detected = True
        if kind is None:
            if (problem := binary_or_html(data)) is not None:
                reason = problem[1]
            captured = spec.captured or default_captured
            doc = SourceDoc(str(spec.path), spec.name, sha, "records", len(raw), captured)
            diagnostics.append(
                Diagnostic(
                    "error",
                    "source.kind.unknown",
                    f"could not tell what kind of source this is ({reason})",
                    spec.name,
                    1,
                    "kind",
                    hint='declare it in the manifest: kind = "profile" | "arxiv-listing" | "feed" '
                    '| "records" | "rdf"',
                )
            )
            return ParseResult(doc, diagnostics=diagnostics)
        diagnostics.append(
            Diagnostic(
                "info",
                "source.kind.detected",
                f"kind detected from content: {kind} ({reason})",
                spec.name,
                1,
                "kind",
                hint=f'declare kind = "{kind}" in the manifest to skip detection',
            )
        )
    doc = SourceDoc(
        path=str(spec.path),
        name=spec.name,
        sha256=sha,
        kind=kind,
        size=len(raw),
        captured=spec.captured or default_captured,
        subject=spec.subject,
        graph=spec.graph,
        kind_detected=detected,
    )
    module = import_module(_MODULES[kind])
    if kind == "rdf":
        result: ParseResult = module.parse(doc, data)
    else:
        if (problem := binary_or_html(data)) is not None:
            code, message, hint, readable = problem
            diagnostics.append(Diagnostic("error", code, message, spec.name, 1, "file", hint=hint))
            if not readable:
                return ParseResult(doc, diagnostics=diagnostics)
        text, decode_diags = _decode(doc, data)
        if kind != "records":  # the records parser bounds its lines itself, with its own diagnostic
            text = _cut_long_lines(doc, text, decode_diags)
        result = module.parse(doc, text)
        diagnostics.extend(decode_diags)
    result.diagnostics[:0] = diagnostics
    return result


def _from_utf16(name: str, data: bytes, diagnostics: list[Diagnostic]) -> bytes:
    """A UTF-16 file (it starts with its byte-order mark) is read as such, and said so."""
    diagnostics.append(
        Diagnostic("warning", "source.encoding.utf16", "the file is UTF-16 (byte-order mark); read as UTF-16",
                   name, 1, "encoding", hint="save the file as UTF-8")
    )
    return data.decode("utf-16", errors="replace").encode("utf-8")


def binary_or_html(data: bytes) -> tuple[str, str, str, bool] | None:
    """(code, message, hint, still readable) when a text source is binary data or an HTML page."""
    head = data[:65536]
    if b"\x00" in head:
        try:
            head[: len(head) - 4].decode("utf-8")
        except UnicodeDecodeError:
            at = head.index(b"\x00")
            return ("source.binary", f"binary data, not text (NUL byte at offset {at}): nothing read",
                    "give the page's text, saved as UTF-8", False)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return ("source.html", "an HTML page, not the page's text; its markup is read as text",
                "open the page in a browser, select all, copy and save the text", True)
    return None


def _cut_long_lines(doc: SourceDoc, text: str, diags: list[Diagnostic]) -> str:
    """Lines past MAX_LINE_CHARS are emptied (and reported): no page has such lines, and every later
    stage would carry them (a 50 MB "title")."""
    if len(text) <= MAX_LINE_CHARS:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE_CHARS:
            diags.append(
                Diagnostic("error", "source.line.too-long",
                           f"line has {len(line)} characters, more than {MAX_LINE_CHARS}; the line is skipped",
                           doc.name, i + 1, None, hint="is this really a copied page? split or shorten the line")
            )
            lines[i] = ""
    return "\n".join(lines)


def _decode(doc: SourceDoc, data: bytes) -> tuple[str, list[Diagnostic]]:
    """UTF-8 (BOM stripped, CRLF normalised); undecodable bytes are replaced and reported."""
    diags: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.append(
            Diagnostic(
                "warning",
                "source.encoding",
                f"bytes that are not UTF-8 (first at byte {exc.start})",
                doc.name,
                line,
                "encoding",
                hint="save the file as UTF-8; bad bytes were replaced by U+FFFD",
            )
        )
        text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, diags
