"""Rows a page sorts in Python instead of by SPARQL ORDER BY (pyoxigraph's costs more than the
lookups): the same rows in the same order as the ordered query, for every subject of the web
fixture and of a store made to need the engine's order (several literals of one property in one
graph, literals of several datatypes, blank graph names are not in the model)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Flask

from kgpub.web import create_app, get_store
from kgpub.web.describe import GRAPHS, source_graphs
from kgpub.web.render import PROVENANCE, _provenance_rows
from tests.web.conftest import BASE, build_store, fixture_quads

EX = BASE + "id/work/"
S = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _tricky() -> list[ox.Quad]:
    w, g1, g2 = ox.NamedNode(EX + "t1"), ox.NamedNode(BASE + "graph/source/b"), ox.NamedNode(BASE + "graph/source/a")
    name, about, flag = ox.NamedNode(S + "name"), ox.NamedNode(S + "about"), ox.NamedNode(S + "keywords")
    return [
        ox.Quad(w, name, ox.Literal("Zeta"), g1),
        ox.Quad(w, name, ox.Literal("alpha"), g1),  # two literals, one graph: the engine orders them
        ox.Quad(w, name, ox.Literal("Alpha", language="en"), g2),
        ox.Quad(w, about, ox.NamedNode(EX + "z"), g2),
        ox.Quad(w, about, ox.NamedNode(EX + "a"), g2),
        ox.Quad(w, about, ox.NamedNode(EX + "é"), g1),
        ox.Quad(w, flag, ox.Literal("10", datatype=ox.NamedNode(XSD + "integer")), g1),
        ox.Quad(w, flag, ox.Literal("9", datatype=ox.NamedNode(XSD + "integer")), g1),
        ox.Quad(w, flag, ox.BlankNode("b0"), g1),  # filtered out by both
        ox.Quad(ox.NamedNode(EX + "t2"), about, ox.NamedNode(EX + "b"), g1),
        ox.Quad(ox.NamedNode(EX + "t2"), name, ox.Literal("only one"), g2),
        ox.Quad(ox.NamedNode(EX + "t2"), about, ox.NamedNode(EX + "a"), g2),
    ]


def _same_as_the_engine(app: Flask) -> int:
    with app.test_request_context("/"):
        store = get_store()
        q = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"
        subjects = sorted({r["s"].value for r in store.query(q)})
        for s in subjects:
            subs = {"e": ox.NamedNode(s)}
            want = [(r["g"].value, r["p"].value, str(r["o"])) for r in store.query(PROVENANCE, substitutions=subs)]
            assert [(g, p, str(o)) for g, p, o in _provenance_rows(store, s)] == want, s
            graphs = [r["g"].value for r in store.query(GRAPHS, substitutions=subs)]
            assert [g for g, _ in source_graphs(store, s)] == graphs, s
        return len(subjects)


def test_sorted_like_the_engine_on_the_fixture(web_app: Flask) -> None:
    assert _same_as_the_engine(web_app) > 10


def test_sorted_like_the_engine_where_literals_need_its_order(tmp_path: Path) -> None:
    build_store(tmp_path / "store", fixture_quads() + _tricky())
    app = create_app({"store": str(tmp_path / "store"), "base": BASE})
    assert _same_as_the_engine(app) > 10


def test_search_ranks_in_numbers_as_it_did_by_strings(web_app: Flask) -> None:
    """A search groups and ranks its hits by numbers the build wrote (kgpub.summary.search_ranks),
    reading only the hits it shows; the answer is the one ranking by labels and IRIs gives."""
    import dataclasses

    from kgpub.web import search

    with web_app.test_request_context("/"):
        store = get_store()
        index = search.search_index(store)
        assert index.same is not None and index.rank is not None and index.lead is not None
        by_strings = dataclasses.replace(index, same=None, rank=None, lead=None)
        words = list(index.vocabulary)
        queries = [w[:n] for w in words for n in (1, 2, len(w))] + ["ada quinn", "a b", "zz", "é"]
        original = search.search_index
        try:
            for q in queries:
                search.search_index = lambda s: index  # type: ignore[assignment]
                ranked = search.search(store, q, limit=5)
                search.search_index = lambda s: by_strings  # type: ignore[assignment]
                assert ranked == search.search(store, q, limit=5), q
        finally:
            search.search_index = original  # type: ignore[assignment]
        assert any(search.search(store, q)[1] > 1 for q in queries)
