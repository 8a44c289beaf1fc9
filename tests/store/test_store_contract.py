"""One contract, two implementations: every test runs on the embedded store and on a remote store
served by a real ``oxigraph serve`` (the ``any_store`` fixture)."""

from __future__ import annotations

import gzip
import io
import json

import pyoxigraph as ox
import pytest

from kgpub.errors import QuerySyntaxError, StoreLockedError
from kgpub.store import Dataset, Store
from kgpub.store.dump import write_dump
from tests.store.store_data import (
    AUTHOR,
    EX,
    NAME,
    PERSON,
    TRICKY,
    WORK,
    canonical,
    canonical_triple,
    digest,
    graph_iri,
    ntriples,
    quads_of,
    triples_of,
    work_triples,
)

A, B = graph_iri("a"), graph_iri("b")


def load(store: Store, graphs: dict[str, str]) -> None:
    store.replace_graphs(graphs, {g: digest(t) for g, t in graphs.items()})


@pytest.fixture
def two(any_store: Store) -> tuple[Store, dict[str, str]]:
    graphs = {A: ntriples(work_triples("a", 3)), B: ntriples(work_triples("b", 2) + TRICKY)}
    load(any_store, graphs)
    return any_store, graphs


def names(result: object) -> list[str]:
    assert isinstance(result, ox.QuerySolutions)
    return sorted(row["n"].value for row in result)


def test_a_new_store_is_empty(any_store: Store) -> None:
    assert any_store.graphs() == []
    assert any_store.graph_digest(A) is None
    assert any_store.graph_digests() == {}
    assert any_store.stats().quads == 0
    result = any_store.query("ASK { ?s ?p ?o }")
    assert isinstance(result, ox.QueryBoolean) and not bool(result)


def test_graphs_digests_and_merged_view(two: tuple[Store, dict[str, str]]) -> None:
    store, graphs = two
    assert store.graphs() == sorted([A, B])
    assert store.graph_digests() == {g: digest(t) for g, t in graphs.items()}
    assert store.graph_digest(B) == digest(graphs[B])
    # a plain query (no GRAPH) sees both graphs: the merged view
    result = store.query(f"SELECT ?n WHERE {{ ?w a {WORK} ; {NAME} ?n }}")
    assert names(result) == sorted(
        [f"Title {i} of a" for i in range(3)] + [f"Title {i} of b" for i in range(2)]
    )
    # GRAPH ?g says which source said what
    result = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ {ox.NamedNode(EX + 'work/a-1')} ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    assert {row["g"].value for row in result} == {A}


def test_replacing_a_graph_drops_its_old_triples_only(two: tuple[Store, dict[str, str]]) -> None:
    store, graphs = two
    new = ntriples(work_triples("a", 1, title="Revised"))
    load(store, {A: new})
    result = store.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ ?w a {WORK} ; {NAME} ?n }} }}", dataset=None)
    assert names(result) == ["Revised 0 of a", "Title 0 of b", "Title 1 of b"]
    assert store.graph_digests() == {A: digest(new), B: digest(graphs[B])}


def test_remove_graphs_drops_content_and_digest(two: tuple[Store, dict[str, str]]) -> None:
    store, graphs = two
    store.remove_graphs([A, graph_iri("never-there")])
    assert store.graphs() == [B]
    assert store.graph_digests() == {B: digest(graphs[B])}
    assert not bool(store.query(f"ASK {{ {ox.NamedNode(EX + 'work/a-0')} ?p ?o }}"))


def test_empty_text_removes_the_graph_but_records_its_digest(two: tuple[Store, dict[str, str]]) -> None:
    store, _ = two
    load(store, {A: ""})
    assert store.graphs() == [B]
    assert store.graph_digest(A) == digest("")


def test_terms_round_trip_exactly(two: tuple[Store, dict[str, str]]) -> None:
    store, _ = two
    result = store.query(f"SELECT ?o WHERE {{ ?s {NAME} ?o FILTER(lang(?o) != '') }}")
    assert isinstance(result, ox.QuerySolutions)
    assert sorted(str(r["o"]) for r in result) == sorted(str(t.object) for t in TRICKY[:2])
    result = store.query(f"SELECT ?s WHERE {{ ?s {NAME} 'IRI with non-ASCII' }}")
    assert [r["s"] for r in result] == [ox.NamedNode(EX + "work/été")]
    result = store.query(f"SELECT ?n WHERE {{ ?w {AUTHOR} ?b . ?b {NAME} ?n FILTER isBlank(?b) }}")
    assert names(result) == ["anonymous"]


