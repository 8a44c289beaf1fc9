"""The dataset summary of one published snapshot: home-page figures, latest works, examples, the
search index and the sitemap's entity paths, computed once and kept in files beside the snapshot.

Each of these needs a scan of the whole graph (the class counts alone take seconds at 100k works),
so none may run per request, nor on the first request of every web worker. A snapshot never
changes once published, so its summary is computed once, by the build right after it publishes
(:func:`write`) or, for a snapshot published without one, by the first reader that needs it; it is
written atomically next to the snapshot (``<snapshot>.home.json`` …, the search index packed in
``<snapshot>.search.bin``: :mod:`kgpub.packed`), which the store keeps and removes together with
the snapshot (:mod:`kgpub.summary_files`). Stores without snapshot files (a remote server) keep
the values in memory only (:mod:`kgpub.web.listings`). Every work's related works are a part too
(:mod:`kgpub.related`), but one only a build computes: the web asks the store without it.

Pure data in, pure data out: this module knows the store and IRIs, not Flask; the base IRI is an
argument, and a file computed for another base is ignored.
"""

from __future__ import annotations

import re
from array import array
from typing import Any

import pyoxigraph as ox

from kgpub import related
from kgpub.packed import Strings
from kgpub.store import Store
from kgpub.summary_files import part_path, save

SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KGPUB = "https://w3id.org/kgpub/ns#"
ARXIV = "https://w3id.org/kgpub/arxiv/"
PARTS = ("home", "search", "paths", "topics", "related")

_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#> " \
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"  # fmt: skip
# top-k over one date property at a time (no GROUP BY over every work): far cheaper at 100k works
# no secondary sort key: "ORDER BY DESC(STR(?d)) ?w" costs 8 s at 100k works against 1.5 s without
LATEST = _P + "SELECT $datep ?w ?d WHERE { ?w $datep ?d } ORDER BY DESC(STR(?d)) LIMIT 30"
TITLES = (
    _P
    + "SELECT ?w (SAMPLE(?t) AS ?title) WHERE { VALUES ?w { %s } OPTIONAL { ?w schema:name ?t } } GROUP BY ?w"
)
EXAMPLE = "SELECT $c ?s WHERE { ?s a $c FILTER(isIRI(?s)) } LIMIT 1"
TYPED = "SELECT DISTINCT $c ?s WHERE { ?s a $c FILTER(isIRI(?s)) }"
LABEL = (
    _P
    + """SELECT $s ?l WHERE { { $s schema:name ?l } UNION { $s skos:prefLabel ?l }
  UNION { $s kgpub:fileName ?l } UNION { $s kgpub:printedName ?l } } LIMIT 1"""
)
NAMES = "SELECT $p ?s ?l WHERE { ?s $p ?l FILTER(isIRI(?s) && isLiteral(?l)) }"
DATES = "SELECT $p ?w ?d WHERE { ?w $p ?d FILTER(isIRI(?w)) }"
LABEL_PREDICATES = (SCHEMA + "name", SKOS + "prefLabel", KGPUB + "fileName")
DATE_PREDICATES = (SCHEMA + "datePublished", SCHEMA + "dateCreated", KGPUB + "dateListed")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "002_feed.txt" is 002, feed, txt

# classes shown on the home page, in this order, with the names people use
SHOWN_CLASSES = [
    (SCHEMA + "ScholarlyArticle", "works"),
    (SCHEMA + "Person", "people"),
    (SCHEMA + "Organization", "organisations"),
    (SKOS + "Concept", "topics"),
    (KGPUB + "Authorship", "authorships"),
    (KGPUB + "ProfileSnapshot", "profile snapshots"),
    (KGPUB + "FeedListing", "feed listings"),
    (KGPUB + "SourceDocument", "source documents"),
]


def words_of(text: str) -> list[str]:
    """The words search indexes and looks up (case-folded)."""
    return _WORD.findall(text.casefold())


def served(iri: str, own: str) -> tuple[str, str] | None:
    """(path relative to the app root, kind) of an IRI we serve (``own`` is ``{base}id/``); plain
    string work (these loops run over every entity of a snapshot)."""
    if iri.startswith(own):
        rest = iri[len(own) :]
        kind, slash, key = rest.partition("/")
        if slash and key and "/" not in key and "#" not in key and "?" not in key:
            return f"/id/{rest}", kind
        return None
    if iri.startswith(ARXIV):
        key = iri[len(ARXIV) :]
        return (f"/id/topic/{key}", "topic") if key and "/" not in key and "#" not in key else None
    return None


