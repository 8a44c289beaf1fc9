"""A validation report: results, and the three ways a curator or a program reads them.

``to_turtle`` is a standard ``sh:ValidationReport`` (what other SHACL tools read); ``to_json`` is
for programs and the web; ``to_text`` is for a curator at a terminal, grouped by severity, then by
entity, each entity followed by the source documents and lines it came from, because a fix is made
in a source file, never in the graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgpub.records import Diagnostic
from kgpub.validation import diagnostics as parser_diagnostics
from kgpub.validation import vocab
from kgpub.validation.shapes import ShapePath

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an entity's statements came from: its named graph, the document and line span."""

    graph: str
    document: str | None = None
    line_start: int | None = None
    line_end: int | None = None

    def __str__(self) -> str:
        name = self.document or self.graph
        if self.line_start is None:
            return name
        if self.line_end is None or self.line_end == self.line_start:
            return f"{name}:{self.line_start}"
        return f"{name}:{self.line_start}-{self.line_end}"


@dataclass(frozen=True, slots=True)
class ValidationResult:
    focus: Term
    path: ShapePath | None
    value: Term | None
    severity: ox.NamedNode
    shape: ox.NamedNode | ox.BlankNode
    shape_label: str
    component: ox.NamedNode
    message: str
    sources: tuple[SourceRef, ...] = ()
    constraint: ox.NamedNode | ox.BlankNode | None = None  # sh:sourceConstraint of a SPARQL constraint

    @property
    def severity_name(self) -> str:
        return vocab.SEVERITY_NAMES[self.severity]

    @property
    def key(self) -> tuple[str, ...]:
        """Identity of a result, independent of blank-node labels of shapes."""
        return result_key(
            self.focus, self.path, self.value, self.severity_name, self.component, self.shape_label, self.constraint
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "focus": _plain(self.focus),
            "path": self.path.text() if self.path else None,
            "value": _plain(self.value) if self.value is not None else None,
            "severity": self.severity_name,
            "shape": self.shape_label,
            "component": vocab.compact(self.component.value),
            "constraint": _plain(self.constraint) if self.constraint is not None else None,
            "message": self.message,
            "sources": [
                {"graph": s.graph, "document": s.document, "line_start": s.line_start, "line_end": s.line_end}
                for s in self.sources
            ],
        }


def result_key(
    focus: Term,
    path: ShapePath | None,
    value: Term | None,
    severity_name: str,
    component: ox.NamedNode,
    shape_label: str,
    constraint: ox.NamedNode | ox.BlankNode | None,
) -> tuple[str, ...]:
    """:attr:`ValidationResult.key` from its parts, so the engine can drop a repeated row before
    building its result (a cross-record rule repeats the same result for every pair it joins)."""
    return (
        str(focus),
        path.text() if path else "",
        str(value) if value else "",
        severity_name,
        component.value,
        shape_label,
        str(constraint or ""),
    )


