"""Identifiers as sources print them, normalised to the one form records carry.

arXiv ids lose their version (kept apart), DOIs lose their resolver prefix and are lower-cased
(DOIs are case-insensitive), ORCID iDs are bare and checked with their ISO 7064 check digit.
"""

from __future__ import annotations

import re

_NEW_ARXIV = re.compile(r"^(?P<id>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v(?P<v>[1-9]\d*))?$")
_OLD_ARXIV = re.compile(
    r"^(?P<id>[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v(?P<v>[1-9]\d*))?$"
)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.I)
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """(versionless id, version or None), or None when ``text`` is not an arXiv identifier."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    m = _NEW_ARXIV.match(text) or _OLD_ARXIV.match(text)
    if m is None:
        return None
    return m.group("id"), int(m.group("v")) if m.group("v") else None


def normalise_doi(text: str) -> str | None:
    m = _DOI.match(text.strip())
    return m.group(1).lower() if m else None


def normalise_orcid(text: str) -> str | None:
    """Bare ORCID iD if the text is one and its check digit is right, else None."""
    m = _ORCID.match(text.strip())
    if m is None:
        return None
    digits = m.group(1).replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return m.group(1) if digits[-1] == expected else None
