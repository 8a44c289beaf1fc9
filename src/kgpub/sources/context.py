"""What every parser needs while it reads one document: provenance for a line span and a place to
put diagnostics.

Parsers hand records and problems to a :class:`ParseContext` instead of building
:class:`~kgpub.records.Provenance` and :class:`~kgpub.records.Diagnostic` by hand, so that every
record names the same file and content hash and every diagnostic names file, line and field.
"""

from __future__ import annotations

from kgpub.records import Diagnostic, ParseResult, Provenance, Severity, SourceDoc


class ParseContext:
    """One document being parsed: its :class:`ParseResult` plus helpers that fill it."""

    __slots__ = ("doc", "result")

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.result = ParseResult(doc)

    def prov(self, line_start: int, line_end: int | None = None) -> Provenance:
        """Provenance for a 1-based inclusive line span of this document."""
        return Provenance(self.doc.name, self.doc.sha256, line_start, line_end if line_end else line_start)

    def report(
        self,
        severity: Severity,
        code: str,
        message: str,
        line: int | None,
        field: str | None,
        hint: str | None = None,
    ) -> Diagnostic:
        diag = Diagnostic(severity, code, message, self.doc.name, line, field, hint)
        self.result.diagnostics.append(diag)
        return diag

    def error(
        self, code: str, message: str, line: int | None, field: str | None, hint: str | None = None
    ) -> None:
        self.report("error", code, message, line, field, hint)

    def warning(
        self, code: str, message: str, line: int | None, field: str | None, hint: str | None = None
    ) -> None:
        self.report("warning", code, message, line, field, hint)

    def info(
        self, code: str, message: str, line: int | None, field: str | None, hint: str | None = None
    ) -> None:
        self.report("info", code, message, line, field, hint)


def split_lines(text: str) -> list[str]:
    """Lines without their terminators; index i is line i + 1. A final newline adds no empty line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
