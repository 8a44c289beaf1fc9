"""The incremental bound on its own: for changes of the statements of one graph, re-validating the
focus that :func:`kgpub.validation.incremental.revalidate` derives and merging into the previous
report gives exactly a full validation's results (keys and messages), for the cross-record rules
that reach past the changed statements (shared identifiers across graphs, an organisation's name
printed in a byline elsewhere, a person losing their type, a stated count against works in other
graphs), and for random edits of a generated graph with every kind of defect."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgpub.validation import validate_store
from kgpub.validation.incremental import TooWide, Unbounded, revalidate
from kgpub.validation.sample import generate

BASE = "http://localhost:8080/"
S, K = "http://schema.org/", "https://w3id.org/kgpub/ns#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SAMPLE = generate(120, base=BASE, seed=11)


def _store() -> ox.Store:
    store = ox.Store()
    store.load(SAMPLE.encode("utf-8"), ox.RdfFormat.N_QUADS)
    return store


def _rows(report) -> set[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return {(r.key, r.message) for r in report.results}


def _apply(store: ox.Store, add: list[ox.Quad], remove: list[ox.Quad]) -> tuple[list[ox.Triple], int]:
    """Change ``store``; the changed statements as a build computes them. Returns them and the
    number of focus nodes the incremental run validated (for the tests that check the bound)."""
    previous = validate_store(store, sources=False)
    removed = [q for q in remove if q in store]
    added = [q for q in add if q not in store]
    for q in removed:
        store.remove(q)
    for q in added:
        store.add(q)
    statements = [q.triple for q in removed + added]
    merged, change = revalidate(store, previous, statements)
    full = validate_store(store, sources=False)
    assert _rows(merged) - _rows(full) == set(), "stale results kept"
    assert _rows(full) - _rows(merged) == set(), "results missed"
    return statements, change.focus


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + "id/" + local)


def _g(name: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + "graph/" + name)


def _quads(store: ox.Store, s: object = None, p: object = None, o: object = None) -> list[ox.Quad]:
    return list(store.quads_for_pattern(s, p, o, None))  # type: ignore[arg-type]


def test_a_doi_added_in_another_graph_reaches_the_work_that_holds_it() -> None:
    store = _store()
    held = next(q for q in _quads(store, p=ox.NamedNode(K + "doi")))
    other = _g("source/3") if held.graph_name != _g("source/3") else _g("source/2")
    newcomer = _n("work/newcomer")
    _, focus = _apply(store, [ox.Quad(newcomer, RDF_TYPE, ox.NamedNode(S + "ScholarlyArticle"), other),
                              ox.Quad(newcomer, ox.NamedNode(K + "doi"), held.object, other)], [])
    assert focus < 10


def test_a_shared_doi_removed_clears_the_other_work_too() -> None:
    store = _store()
    doi = ox.NamedNode(K + "doi")
    held = _quads(store, p=doi)[0]
    twin = _n("work/twin")
    store.add(ox.Quad(twin, RDF_TYPE, ox.NamedNode(S + "ScholarlyArticle"), _g("source/3")))
    store.add(twin_doi := ox.Quad(twin, doi, held.object, _g("source/3")))
    before = validate_store(store, sources=False)
    assert {r.focus for r in before.results if r.shape_label == "kgs:Work" and r.value == twin} == {held.subject}
    _apply(store, [], [twin_doi])


def test_an_organisation_named_in_a_byline_elsewhere() -> None:
    store = _store()
    slot = next(q.subject for q in _quads(store, p=ox.NamedNode(K + "printedName")))
    name = next(q.object for q in _quads(store, s=slot, p=ox.NamedNode(K + "printedName")))
    org, graph = _n("organization/new"), _g("source/2")
    _apply(store, [ox.Quad(org, RDF_TYPE, ox.NamedNode(S + "Organization"), graph),
                   ox.Quad(org, ox.NamedNode(S + "name"), name, graph)], [])


def test_a_person_losing_their_type_reaches_every_work_naming_them() -> None:
    store = _store()
    author = ox.NamedNode(S + "author")
    person = max({q.object for q in _quads(store, p=author)},
                 key=lambda p: len(_quads(store, p=author, o=p)))
    _apply(store, [], _quads(store, s=person, p=RDF_TYPE))


def test_a_work_attributed_in_another_graph_changes_a_stated_count() -> None:
    store = _store()
    snap = next(q.subject for q in _quads(store, p=ox.NamedNode(K + "snapshotOf")))
    person = _quads(store, s=snap, p=ox.NamedNode(K + "snapshotOf"))[0].object
    works = {q.subject for q in _quads(store, p=ox.NamedNode(S + "author"), o=person)}
    other = next(q.subject for q in _quads(store, p=RDF_TYPE, o=ox.NamedNode(S + "ScholarlyArticle"))
                 if q.subject not in works)
    _apply(store, [ox.Quad(other, ox.NamedNode(S + "author"), person, _g("source/1"))], [])


def test_a_byline_position_changed_reaches_its_work() -> None:
    store = _store()
    position = ox.NamedNode(K + "position")
    q = next(q for q in _quads(store, p=position) if "authorship" in q.subject.value)
    three = ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    _apply(store, [ox.Quad(q.subject, position, three, q.graph_name)], [q])


def test_a_change_under_a_transitive_path_is_not_bounded() -> None:
    store = _store()
    previous = validate_store(store, sources=False)
    sub = ox.Triple(ox.NamedNode(S + "Thesis"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                    ox.NamedNode(S + "ScholarlyArticle"))
    with pytest.raises(Unbounded, match="subClassOf"):
        revalidate(store, previous, [sub])


def test_a_change_reaching_too_many_focus_nodes_is_left_to_a_full_validation() -> None:
    store = _store()
    previous = validate_store(store, sources=False)
    person = next(q.object for q in _quads(store, p=ox.NamedNode(S + "author")))
    gone = [q.triple for q in _quads(store, s=person, p=RDF_TYPE)]
    for q in _quads(store, s=person, p=RDF_TYPE):
        store.remove(q)
    _, change = revalidate(store, previous, gone, max_focus=1000)
    assert change.focus > 1
    with pytest.raises(TooWide, match=f"reaches {change.focus} focus nodes, more than 1"):
        revalidate(store, previous, gone, max_focus=1)


@settings(max_examples=40)
@given(seed=st.integers(0, 10**6), removals=st.integers(0, 6), additions=st.integers(0, 6))
def test_random_edits_of_one_graph_match_a_full_validation(seed: int, removals: int, additions: int) -> None:
    """Remove statements of one graph and add recombined ones (a subject's statement with the
    object another statement of that predicate has) to it: any defect may appear or vanish."""
    store = _store()
    rnd = random.Random(seed)
    graph = _g(f"source/{rnd.randrange(4)}")
    mine = [q for q in store.quads_for_pattern(None, None, None, graph)]
    every = _quads(store)
    remove = rnd.sample(mine, min(removals, len(mine)))
    add = []
    for _ in range(additions):
        a, b = rnd.choice(every), rnd.choice(every)
        donors = [q for q in every if q.predicate == b.predicate]
        add.append(ox.Quad(a.subject, b.predicate, rnd.choice(donors).object, graph))
    _apply(store, add, remove)
