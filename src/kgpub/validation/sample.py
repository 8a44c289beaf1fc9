"""A synthetic kgpub graph of any size, with every kind of defect the shapes look for.

The equivalence test and the benchmark need data shaped like a real build (works spread over
several source graphs, byline slots, persons, topics, listings, profiles, a provenance graph) in
which each rule has something to find; the seeds are far too small to time anything. Defects are
placed by a seeded random generator, so the same ``n`` always yields the same graph.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

SCHEMA = "http://schema.org/"
KG = "https://w3id.org/kgpub/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCT = "http://purl.org/dc/terms/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SOURCES = 4


class _Chance(random.Random):
    """A seeded generator whose ``chance(p)`` scales every defect rate by one factor."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__(seed)
        self.scale = scale

    def chance(self, p: float) -> bool:
        return self.random() < p * self.scale


def _lit(text: str, datatype: str | None = None) -> str:
    body = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return body + (f"^^<{datatype}>" if datatype else "")


class _Writer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str, graph: str) -> None:
        self.lines.append(f"{s} {p} {o} <{self.base}graph/{graph}> .\n")


def generate(n_works: int, base: str = "http://localhost:8080/", seed: int = 7, defects: float = 1.0) -> str:
    """N-Quads text: ``n_works`` works spread over a few source graphs, plus the provenance and
    reconciliation graphs. ``defects`` scales how often each defect is planted (1.0: about 1 work
    in 100 per kind)."""
    rnd = _Chance(seed, defects)
    w = _Writer(base)
    idr = f"<{base}id/"
    S, K = (lambda local: f"<{SCHEMA}{local}>"), (lambda local: f"<{KG}{local}>")
    for i, code in enumerate(("cs.LG", "cs.CR", "cs..bad")):
        topic = f"<https://w3id.org/kgpub/arxiv/{code}>"
        w.add(topic, TYPE, f"<{SKOS}Concept>", "taxonomy")
        if i != 1:
            w.add(topic, f"<{SKOS}prefLabel>", _lit(f"Topic {i}"), "taxonomy")
        w.add(topic, f"<{SKOS}notation>", _lit(code), "taxonomy")
    w.add(f"{idr}organization/o1>", TYPE, S("Organization"), "source/0")
    w.add(f"{idr}organization/o1>", S("name"), _lit("Meta AI"), "source/0")
    n_persons = max(2, n_works // 2)
    for p in range(n_persons):
        person, graph = f"{idr}person/p{p}>", f"source/{p % SOURCES}"
        w.add(person, TYPE, S("Person"), graph)
        if not rnd.chance(0.002):
            w.add(person, TYPE, f"<{FOAF}Person>", graph)
        w.add(person, S("name"), _lit("" if rnd.chance(0.002) else f"Person {p}"), graph)
        _lines(w, person, p, graph)
        if p % 5 == 0:
            orcid = f"0000-0002-{p % 10000:04d}-{p % 997:03d}X"
            orcid = orcid[:-2] if rnd.chance(0.01) else orcid
            w.add(person, S("sameAs"), f"<https://orcid.org/{orcid}>", graph)
            w.add(person, K("orcid"), _lit(orcid), graph)
    for i in range(n_works):
        _work(w, rnd, i, n_works, n_persons)
    for src in range(SOURCES):
        _source_doc(w, src, rnd)
    for p in range(0, n_persons, 50):
        snap, graph = f"{idr}profile/s{p}>", f"source/{p % SOURCES}"
        w.add(snap, TYPE, K("ProfileSnapshot"), graph)
        w.add(snap, K("snapshotOf"), f"{idr}person/p{p}>", graph)
        w.add(snap, K("worksCount"), _lit(str(rnd.choice((0, 3, 6, 40))), XSD + "integer"), graph)
        w.add(snap, K("trustScore"), _lit(str(rnd.choice((21, 40, 140))), XSD + "integer"), graph)
        w.add(snap, f"<{DCT}date>", _lit("2024-05-01", XSD + "date"), graph)
        _lines(w, snap, p, graph)
    return "".join(w.lines)


def _lines(w: _Writer, subject: str, i: int, graph: str) -> None:
    w.add(subject, f"<{KG}sourceLine>", _lit(str(3 * i + 1), XSD + "integer"), graph)
    w.add(subject, f"<{KG}sourceLineEnd>", _lit(str(3 * i + 3), XSD + "integer"), graph)


def _work(w: _Writer, rnd: _Chance, i: int, n: int, n_persons: int) -> None:
    base, graph = w.base, f"source/{i % SOURCES}"
    work = f"<{base}id/work/w{i}>"
    S, K = (lambda local: f"<{SCHEMA}{local}>"), (lambda local: f"<{KG}{local}>")
    roll = rnd.random
    chance = rnd.chance
    w.add(work, TYPE, S("ScholarlyArticle"), graph)
    _lines(w, work, i, graph)
    titled = not chance(0.03)
    if titled:
        w.add(work, S("name"), _lit(f"On problem {i}"), graph)
        if chance(0.01):  # a second source disagrees on the title
            w.add(work, S("name"), _lit(f"On the problem {i}"), f"source/{(i + 1) % SOURCES}")
    w.add(work, S("abstract"), _lit(f"We study problem {i} and report results."), graph)
    if titled or roll() > 0.2:
        arxiv = f"{i % 25:02d}{(i % 12) + 1:02d}.{i % 100000:05d}"
        if chance(0.01):
            arxiv = arxiv.replace(".", "_")
        w.add(work, S("sameAs"), f"<https://arxiv.org/abs/{arxiv}>", graph)
        w.add(work, K("arxivId"), _lit(arxiv), graph)
    if roll() < 0.3:
        doi = f"10.{1000 + i % 9000}/x{i}" if not chance(0.02) else f"10.12/X{i}"
        if chance(0.005) and i > 0:
            doi = f"10.{1000 + (i - 1) % 9000}/x{i - 1}"  # shares a DOI with a neighbour
        w.add(work, S("sameAs"), f"<https://doi.org/{doi}>", graph)
        w.add(work, K("doi"), _lit(doi), graph)
    date = rnd.choice(
        (f"20{i % 24:02d}-0{1 + i % 9}-1{i % 9}", f"20{i % 24:02d}-1{i % 3}", f"20{i % 24:02d}")
    )
    datatype = XSD + ("date" if date.count("-") == 2 else "gYearMonth" if "-" in date else "gYear")
    if chance(0.01):
        date = date.replace("20", "2O", 1)
    w.add(work, S("dateCreated"), _lit(date, datatype), graph)
    if chance(0.01):
        w.add(work, S("dateCreated"), _lit("2001", XSD + "gYear"), f"source/{(i + 1) % SOURCES}")
    if chance(0.02):
        w.add(work, K("yearInferred"), _lit("true", XSD + "boolean"), graph)
    for code in rnd.sample(("cs.LG", "cs.CR", "cs.IR", "math.AG", "LG"), rnd.choice((1, 2))):
        w.add(work, K("categoryPrinted"), _lit(code), graph)
        if code == "LG" and chance(0.3):
            w.add(work, S("about"), "<https://w3id.org/kgpub/arxiv/LG%20x>", graph)
        elif code == "LG":
            w.add(work, K("categoryUnresolved"), _lit("LG (ambiguous: cs.LG, stat.ML)"), graph)
        else:
            w.add(work, S("about"), f"<https://w3id.org/kgpub/arxiv/{code}>", graph)
    if chance(0.3):
        w.add(work, K("bylineTruncated"), _lit("true", XSD + "boolean"), graph)
    positions = [1, 2, 3]
    if chance(0.01):
        positions = [1, 2, 2]
    elif chance(0.01):
        positions = [1, 2, 4]
    for slot, pos in enumerate(positions):
        person = f"<{base}id/person/p{(i + slot * 7919) % n_persons}>"
        slot_iri = f"<{base}id/authorship/w{i}-{slot}>"
        name = f"Person {(i + slot * 7919) % n_persons}"
        if chance(0.003):
            name = "et al."
        elif chance(0.003):
            name = "Meta AI"
        w.add(work, K("authorship"), slot_iri, graph)
        w.add(slot_iri, TYPE, K("Authorship"), graph)
        w.add(slot_iri, K("position"), _lit(str(pos), XSD + "integer"), graph)
        w.add(slot_iri, K("printedName"), _lit(name), graph)
        w.add(slot_iri, K("person"), person, graph)
        w.add(work, S("author"), person, graph)
    if chance(0.01) and i + 1 < n:
        candidate = f"<{base}id/candidate/c{i}>"
        w.add(candidate, TYPE, K("MergeCandidate"), "reconciliation")
        w.add(candidate, K("candidateWork"), work, "reconciliation")
        w.add(candidate, K("candidateWork"), f"<{base}id/work/w{i + 1}>", "reconciliation")
        w.add(candidate, K("similarity"), _lit("0.93", XSD + "decimal"), "reconciliation")
    if i % 10 == 0:
        _listing(w, rnd, i, work, graph)


def _listing(w: _Writer, rnd: _Chance, i: int, work: str, graph: str) -> None:
    K = lambda local: f"<{KG}{local}>"  # noqa: E731
    listing = f"<{w.base}id/listing/l{i}>"
    w.add(listing, TYPE, K("FeedListing"), graph)
    _lines(w, listing, i, graph)
    w.add(listing, K("listedWork"), work, graph)
    w.add(listing, K("position"), _lit(str(1 + i // 10), XSD + "integer"), graph)
    w.add(listing, K("score"), _lit(f"{rnd.random() * 100:.1f}", XSD + "decimal"), graph)
    w.add(listing, K("hasCode"), _lit("yes" if rnd.chance(0.01) else "true", XSD + "boolean"), graph)
    w.add(listing, K("capturedOn"), _lit("2024-05-01", XSD + "date"), graph)
    w.add(
        listing, f"<{DCT}date>", _lit("2024-5" if rnd.chance(0.01) else "2024-05", XSD + "gYearMonth"), graph
    )
    if rnd.chance(0.05):
        w.add(listing, K("categoryUnresolved"), _lit("AR (ambiguous: cs.AR, astro-ph)"), graph)
    if rnd.chance(0.05):
        w.add(listing, K("yearInferred"), _lit("true", XSD + "boolean"), graph)


def _source_doc(w: _Writer, src: int, rnd: _Chance) -> None:
    doc = f"<{w.base}id/source/s{src}>"
    w.add(doc, TYPE, f"<{KG}SourceDocument>", "provenance")
    w.add(doc, f"<{KG}fileName>", _lit(f"source-{src}.txt"), "provenance")
    if src != SOURCES - 1:  # the last one lacks its checksum
        w.add(doc, f"<{KG}sha256>", _lit(f"{rnd.getrandbits(256):064x}"), "provenance")
    w.add(doc, f"<{KG}capturedOn>", _lit("2024-05-01", XSD + "date"), "provenance")
    w.add(doc, f"<{KG}namedGraph>", f"<{w.base}graph/source/{src}>", "provenance")


def merged_ntriples(nquads: str) -> Iterator[str]:
    """The merged view as N-Triples lines (graph names dropped), for a single-graph validator."""
    for line in nquads.splitlines():
        head, _, _ = line.rpartition(" <")
        yield head + " .\n"
