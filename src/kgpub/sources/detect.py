"""Detect a source's kind from its content when the manifest does not declare it."""

from __future__ import annotations

import re
from pathlib import Path

from kgpub.records import SourceKind

_RDF_EXT = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".n3"}
_ARXIV = re.compile(r"^arXiv:\S+", re.M)
_CREATED = re.compile(r"^Created: \d{4}-\d{2}-\d{2}\s*$", re.M)


def detect_kind(path: Path, data: bytes) -> SourceKind | None:
    if path.suffix.lower() in _RDF_EXT:
        return "rdf"
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return "records"
    head = data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    if head.lstrip().startswith("{"):
        return "records"
    if "Researcher profile" in head[:200] or re.search(r"^\d+ published item\(s\)$", head, re.M):
        return "profile"
    if _ARXIV.search(head) and _CREATED.search(head):
        return "arxiv-listing"
    lines = head.split("\n")
    header = re.compile(r"^(\d+(\.\d+)?)?[A-Z]{2}[A-Z][a-z]{2} \d{1,2}(, \d{4})?(Code)?$")
    if sum(1 for line in lines[:30] if header.match(line.strip())) >= 2:
        return "feed"
    return None