class Scans:
    """Full scans that several parts read, each run once per :func:`write`: every ``schema:name``
    (1.3 s at 100,000 works) is read by the search index, the topic lists and the related works."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, list[tuple[str, str]]] = {}
        self._about: list[tuple[str, str]] | None = None
        self._titles: dict[str, str] | None = None

    def names(self, pred: str) -> list[tuple[str, str]]:
        """(IRI, literal value) of every ``?s pred ?l`` with an IRI subject and a literal object."""
        if pred not in self._names:
            rows = self.store.query(NAMES, substitutions={"p": ox.NamedNode(pred)})
            self._names[pred] = [(r["s"].value, r["l"].value) for r in rows]
        return self._names[pred]

    def about(self) -> list[tuple[str, str]]:
        """``?w schema:about ?c`` of IRI works, as N-Triples tokens in the store's order
        (:data:`kgpub.related.ABOUT`)."""
        if self._about is None:
            self._about = related.rows(self.store, related.ABOUT)
        return self._about

    def titles(self) -> dict[str, str]:
        """Each IRI's least ``schema:name``: a work's title wherever a summary shows it."""
        if self._titles is None:
            self._titles = {}
            for w, name in self.names(SCHEMA + "name"):
                if w not in self._titles or name < self._titles[w]:
                    self._titles[w] = name
        return self._titles


# -- the computations ----------------------------------------------------------------------------
def home(store: Store) -> dict[str, Any]:
    """Store figures, the ten latest works (IRI, title, date), one example per shown class and its label."""
    s = store.stats()
    examples: dict[str, str] = {}
    for cls, _ in SHOWN_CLASSES:
        for r in store.query(EXAMPLE, substitutions={"c": ox.NamedNode(cls)}):
            examples[cls] = r["s"].value
    labels: dict[str, str] = {}
    for iri in examples.values():
        for r in store.query(LABEL, substitutions={"s": ox.NamedNode(iri)}):
            labels[iri] = r["l"].value
    stats = {"quads": s.quads, "graphs": dict(s.graphs), "classes": dict(s.classes)}
    return {"stats": stats, "latest": latest_works(store), "examples": examples, "labels": labels}


def latest_works(store: Store) -> list[list[str]]:
    best: dict[str, str] = {}
    for prop in DATE_PREDICATES:
        for r in store.query(LATEST, substitutions={"datep": ox.NamedNode(prop)}):
            w, d = r["w"].value, r["d"].value
            if d > best.get(w, ""):
                best[w] = d
    top = sorted(best.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:10]
    if not top:
        return []
    values = " ".join(str(ox.NamedNode(w)) for w, _ in top)  # IRIs from the store, serialised by pyoxigraph
    titles = {r["w"].value: r["title"] for r in store.query(TITLES % values)}
    return [[w, titles[w].value if titles.get(w) is not None else "(untitled work)", d] for w, d in top]


def search(store: Store, base: str, scans: Scans | None = None) -> dict[str, Any]:
    """Searchable (label, IRI, kind) triples as parallel lists (packed: :class:`Strings`), and the
    inverted index over their words: the sorted vocabulary, and per word a run of entry numbers in
    one flat array."""
    scans = scans or Scans(store)
    own = base + "id/"
    seen: set[tuple[str, str]] = set()
    labels: list[str] = []
    found_iris: list[str] = []
    kinds: list[str] = []
    postings: dict[str, list[int]] = {}
    for pred in LABEL_PREDICATES:
        for iri, label in scans.names(pred):
            found = served(iri, own)
            if found is None or (iri, label) in seen:
                continue
            seen.add((iri, label))
            number = len(labels)
            labels.append(label)
            found_iris.append(iri)
            kinds.append(found[1])
            for word in set(words_of(label)):
                postings.setdefault(word, []).append(number)
    vocabulary = sorted(postings)
    flat, offsets = array("I"), array("I", [0])
    for word in vocabulary:
        flat.extend(postings[word])
        offsets.append(len(flat))
    return {"labels": Strings.of(labels), "iris": Strings.of(found_iris), "kinds": Strings.of(kinds),
            "vocabulary": Strings.of(vocabulary), "flat": flat, "offsets": offsets,
            **search_ranks(labels, found_iris, kinds, vocabulary)}  # fmt: skip


NO_WORD = 0xFFFFFFFF


def search_ranks(labels: list[str], found: list[str], kinds: list[str], vocabulary: list[str]) -> dict[str, array]:
    """What a search ranks and groups its hits by, as numbers, so that it reads no string of a hit
    it does not show: per entry, the first entry of the same IRI (``same``), its place in the order
    people first, then by folded label and IRI (``rank``), and the vocabulary number of the word
    its folded label begins with (``lead``; a label "starts with" a query word when that word
    prefixes this one)."""
    first_of: dict[str, int] = {}
    same = array("I", (first_of.setdefault(iri, n) for n, iri in enumerate(found)))
    folded = [label.casefold() for label in labels]
    order = sorted(range(len(labels)), key=lambda n: (kinds[n] != "person", folded[n], found[n], n))
    rank = array("I", bytes(4 * len(labels)))
    for place, n in enumerate(order):
        rank[n] = place
    number = {w: i for i, w in enumerate(vocabulary)}
    lead = array("I", [NO_WORD]) * len(labels)
    for n, text in enumerate(folded):
        m = _WORD.match(text)
        if m is not None:
            lead[n] = number.get(m.group(), NO_WORD)
    return {"same": same, "rank": rank, "lead": lead}


def topics(store: Store, scans: Scans | None = None) -> dict[str, Any]:
    """Every topic's works, newest first: what a topic page lists, 50 a page.

    Grouping and ordering a topic's works in SPARQL took 1.6 s for 12,663 works at 100,000 works
    (11.7 s for the largest topic on a cold worker), once per topic and web worker; three plain
    scans joined here take seconds for all topics together, once per snapshot. Order: latest date
    first (any of the three date properties, undated last), then IRI; a work's title is the least
    of its names. Packed: ``topics`` (sorted IRIs) with ``ends`` into ``members``, which number the
    rows of ``works`` / ``titles`` / ``dates`` ("" for none)."""
    scans = scans or Scans(store)
    about: dict[str, list[str]] = {}
    for w, t in scans.about():
        if t.startswith("<"):  # an IRI topic (tokens: "<iri>")
            about.setdefault(t[1:-1], []).append(w[1:-1])
    listed = {w for works in about.values() for w in works}
    titles = scans.titles()
    dates: dict[str, str] = {}
    for pred in DATE_PREDICATES:
        for r in store.query(DATES, substitutions={"p": ox.NamedNode(pred)}):
            w, d = r["w"].value, r["d"].value
            if w in listed and d > dates.get(w, ""):
                dates[w] = d
    rows = sorted(listed)
    number = {w: i for i, w in enumerate(rows)}
    members, ends = array("I"), array("I")
    names = sorted(about)
    for topic in names:
        works = sorted(set(about[topic]))  # IRI order, then stably by date, newest first
        works.sort(key=lambda w: (w in dates, dates.get(w, "")), reverse=True)
        members.extend(number[w] for w in works)
        ends.append(len(members))
    return {"topics": Strings.of(names), "ends": ends, "members": members, "works": Strings.of(rows),
            "titles": Strings.of(titles.get(w, "") for w in rows),
            "dates": Strings.of(dates.get(w, "") for w in rows)}  # fmt: skip


def related_works(store: Store, scans: Scans | None = None) -> dict[str, Any]:
    """Every work's related works, as a work page shows them (:mod:`kgpub.related`)."""
    scans = scans or Scans(store)
    return related.compute(related.rows(store, related.AUTHORS), scans.about(), scans.titles())


