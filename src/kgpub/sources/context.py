"""What every parser needs while it reads one document: provenance for a line span and a place to
put diagnostics.

Parsers hand records and problems to a :class:`ParseContext` instead of building
:class:`~kgpub.records.Provenance` and :class:`~kgpub.records.Diagnostic` by hand, so that every
record names the same file and content hash and every diagnostic names file, line and field.
"""

from __future__ import annotations

from kgpub.records import Diagnostic, ParseResult, Provenance, Severity, SourceDoc

# A file that is not what it claims to be (garbage, a wrong kind) yields a problem per line: millions
# of diagnostics would cost more memory than the file. Past this many, one more says so and the rest
# of the file's diagnostics are counted, not kept (its records still are).
MAX_DIAGNOSTICS_PER_FILE = 1000


class ParseContext:
    """One document being parsed: its :class:`ParseResult` plus helpers that fill it."""

    __slots__ = ("doc", "result", "suppressed")

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.result = ParseResult(doc)
        self.suppressed = 0

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
        if len(self.result.diagnostics) < MAX_DIAGNOSTICS_PER_FILE:
            self.result.diagnostics.append(diag)
        elif self.suppressed == 0:
            self.suppressed = 1
            self.result.diagnostics.append(
                Diagnostic(
                    "warning", "source.diagnostics.capped",
                    f"more than {MAX_DIAGNOSTICS_PER_FILE} problems in this file; from line {line} on they are "
                    "not listed (records found are still kept)",
                    self.doc.name, line, None,
                    hint="is the file of the declared kind? fix the first problems listed and build again",
                )
            )
        else:
            self.suppressed += 1
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

    def not_this_kind(self, text: str, missing: str) -> ParseResult:
        """Report a file that is not of its declared kind as one error (not one per line), with the
        kind that content detection suggests; no records are made from it."""
        from pathlib import Path

        from kgpub.sources.detect import detect_kind_with_reason

        guess, reason = detect_kind_with_reason(Path(self.doc.name), text[:65536].encode("utf-8"))
        suggestion = f'its content looks like kind = "{guess}" ({reason})' if guess else "its kind is unclear"
        self.error(
            f"{self.doc.kind}.wrong-kind",
            f"declared as {self.doc.kind!r} but {missing}",
            1,
            "kind",
            hint=f"check kind in the manifest: {suggestion}",
        )
        return self.result


def split_lines(text: str) -> list[str]:
    """Lines without their terminators; index i is line i + 1. A final newline adds no empty line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