def test_substitutions_bind_terms(two: tuple[Store, dict[str, str]]) -> None:
    store, _ = two
    work = ox.NamedNode(EX + "work/b-1")
    result = store.query(f"SELECT ?w ?n WHERE {{ ?w {NAME} ?n }}", substitutions={"w": work})
    assert names(result) == ["Title 1 of b"]
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    result = store.query(f"SELECT ?w ?n WHERE {{ ?w {NAME} ?n }}", substitutions={"n": hostile})
    assert list(result) == []
    triples = store.query("DESCRIBE ?e", substitutions={"e": work})
    assert isinstance(triples, ox.QueryTriples)
    got = {str(t) for t in triples}
    assert str(ox.Triple(work, NAME, ox.Literal("Title 1 of b"))) in got
    assert all(str(work) in t.split(" ")[0] for t in got)


def test_substitutions_reach_filters_grouping_and_limit(two: tuple[Store, dict[str, str]]) -> None:
    """The page and named queries rely on this: both stores must agree, not only on plain patterns."""
    store, _ = two
    work = ox.NamedNode(EX + "work/b-1")
    grouped = store.query(
        f"SELECT ?w (COUNT(?n) AS ?c) WHERE {{ ?x {NAME} ?n FILTER(?x = ?w) }} GROUP BY ?w LIMIT 1",
        substitutions={"w": work},
    )
    assert [(r["w"].value, r["c"].value) for r in grouped] == [(work.value, "1")]  # type: ignore[union-attr]
    optional = 'SELECT ?n ?q WHERE {{ ?x {name} ?n FILTER(COALESCE(STR(?q), "") = "" || ?n = ?q) }} ORDER BY ?n'
    only = store.query(optional.format(name=NAME), substitutions={"q": ox.Literal("Title 1 of b")})
    assert names(only) == ["Title 1 of b"]



def test_substitutions_reach_a_where_group_that_is_a_subselect(two: tuple[Store, dict[str, str]]) -> None:
    """The person page counts works with ``WHERE { SELECT … }``: a bare sub-select as the pattern,
    which takes no VALUES beside it on a remote server (it was a 400 there)."""
    store, _ = two
    author = next(iter(store.query(f"SELECT ?p WHERE {{ <{EX}work/a-1> {AUTHOR} ?p }}")))["p"]  # type: ignore[call-overload]
    for query in (
        f"SELECT $e (COUNT(?w) AS ?n) WHERE {{ SELECT DISTINCT $e ?w WHERE {{ ?w {AUTHOR} $e }} }} GROUP BY $e",
        f"SELECT $e (COUNT(?w) AS ?n) WHERE {{ {{ SELECT DISTINCT $e ?w WHERE {{ ?w {AUTHOR} $e }} }} }} GROUP BY $e",
        f"SELECT $e (COUNT(?w) AS ?n) WHERE {{ SELECT * WHERE {{ ?w {AUTHOR} $e }} }} GROUP BY $e",
    ):
        rows = [(r["e"], r["n"].value) for r in store.query(query, substitutions={"e": author})]  # type: ignore[index]
        assert rows == [(author, "1")], query

def test_a_dataset_narrows_the_default_graph(two: tuple[Store, dict[str, str]]) -> None:
    store, _ = two
    q = f"SELECT ?n WHERE {{ ?w a {WORK} ; {NAME} ?n }}"
    assert names(store.query(q, dataset=Dataset(default_graphs=[B]))) == ["Title 0 of b", "Title 1 of b"]
    q2 = f"SELECT ?g (COUNT(?w) AS ?n) WHERE {{ GRAPH ?g {{ ?w a {WORK} }} }} GROUP BY ?g"
    result = store.query(q2, dataset=Dataset(named_graphs=[A]))
    assert isinstance(result, ox.QuerySolutions)
    assert [(r["g"].value, r["n"].value) for r in result] == [(A, "3")]


