"""The mapped dataset, loaded into pyoxigraph and queried as a consumer would."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from kgpub.mapping import map_dataset
from kgpub.project import data_file
from kgpub.records import ParseResult, Provenance, RdfPayload, SourceDoc

from .builders import FEED_BYLINES, OWNER, TITLES, all_results, feed, listing, profile

BASE = "http://kg.example/"
PREFIXES = "PREFIX schema: <http://schema.org/>\nPREFIX kgpub: <https://w3id.org/kgpub/ns#>\n"


def _store(results):
    mapped = map_dataset(results, BASE)
    store = ox.Store()
    store.load(mapped.nquads().encode("utf-8"), ox.RdfFormat.N_QUADS)
    return mapped, store


def _rows(store, query, **bindings):
    """Bindings go in as a VALUES block written from pyoxigraph terms (their str() is N-Triples)."""
    if bindings:
        head = " ".join(f"?{k}" for k in bindings)
        row = " ".join(str(v) for v in bindings.values())
        query = query.replace("{", f"{{ VALUES ({head}) {{ ({row}) }} ", 1)
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)


@pytest.fixture(scope="module")
def built():
    return _store(all_results())


def test_distinct_works(built):
    mapped, store = built
    [row] = _rows(store, "SELECT (COUNT(DISTINCT ?w) AS ?n) { ?w a schema:ScholarlyArticle }")
    assert int(row["n"].value) == 10
    assert mapped.entity_counts()["works"] == 10


def test_merged_work_has_title_from_profile_and_arxiv_id_from_listing(built):
    _, store = built
    rows = _rows(
        store,
        "SELECT ?w ?id ?same { ?w schema:name ?t ; kgpub:arxivId ?id ; schema:sameAs ?same }",
        t=ox.Literal(TITLES[2]),
    )
    assert {(r["id"].value, r["same"].value) for r in rows} == {("2302.00002", "https://arxiv.org/abs/2302.00002")}
    rows = _rows(store, "SELECT ?same { ?w schema:name ?t ; schema:sameAs ?same }", t=ox.Literal(TITLES[1]))
    assert {r["same"].value for r in rows} == {
        "https://arxiv.org/abs/2301.00001",
        "https://doi.org/10.1109/iccad.2019.1",
    }


def test_feed_bylines_linked_in_order(built):
    _, store = built
    q = """SELECT DISTINCT ?pos ?printed ?person ?auth { GRAPH ?g { ?w schema:name ?t ; kgpub:authorship ?a .
             ?a kgpub:position ?pos ; kgpub:printedName ?printed ; kgpub:person ?person }
             OPTIONAL { ?w schema:author ?auth FILTER(?auth = ?person) } } ORDER BY ?pos"""
    for n, names in zip([3, 30, 4, 60, 70, 80], FEED_BYLINES, strict=True):
        title = "Private recommendation from logged feedback" if n == 4 else TITLES[n]
        rows = _rows(store, q, t=ox.Literal(title))
        printed = [n for n in names if n != "et al."]
        assert [int(r["pos"].value) for r in rows] == list(range(1, len(printed) + 1))
        assert [r["printed"].value for r in rows] == printed
        assert all(r["auth"] is not None for r in rows)  # unordered schema:author too


def test_truncated_byline_marked_and_no_bogus_persons(built):
    _, store = built
    [row] = _rows(store, "SELECT (COUNT(*) AS ?n) { ?w kgpub:bylineTruncated true }")
    assert int(row["n"].value) == sum(1 for b in FEED_BYLINES if len(b) == 3)
    names = {r["n"].value.lower() for r in _rows(store, "SELECT ?n { ?p a schema:Person ; schema:name ?n }")}
    assert not any("et al" in n for n in names)
    assert "acme labs" not in names
    orgs = _rows(store, "SELECT ?n { ?o a schema:Organization ; schema:name ?n }")
    assert [r["n"].value for r in orgs] == ["Acme Labs"]


def test_listing_subject_is_author_of_every_listing_work(built):
    mapped, store = built
    owner = mapped.reconciled.persons.for_name(OWNER)
    person = ox.NamedNode(f"{BASE}id/person/{owner.key}")
    rows = _rows(
        store,
        "SELECT ?w { ?s kgpub:fileName 'listing.txt' ; kgpub:namedGraph ?g . "
        "GRAPH ?g { ?w a schema:ScholarlyArticle } FILTER NOT EXISTS { ?w schema:author ?p } }",
        p=person,
    )
    assert rows == []
    rows = _rows(store, "SELECT (COUNT(DISTINCT ?w) AS ?n) { ?w schema:author ?p }", p=person)
    assert int(rows[0]["n"].value) == 7  # 5 listing + 5 profile works, 3 shared


def test_provenance_query_names_the_source_of_each_title(built):
    mapped, store = built
    text = data_file("sparql", "provenance-title.rq").read_text()
    assert text.startswith("# title:") and "# param: work" in text and "GRAPH ?graph" in text
    work = mapped.reconciled.work_of("feed.txt", "feed/3")  # also in profile and listing
    rows = list(store.query(text, substitutions={ox.Variable("work"): ox.NamedNode(f"{BASE}id/work/{work.key}")}))
    got = {(r["file"].value, r["title"].value, int(r["lineStart"].value)) for r in rows}
    assert got == {
        ("feed.txt", "Private recommendation from logged feedback", 7),
        ("profile.txt", TITLES[4], 40),
    }
    assert all(len(r["sha256"].value) == 64 for r in rows)


def test_reconciliation_graph(built):
    mapped, store = built
    g = ox.NamedNode(BASE + "graph/reconciliation")
    merged = list(store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/kgpub/ns#mergedInto"), None, g))
    assert len(merged) == len(mapped.reconciled.redirects) > 0
    for q in merged:  # a merged-away IRI is not a subject of any source statement
        assert not list(store.quads_for_pattern(q.subject, None, None, None))[1:]
    [row] = _rows(store, "SELECT (COUNT(*) AS ?n) { ?c a kgpub:Conflict ; kgpub:claim/kgpub:statedIn ?s }")
    assert int(row["n"].value) >= 2
    assert _rows(store, "ASK { ?c a kgpub:MergeCandidate ; kgpub:similarity ?s }") is True
    suh = _rows(
        store,
        "SELECT ?p { ?a a kgpub:PersonAmbiguity ; kgpub:candidatePerson ?p ; kgpub:printedName 'Gang Suh' }",
    )
    assert len(suh) == 3


def test_same_iris_twice_and_in_reverse_order():
    first = map_dataset(all_results(), BASE)
    again = map_dataset(all_results(), BASE)
    results = all_results()[::-1]
    for r in results:
        r.works.reverse()
        r.listings.reverse()
    reverse = map_dataset(results, BASE)
    assert first.graphs == again.graphs
    assert set(first.graphs) == set(reverse.graphs)
    for g in first.graphs:  # same statements; only line order may differ
        assert sorted(first.graphs[g].splitlines()) == sorted(reverse.graphs[g].splitlines())


def test_iris_are_opaque():
    mapped = map_dataset(all_results(), BASE)
    text = mapped.nquads()
    iris = {t for line in text.splitlines() for t in line.split() if t.startswith(f"<{BASE}id/")}
    for iri in iris:
        key = iri.rsplit("/", 1)[1].rstrip(">")
        assert (key.replace("-", "").isalnum() and key.islower()) or key.isdigit() or "-" in key
        assert "marta" not in iri.lower() and "sparse" not in iri.lower()


def test_rdf_payload_goes_into_its_own_graph_with_stable_blank_nodes():
    doc = SourceDoc("/x/extra.ttl", "extra.ttl", "2" * 64, "rdf", 10, None, None, "http://kg.example/graph/extra")
    payload = RdfPayload(
        "extra.ttl",
        Provenance("extra.ttl", "2" * 64, 1, 2),
        "text/turtle",
        b'@prefix s: <http://schema.org/> . <http://a.example/x> s:name "X" ; s:knows [ s:name "Y" ] .',
        "http://kg.example/graph/extra",
    )
    results = [ParseResult(doc, rdf=[payload]), feed()]
    one, two = map_dataset(results, BASE), map_dataset(results[::-1], BASE)
    assert one.graphs["http://kg.example/graph/extra"] == two.graphs["http://kg.example/graph/extra"]
    assert one.graphs["http://kg.example/graph/extra"].count("\n") == 3


def test_bad_values_are_reported_not_fatal():
    r = feed()
    r.listings[0].score = float("nan")
    mapped = map_dataset([r, listing(), profile()], BASE)
    assert any("score" in n for n in mapped.notes)
    store = ox.Store()
    store.load(mapped.nquads().encode(), ox.RdfFormat.N_QUADS)
    random.seed(0)


def test_base_must_be_an_absolute_iri():
    from kgpub.errors import ConfigError

    with pytest.raises(ConfigError):
        map_dataset(all_results(), "not a base/")


def test_pop_graphs_gives_the_graphs_text_and_frees_the_lines():
    """The build's way to the text (each graph's lines dropped once joined) gives what ``graphs`` gives."""
    expected = map_dataset(all_results(), BASE).graphs
    mapped = map_dataset(all_results(), BASE)
    popped = mapped.pop_graphs()
    assert popped == expected
    assert list(popped) == list(expected)  # same graph order: the store write sees the same input
    assert mapped.lines == {}
    assert all(text.endswith(" .\n") for text in popped.values() if text)


def test_two_passes_map_as_one_and_a_source_changed_between_them_stops_the_build():
    """map_sources reads the sources twice (reconcile, then map): the result is map_dataset's, and a
    source whose bytes differ the second time is an error naming it, not a half-reconciled graph."""
    import dataclasses

    from kgpub.errors import SourceError
    from kgpub.mapping import map_sources

    ordered = sorted(all_results(), key=lambda r: r.source.name)
    assert map_sources(lambda: iter(ordered), BASE).nquads() == map_dataset(all_results(), BASE).nquads()
    calls = []

    def read():
        calls.append(1)
        if len(calls) == 1:
            return iter(ordered)
        changed = dataclasses.replace(ordered[0].source, sha256="0" * 64)
        return iter([dataclasses.replace(ordered[0], source=changed), *ordered[1:]])

    with pytest.raises(SourceError, match=f"{ordered[0].source.name} changed while the build was reading it"):
        map_sources(read, BASE)
