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
    if kind is None:
        kind, reason = detect_kind_with_reason(Path(spec.name), data)
        detected = True
        if kind is None:
            captured = spec.captured or default_captured
            doc = SourceDoc(str(spec.path), spec.name, sha, "records", len(data), captured)
            diagnostics.append(
                Diagnostic(
                    "error", "source.kind.unknown", f"could not tell what kind of source this is ({reason})",
                    spec.name, 1, "kind",
                    hint='declare it in the manifest: kind = "profile" | "arxiv-listing" | "feed" '
                    '| "records" | "rdf"',
                )
            )
            return ParseResult(doc, diagnostics=diagnostics)
        diagnostics.append(
            Diagnostic(
                "info", "source.kind.detected", f"kind detected from content: {kind} ({reason})",
                spec.name, 1, "kind", hint=f'declare kind = "{kind}" in the manifest to skip detection',
            )
        )
    doc = SourceDoc(
        path=str(spec.path),
        name=spec.name,
        sha256=sha,
        kind=kind,
        size=len(data),
        captured=spec.captured or default_captured,
        subject=spec.subject,
        graph=spec.graph,
        kind_detected=detected,
    )
    module = import_module(_MODULES[kind])
    if kind == "rdf":
        result: ParseResult = module.parse(doc, data)
    else:
        text, decode_diags = _decode(doc, data)
        result = module.parse(doc, text)
        diagnostics.extend(decode_diags)
    result.diagnostics[:0] = diagnostics
    return result


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
            Diagnostic("warning", "source.encoding", f"bytes that are not UTF-8 (first at byte {exc.start})",
                       doc.name, line, None, hint="save the file as UTF-8; bad bytes were replaced by U+FFFD")
        )
        text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, diags