@pytest.mark.parametrize(
    "media",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_query_serialized_results(two: tuple[Store, dict[str, str]], media: str) -> None:
    store, _ = two
    form, body = store.query_serialized(f"SELECT ?n WHERE {{ ?w a {PERSON} ; {NAME} ?n }} ORDER BY ?n", media)
    assert form == "SELECT"
    if media == "text/csv":
        assert body.decode().splitlines() == ["n", "Author 0", "Author 0", "Author 1", "Author 1", "Author 2"]
    else:
        fmt = ox.QueryResultsFormat.from_media_type(media)
        assert fmt is not None
        assert [r["n"].value for r in ox.parse_query_results(body, fmt)] == [  # type: ignore[union-attr]
            "Author 0",
            "Author 0",
            "Author 1",
            "Author 1",
            "Author 2",
        ]


def test_query_serialized_ask_and_graphs(two: tuple[Store, dict[str, str]]) -> None:
    store, _ = two
    form, body = store.query_serialized(f"ASK {{ ?w a {WORK} }}", "application/sparql-results+json")
    assert (form, json.loads(body)["boolean"]) == ("ASK", True)
    form, body = store.query_serialized(
        f"CONSTRUCT {{ ?w {NAME} ?n }} WHERE {{ ?w a {WORK} ; {NAME} ?n }}", "text/turtle"
    )
    assert form == "CONSTRUCT"
    assert len(list(ox.parse(body, ox.RdfFormat.TURTLE))) == 5
    with pytest.raises(ValueError):
        store.query_serialized(f"ASK {{ ?w a {WORK} }}", "text/turtle")


def test_syntax_errors_are_query_errors(any_store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        any_store.query("SELECT ?x WHERE { ?x ")


def test_stats_count_per_graph_and_class(two: tuple[Store, dict[str, str]]) -> None:
    store, graphs = two
    stats = store.stats()
    assert stats.graphs == {g: len(list(ox.parse(t, ox.RdfFormat.N_TRIPLES))) for g, t in graphs.items()}
    assert stats.quads == sum(stats.graphs.values())
    assert stats.classes == {WORK.value: 5, PERSON.value: 5}


@pytest.mark.parametrize("media", ["application/n-quads", "application/trig"])
def test_dump_streams_exactly_the_data(two: tuple[Store, dict[str, str]], media: str) -> None:
    store, graphs = two
    out = io.BytesIO()
    store.dump(out, media)
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None
    assert {canonical(q) for q in ox.parse(out.getvalue(), fmt)} == quads_of(graphs)


def test_write_dump_gzip_nquads_with_checksum(two: tuple[Store, dict[str, str]], tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    store, graphs = two
    path = write_dump(store, tmp_path / "dataset", "nquads")
    assert path.name == "dataset.nq.gz"
    quads = ox.parse(gzip.decompress(path.read_bytes()), ox.RdfFormat.N_QUADS)
    assert {canonical(q) for q in quads} == quads_of(graphs)
    line = (tmp_path / "dataset.nq.gz.sha256").read_text()
    assert line == f"{hashlib.sha256(path.read_bytes()).hexdigest()}  dataset.nq.gz\n"


def test_one_writer_at_a_time(two: tuple[Store, dict[str, str]]) -> None:
    store, graphs = two
    with store.writer() as w:
        with pytest.raises(StoreLockedError, match="another kgpub build"):
            store.replace_graphs({A: ""}, {A: digest("")})
        w.replace_graphs({A: graphs[A]}, {A: "same"})
    assert store.graph_digest(A) == "same"
    load(store, {A: graphs[A]})  # the lock was released
    assert store.graph_digest(A) == digest(graphs[A])


def test_a_failing_build_leaves_each_graph_old_or_new(two: tuple[Store, dict[str, str]]) -> None:
    """Embedded: nothing of a failed build is published. Remote: graphs already written are new
    (digest recorded), the rest old. Either way content and digest agree."""
    store, graphs = two
    new = {A: ntriples(work_triples("a", 1, title="New")), B: ntriples(work_triples("b", 1, title="New"))}
    with pytest.raises(RuntimeError), store.writer() as w:
        w.replace_graphs({A: new[A]}, {A: digest(new[A])})
        raise RuntimeError("the build failed after one graph")
    for g in (A, B):
        found = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": ox.NamedNode(g)}
        )
        content = {canonical_triple(t) for t in found}
        old, fresh = (triples_of(graphs[g]), triples_of(new[g]))
        assert content in (old, fresh)
        recorded = store.graph_digest(g)
        assert recorded in (digest(graphs[g]), digest(new[g]), None)
        if recorded is not None:
            assert content == (old if recorded == digest(graphs[g]) else fresh)