def paths(store: Store, base: str, classes: dict[str, int]) -> list[str]:
    """App paths (without the script root) of every typed entity we serve but authorship slots."""
    own, found = base + "id/", set()
    for cls in classes:
        if cls == KGPUB + "Authorship":
            continue
        for r in store.query(TYPED, substitutions={"c": ox.NamedNode(cls)}):
            hit = served(r["s"].value, own)
            if hit is not None:
                found.add(hit[0])
    return sorted(found)


def write(store: Store, base: str) -> dict[str, float]:
    """The build's last step: compute and store every part for the snapshot just published;
    returns seconds per part (the build reports them)."""
    import time

    snapshot = getattr(store, "snapshot_id", None)
    if part_path(store, snapshot, "home") is None:
        return {}
    timings: dict[str, float] = {}
    t = time.perf_counter()
    figures = home(store)
    save(store, snapshot, "home", base, figures)
    timings["home"] = time.perf_counter() - t
    scans = Scans(store)
    t = time.perf_counter()
    save(store, snapshot, "search", base, search(store, base, scans))
    timings["search"] = time.perf_counter() - t
    t = time.perf_counter()
    save(store, snapshot, "paths", base, {"paths": paths(store, base, figures["stats"]["classes"])})
    timings["paths"] = time.perf_counter() - t
    t = time.perf_counter()
    save(store, snapshot, "topics", base, topics(store, scans))
    timings["topics"] = time.perf_counter() - t
    t = time.perf_counter()
    save(store, snapshot, "related", base, related_works(store, scans))
    timings["related"] = time.perf_counter() - t
    return timings
