"""SHACL validation of the merged graph, compiled to SPARQL and run on the store itself.

Public API (what the CLI, the build and the web call)::

    report = validate_store(store)                      # full run, shapes from the project's shapes/
    report = validate_store(store, focus_graphs=[g])    # only entities found in changed graphs
    report = previous.updated_with(report)              # merge an incremental run
    report.conforms, report.counts()                    # no Violation? results per severity
    report.to_text(), report.to_json(), report.to_turtle()
    store.replace_graphs({validation_graph(base): report.to_ntriples()}, {...})  # per-entity status

Shapes with a construct the engine does not implement are refused with a ConfigError, never
skipped.
"""

from __future__ import annotations

from kgpub.validation.engine import compile_shapes, runner_for, validate_store
from kgpub.validation.report import Report, SourceRef, ValidationResult
from kgpub.validation.shapes import Shape, ShapePath, load_shapes

__all__ = [
    "Report",
    "Shape",
    "ShapePath",
    "SourceRef",
    "ValidationResult",
    "compile_shapes",
    "load_shapes",
    "runner_for",
    "validate_store",
    "validation_graph",
]


def validation_graph(base: str) -> str:
    """The named graph holding the last validation report, read by the web for entity status."""
    return base.rstrip("/") + "/graph/validation"
