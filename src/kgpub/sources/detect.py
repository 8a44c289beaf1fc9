"""Detect a source's kind from its content when the manifest does not declare it.

Content decides over file names where both are available, because copied pages are usually saved
as ``.txt``. Every detection comes with the reason, which the loader reports to the user (an info
diagnostic), so that a wrong guess is visible and can be fixed by declaring ``kind``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kgpub.records import SourceKind

_HEAD_BYTES = 65536
_RDF_EXT = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl"}
_RECORD_TYPES = ("work", "person", "profile")
_ARXIV_LINE = re.compile(r"^arXiv:\s*\S+", re.M)
_CREATED_LINE = re.compile(r"^Created:\s*\d{4}-\d{2}-\d{2}\s*$", re.M)
_PROFILE_MARKS = (
    re.compile(r"^Researcher profile\s*$", re.M),
    re.compile(r"^\d+ published items?(?:\(s\))?\s*$", re.M),
    re.compile(r"^Trust\s*\d+\s*-", re.M),
    re.compile(r"^\d+\s?works?\s*$", re.M),
)
_TURTLE_START = re.compile(r"^\s*(?:@prefix|@base|PREFIX|BASE)\b", re.I)
_NTRIPLE = re.compile(r"^(?:<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+.+\.\s*$")


def _records_line(line: str) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and obj.get("type") in _RECORD_TYPES


def detect_kind_with_reason(path: Path, data: bytes) -> tuple[SourceKind | None, str]:
    """The kind of a source and a short reason a person can check; (None, why) when unsure."""
    from kgpub.sources.feed import match_header  # the feed's own header rule, not a second copy

    suffix = path.suffix.lower()
    if suffix in _RDF_EXT:
        return "rdf", f"file extension {suffix}"
    head = data[:_HEAD_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    if stripped.startswith(("{", "[")):
        if lines and _records_line(lines[0]):
            return "records", "first line is a JSON object with a kgpub record type"
        if '"@context"' in head or '"@id"' in head:
            return "rdf", "JSON with @context/@id (JSON-LD)"
        if suffix in {".jsonl", ".ndjson"}:
            return "records", f"file extension {suffix}"
        return None, "JSON, but neither kgpub records nor JSON-LD"
    if stripped.startswith(("<?xml", "<rdf:RDF")):
        return "rdf", "XML document (RDF/XML)"
    if _TURTLE_START.match(stripped):
        return "rdf", "starts with a Turtle/TriG prefix or base declaration"
    if lines and all(_NTRIPLE.match(line) for line in lines[:5] if not line.startswith("#")):
        return "rdf", "lines are N-Triples/N-Quads statements"
    marks = sum(1 for pattern in _PROFILE_MARKS if pattern.search(head))
    if marks >= 2:
        return "profile", f"{marks} researcher-profile markers (page title, item count, trust, counts)"
    if _ARXIV_LINE.search(head) and _CREATED_LINE.search(head):
        return "arxiv-listing", "'arXiv:' identifier lines followed by 'Created:' dates"
    headers = sum(1 for line in lines[:30] if match_header(line))
    if headers >= 2 or (headers == 1 and len(lines) <= 3):
        return "feed", f"{headers} feed header line(s) such as '72.7AIJun 1' in the first 30 lines"
    if suffix in {".jsonl", ".ndjson"}:
        return "records", f"file extension {suffix}"
    return None, "no rule matched"


def detect_kind(path: Path, data: bytes) -> SourceKind | None:
    return detect_kind_with_reason(path, data)[0]
