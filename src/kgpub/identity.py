"""Opaque, stable keys for entity IRIs.

An IRI must survive re-runs, reordered sources and added sources, and must never leak a name or a
title. So a key is a short hash of the strongest identifier a record carries, and every record mints
its *own* candidate key: when records merge, the member with the strongest identifier survives and
the others become redirects, so an IRI that was published once keeps answering.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import NamedTuple

from kgpub.records import WorkRecord

ENTITY_TYPES = ("work", "person", "authorship", "organization", "profile", "listing", "source", "activity")

# Lower rank = stronger. Ties between equally strong identifiers are broken by the identifier text.
WORK_RANKS = {"doi": 0, "arxiv": 1, "abstract": 2, "record": 3}
PERSON_RANKS = {"orcid": 0, "profile": 1, "name": 2}

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 20)
def hash_key(identifier: str) -> str:
    """80 bits of sha256 as 20 lower-case hex digits: safe in a path segment, opaque, and cheap
    to compute (hexdigest is native; base32 encoding is pure Python and 5× slower)."""
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:20]


class Identity(NamedTuple):
    """The identifier an IRI key is minted from; tuples order strongest first (rank, then text).
    A named tuple, not a dataclass: a build creates several per record and sorts them."""

    rank: int
    identifier: str  # e.g. "doi:10.1145/123", "arxiv:2303.06182", "abstract:<sha256>"

    @property
    def key(self) -> str:
        return hash_key(self.identifier)

    def sort_key(self) -> tuple[int, str]:
        return (self.rank, self.identifier)


def normalise_text(text: str) -> str:
    """Whitespace collapsed, ends stripped: the form in which two abstracts count as identical."""
    return _SPACE.sub(" ", text).strip()


def abstract_digest(abstract: str) -> str:
    return hashlib.sha256(normalise_text(abstract).encode("utf-8")).hexdigest()


def normalise_doi(doi: str) -> str:
    doi = doi.strip()
    for prefix in (
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return doi.lower()


def work_identities(source: str, work: WorkRecord) -> list[Identity]:
    """Every strong identifier a work record carries, strongest first; the last is always the
    record's own fallback (source name + local id), so every record can mint an IRI."""
    ids: list[Identity] = []
    if work.doi:
        ids.append(Identity(WORK_RANKS["doi"], "doi:" + normalise_doi(work.doi)))
    if work.arxiv_id:
        ids.append(Identity(WORK_RANKS["arxiv"], "arxiv:" + work.arxiv_id.strip().lower()))
    text = normalise_text(work.abstract) if work.abstract else ""
    if text:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        ids.append(Identity(WORK_RANKS["abstract"], "abstract:" + digest))
    ids.append(Identity(WORK_RANKS["record"], f"record:{source}#{work.local_id}"))
    return ids


def person_identities(orcid: str | None, profile_url: str | None, name_key: str) -> list[Identity]:
    """Strongest first; the name identity is always last."""
    ids = []
    if orcid:
        ids.append(Identity(PERSON_RANKS["orcid"], "orcid:" + orcid.strip().upper()))
    if profile_url:
        ids.append(Identity(PERSON_RANKS["profile"], "profile:" + profile_url.strip()))
    ids.append(Identity(PERSON_RANKS["name"], "name:" + name_key))
    return ids


def person_identity(orcid: str | None, profile_url: str | None, name_key: str) -> Identity:
    return person_identities(orcid, profile_url, name_key)[0]


def iri(base: str, kind: str, key: str) -> str:
    """``{base}id/{kind}/{key}``; base must end with '/'."""
    return f"{base}id/{kind}/{key}"


def graph_iri(base: str, kind: str, key: str | None = None) -> str:
    return f"{base}graph/{kind}" if key is None else f"{base}graph/{kind}/{key}"


def source_key(source_name: str) -> str:
    """From the display name (not the content hash): a changed file replaces the same graph."""
    return hash_key("source:" + source_name)
