"""The parsers' diagnostics, as the build kept them in the store, for the curator's report.

A parser never fails a file for one bad value: it keeps the record without the value and reports
a diagnostic (file, line, field, what is wrong, how to fix it). Such a value never reaches the graph,
so no shape can see it; the build writes each diagnostic into the provenance graph
(``kgpub:ParseDiagnostic``) and `kgpub validate` and the /validation page read them back, so what a
build printed once stays in front of a curator until the source is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kgpub.records import SEVERITIES, Diagnostic

KGPUB = "https://w3id.org/kgpub/ns#"

QUERY = f"""SELECT ?severity ?code ?message ?name ?line ?field ?hint WHERE {{
  GRAPH ?_g {{
    ?d a <{KGPUB}ParseDiagnostic> ; <{KGPUB}diagnosticOf> ?doc ;
       <{KGPUB}diagnosticSeverity> ?severity ; <{KGPUB}diagnosticCode> ?code ; <{KGPUB}diagnosticMessage> ?message .
    OPTIONAL {{ ?doc <{KGPUB}fileName> ?name }}
    OPTIONAL {{ ?d <{KGPUB}sourceLine> ?line }}
    OPTIONAL {{ ?d <{KGPUB}diagnosticField> ?field }}
    OPTIONAL {{ ?d <{KGPUB}diagnosticHint> ?hint }}
  }}
}}"""


_COUNTS = f"""SELECT ?severity (COUNT(?d) AS ?n) WHERE {{
  GRAPH ?_g {{ ?d a <{KGPUB}ParseDiagnostic> ; <{KGPUB}diagnosticSeverity> ?severity }} }} GROUP BY ?severity"""


def stored_counts(run: Callable[[str], Any]) -> dict[str, int]:
    """Diagnostics per severity in the store, counted by the store (for `kgpub stats`)."""
    out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for row in run(_COUNTS):
        out[str(row["severity"].value)] = int(row["n"].value)
    return out


def _value(row: Any, name: str) -> str | None:
    term = row[name]
    return None if term is None else str(term.value)


def _order(d: Diagnostic) -> tuple[int, str, int, str]:
    rank = SEVERITIES.index(d.severity) if d.severity in SEVERITIES else len(SEVERITIES)
    return rank, d.file, d.line or 0, d.code


def stored_diagnostics(run: Callable[[str], Any]) -> list[Diagnostic]:
    """Every diagnostic in the store, errors first, then by file and line."""
    found = []
    for row in run(QUERY):
        line = _value(row, "line")
        found.append(
            Diagnostic(
                _value(row, "severity") or "error",  # type: ignore[arg-type]
                _value(row, "code") or "",
                _value(row, "message") or "",
                _value(row, "name") or "(unnamed document)",
                int(line) if line and line.isdigit() else None,
                _value(row, "field"),
                _value(row, "hint"),
            )
        )
    return sorted(found, key=_order)


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for d in diagnostics:
        out[d.severity] = out.get(d.severity, 0) + 1
    return out


def as_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "document": d.file,
        "line": d.line,
        "field": d.field,
        "hint": d.hint,
    }


def text_section(diagnostics: list[Diagnostic]) -> list[str]:
    """The report's closing section: the parsers' diagnostics grouped by document."""
    if not diagnostics:
        return []
    summary = ", ".join(f"{k} {n}" for k, n in counts(diagnostics).items())
    lines = ["", f"== Source diagnostics ({summary}) =="]
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.file, []).append(d)
    for name in sorted(by_file):
        lines.append(name)
        for d in sorted(by_file[name], key=lambda d: (d.line or 0, _order(d))):
            where = f"{name}:{d.line}" if d.line is not None else name
            what = f"{d.field}: " if d.field else ""
            hint = f" (fix: {d.hint})" if d.hint else ""
            lines.append(f"  - {where}: {d.severity}: {what}{d.message}{hint}  [{d.code}]")
    return lines
