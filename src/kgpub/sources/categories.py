"""arXiv subject classes: bare codes as feeds print them (``LG``) resolved to full categories.

The taxonomy is data (``ontology/arxiv-taxonomy.ttl``, a SKOS concept scheme), read once. A bare
code that exists in several archives (``CV``: cs.CV and math.CV) is never guessed: it is resolved by
the source's context (the archive most used by the other, unambiguous codes of the same source) or
left unresolved with the alternatives listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph

from kgpub.project import data_file
from kgpub.records import Category

SCHEME = "https://w3id.org/kgpub/arxiv/"
TAXONOMY_FILE = "arxiv-taxonomy.ttl"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True, slots=True)
class Taxonomy:
    labels: dict[str, str]  # full category (or archive) code -> English label
    archives: frozenset[str]  # archive codes (cs, math, hep-th, ...)
    by_bare: dict[str, tuple[str, ...]]  # bare code -> full categories, sorted

    def iri(self, code: str) -> str:
        return SCHEME + code


@cache
def taxonomy() -> Taxonomy:
    """Read the SKOS file once per process."""
    notation = pyoxigraph.NamedNode(_SKOS + "notation")
    pref = pyoxigraph.NamedNode(_SKOS + "prefLabel")
    top = pyoxigraph.NamedNode(_SKOS + "topConceptOf")
    codes: dict[str, str] = {}
    labels_by_subject: dict[str, str] = {}
    archives: set[str] = set()
    for quad in pyoxigraph.parse(
        path=data_file("ontology", TAXONOMY_FILE), format=pyoxigraph.RdfFormat.TURTLE
    ):
        subject = quad.subject.value
        if quad.predicate == notation:
            codes[subject] = quad.object.value
        elif quad.predicate == pref:
            labels_by_subject[subject] = quad.object.value
        elif quad.predicate == top:
            archives.add(subject)
    labels = {code: labels_by_subject.get(subject, code) for subject, code in codes.items()}
    by_bare: dict[str, list[str]] = {}
    for code in labels:
        if "." in code:
            by_bare.setdefault(code.split(".", 1)[1], []).append(code)
        elif code in {codes[a] for a in archives}:
            by_bare.setdefault(code, []).append(code)  # archive without subject classes: gr-qc, quant-ph
    return Taxonomy(
        labels=labels,
        archives=frozenset(codes[a] for a in archives),
        by_bare={bare: tuple(sorted(full)) for bare, full in by_bare.items()},
    )


def archive_of(code: str) -> str:
    return code.split(".", 1)[0]


def resolve_code(printed: str) -> Category:
    """Resolve one code without context: full, unique, ambiguous (alternatives) or unknown."""
    tax = taxonomy()
    code = printed.strip()
    if "." in code:
        return Category(printed, code, "full") if code in tax.labels else Category(printed, None, "unknown")
    if code in tax.archives and tax.by_bare.get(code) == (code,):
        return Category(printed, code, "full")  # an archive that is itself a category: gr-qc, quant-ph
    candidates = tax.by_bare.get(code, ())
    if not candidates:
        # printed case may differ (``lg``); subject classes are upper case, physics ones lower case
        candidates = tax.by_bare.get(code.upper(), ()) or tax.by_bare.get(code.lower(), ())
    if len(candidates) == 1:
        return Category(printed, candidates[0], "unique")
    if candidates:
        return Category(printed, None, "ambiguous", candidates)
    return Category(printed, None, "unknown")


def archive_counts(categories: Iterable[Category]) -> Counter[str]:
    """How often each archive is used by codes that resolved without doubt."""
    return Counter(
        archive_of(c.resolved) for c in categories if c.resolved and c.resolution in ("full", "unique")
    )


def decide_by_context(category: Category, context: Counter[str]) -> Category:
    """Pick among an ambiguous code's archives the one the context uses strictly most; else leave it."""
    if category.resolution != "ambiguous":
        return category
    ranked = sorted(((context.get(archive_of(alt), 0), alt) for alt in category.alternatives), reverse=True)
    best_count, best = ranked[0]
    if best_count > 0 and (len(ranked) == 1 or ranked[1][0] < best_count):
        return Category(category.printed, best, "context", category.alternatives)
    return category


def label(code: str) -> str | None:
    return taxonomy().labels.get(code)