def _plain(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


@dataclass(slots=True)
class Report:
    results: list[ValidationResult] = field(default_factory=list)
    scope: frozenset[Term] | None = None  # None: the whole graph was validated
    checks: int = 0  # queries run
    seconds: float = 0.0
    # the parsers' diagnostics kept in the store (validation.diagnostics), shown after the results
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (Warnings and Infos do not fail a build)."""
        return not any(r.severity == vocab.VIOLATION for r in self.results)

    def counts(self) -> dict[str, int]:
        counts = {name: 0 for name in vocab.SEVERITY_NAMES.values()}
        for r in self.results:
            counts[r.severity_name] += 1
        return counts

    def for_entity(self, iri: str) -> list[ValidationResult]:
        return [r for r in self.results if isinstance(r.focus, ox.NamedNode) and r.focus.value == iri]

    def nodes_in_graphs(self, graphs: Iterable[str]) -> list[str]:
        """IRIs of the entities with a result sourced from any of ``graphs``: re-validate them
        (``focus_nodes``) when those graphs are removed from the store."""
        wanted = set(graphs)
        return sorted(
            {
                r.focus.value
                for r in self.results
                if isinstance(r.focus, ox.NamedNode) and any(s.graph in wanted for s in r.sources)
            }
        )

    def updated_with(self, newer: Report) -> Report:
        """Merge an incremental report into this one: results inside ``newer.scope`` are replaced
        (also cross-record results that named a re-validated node as their value)."""
        if newer.scope is None:
            return newer
        scope = newer.scope
        sparql = vocab.sh("SPARQLConstraintComponent")

        def stale(r: ValidationResult) -> bool:
            return r.focus in scope or (r.component == sparql and r.value in scope)

        kept = [r for r in self.results if not stale(r)]
        seen = {r.key for r in newer.results}
        merged = newer.results + [r for r in kept if r.key not in seen]
        return Report(_sorted(merged), self.scope, newer.checks, newer.seconds)

    # -- renderings ------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "counts": self.counts(),
                "results": [r.to_dict() for r in self.results],
                "diagnostic_counts": parser_diagnostics.counts(self.diagnostics),
                "diagnostics": [parser_diagnostics.as_dict(d) for d in self.diagnostics],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_text(self) -> str:
        counts = self.counts()
        head = "conforms" if self.conforms else "does NOT conform"
        lines = [f"Validation: {head} — " + ", ".join(f"{n} {k}" for k, n in counts.items())]
        for severity, name in vocab.SEVERITY_NAMES.items():
            group = [r for r in self.results if r.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"== {name} ({len(group)}) ==")
            by_focus: dict[str, list[ValidationResult]] = {}
            for r in group:
                by_focus.setdefault(_plain(r.focus), []).append(r)
            for focus, items in by_focus.items():
                sources = sorted({str(s) for r in items for s in r.sources})
                lines.append(f"{focus}")
                if sources:
                    lines.append("  from: " + "; ".join(sources))
                for r in items:
                    where = r.path.text() if r.path else "(entity)"
                    value = f" [value: {_short(r.value)}]" if r.value is not None else ""
                    lines.append(f"  - {where}: {r.message}{value}")
                    lines.append(f"      shape {r.shape_label}, {vocab.compact(r.component.value)}")
        lines.extend(parser_diagnostics.text_section(self.diagnostics))
        return "\n".join(lines) + "\n"

    def to_turtle(self) -> str:
        """An ``sh:ValidationReport`` in Turtle (valid input for any SHACL tool)."""
        return _turtle(self.results, self.conforms)

    def to_ntriples(self) -> str:
        """The report as N-Triples, ready for ``Store.replace_graphs`` (graph ``{base}graph/validation``)."""
        out = ox.serialize(
            ox.parse(self.to_turtle().encode("utf-8"), ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES
        )
        return out.decode("utf-8") if out else ""


def _short(term: Term) -> str:
    text = _plain(term)
    return text if len(text) <= 80 else text[:77] + "..."


def _turtle(results: Iterable[ValidationResult], conforms: bool) -> str:
    sh = vocab.SH
    lines = [
        f"@prefix sh: <{sh}> .",
        f"@prefix xsd: <{vocab.XSD}> .",
        "",
        "[] a sh:ValidationReport ;",
        f'  sh:conforms "{str(conforms).lower()}"^^xsd:boolean',
    ]
    for r in results:
        parts = [
            "a sh:ValidationResult",
            f"sh:focusNode {r.focus}",
            f"sh:resultSeverity {r.severity}",
            f"sh:sourceConstraintComponent {r.component}",
            f"sh:resultMessage {ox.Literal(r.message)}",
        ]
        if isinstance(r.shape, ox.NamedNode):
            parts.append(f"sh:sourceShape {r.shape}")
        if isinstance(r.constraint, ox.NamedNode):
            parts.append(f"sh:sourceConstraint {r.constraint}")
        if r.path is not None:
            parts.append(f"sh:resultPath {r.path.turtle()}")
        if r.value is not None:
            parts.append(f"sh:value {r.value}")
        lines[-1] += " ;"
        lines.append("  sh:result [ " + " ;\n      ".join(parts) + " ]")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def _sorted(results: list[ValidationResult]) -> list[ValidationResult]:
    order = {s: i for i, s in enumerate(vocab.SEVERITIES)}
    return sorted(results, key=lambda r: (order[r.severity], _plain(r.focus), r.key))
