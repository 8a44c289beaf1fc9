"""Named-query headers and parameter binding: values become RDF terms, never query text."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.errors import UsageError
from kgpub.queries import bind, named_queries, paged_text, parse_named_query
from kgpub.store import EmbeddedStore

QUERY = """# title: Works of a person
# description: Works with this author.
# param: person type=iri class=http://schema.org/Person required -- the person
# param: n type=integer min=1 max=10 default=3 -- how many
# param: since type=date -- earliest date
# param: q type=string -- text to find
# formats: json, csv
PREFIX schema: <http://schema.org/>
SELECT ?work ?name ?person ?n ?since ?q WHERE {
  ?work schema:author ?person ; schema:name ?name .
  FILTER(COALESCE(CONTAINS(?name, ?q), true))
}
ORDER BY ?name
"""
P = "http://example.org/p/1"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "works-of.rq").write_text(QUERY)
    return tmp_path


@pytest.fixture
def small_store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    data = (
        f"<{P}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .\n"
        f"<http://example.org/w/1> <http://schema.org/author> <{P}> .\n"
        '<http://example.org/w/1> <http://schema.org/name> "Alpha" .\n'
        f"<http://example.org/w/2> <http://schema.org/author> <{P}> .\n"
        '<http://example.org/w/2> <http://schema.org/name> "Beta" .\n'
    )
    with store.writer() as w:
        w.replace_graphs({"http://example.org/g": data}, {"http://example.org/g": "d"})
    return store


def test_header_is_parsed(folder: Path) -> None:
    q = named_queries(folder)["works-of"]
    assert q.title == "Works of a person" and q.formats == ("json", "csv")
    assert [(p.name, p.type, p.required) for p in q.params] == [
        ("person", "iri", True), ("n", "integer", False), ("since", "date", False), ("q", "string", False)]
    assert q.params[0].cls == "http://schema.org/Person" and q.params[1].maximum == 10


def test_bound_values_are_terms(folder: Path, small_store: EmbeddedStore) -> None:
    q = named_queries(folder)["works-of"]
    subs = bind(q, {"person": P, "since": "2023-01-31", "q": "Al"}, small_store)
    assert subs["person"] == ox.NamedNode(P)
    assert subs["since"] == ox.Literal("2023-01-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert subs["n"] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    rows = list(small_store.query(paged_text(q, 10, 0), substitutions=subs))  # type: ignore[arg-type]
    assert [r["name"].value for r in rows] == ["Alpha"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "parameter 'person': is required"),
        ({"person": "not an iri"}, "parameter 'person': must be an absolute http"),
        ({"person": "http://example.org/nobody"}, "parameter 'person': no entity http://example.org/nobody"),
        ({"person": P, "n": "11"}, "parameter 'n': must be ≤ 10"),
        ({"person": P, "n": "x"}, "parameter 'n': must be an integer"),
        ({"person": P, "since": "2023-02-30"}, "parameter 'since': must be a date"),
        ({"person": P, "bogus": "1"}, "unknown parameter"),
        ({"person": P + "> } ; DROP ALL #"}, "parameter 'person': must be an absolute http"),
        ({"person": P, "q": "a\x00b"}, "parameter 'q': control characters"),
    ],
)
def test_bad_values_are_400s_naming_the_parameter(folder: Path, small_store: EmbeddedStore, values, message) -> None:
    q = named_queries(folder)["works-of"]
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        bind(q, values, small_store)


def test_injection_in_a_string_stays_a_literal(folder: Path, small_store: EmbeddedStore) -> None:
    q = named_queries(folder)["works-of"]
    evil = '" ) } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    subs = bind(q, {"person": P, "q": evil}, small_store)
    assert subs["q"] == ox.Literal(evil)
    assert list(small_store.query(paged_text(q, 10, 0), substitutions=subs)) == []  # type: ignore[arg-type]
    assert len(small_store.db()) == 5  # nothing changed


def test_header_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: x\n# param: n type=number\nSELECT * {}\n")
    with pytest.raises(ValueError, match=r"bad.rq:2: unknown param option 'type=number'"):
        parse_named_query(bad)
    bad.write_text("# title: x\n# param: n type=integer\nSELECT ?x { ?x ?p ?n }\n")
    with pytest.raises(ValueError, match=r"bad.rq: parameter 'n' must be projected"):
        parse_named_query(bad)
    bad.write_text("SELECT * {}\n")
    with pytest.raises(ValueError, match=r"bad.rq:1: a named query needs a '# title:'"):
        parse_named_query(bad)
