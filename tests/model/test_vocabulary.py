"""The mapped graph, read by rdflib (an independent parser), checked against kgpub's vocabulary."""

from __future__ import annotations

import re
import tomllib

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kgpub.mapping import map_dataset
from kgpub.project import data_file

from .builders import all_results

KGPUB = "https://w3id.org/kgpub/ns#"
LEXICAL = {  # the lexical spaces kgpub writes, checked independently of rdflib's own checks
    XSD.integer: re.compile(r"^[+-]?\d+$"),
    XSD.boolean: re.compile(r"^(true|false)$"),
    XSD.decimal: re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$"),
    XSD.date: re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    XSD.gYearMonth: re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    XSD.gYear: re.compile(r"^\d{4}$"),
}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data_file("ontology", "kgpub.ttl"), format="turtle")


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    mapped = map_dataset(all_results(), "http://kg.example/")
    ds = rdflib.Dataset()
    ds.parse(data=mapped.nquads(), format="nquads")
    return ds


def _declared(ontology: rdflib.Graph) -> set[str]:
    return {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(KGPUB)}


def test_ontology_terms_are_documented(ontology):
    [onto] = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert ontology.value(onto, OWL.versionIRI) is not None
    terms = _declared(ontology)
    assert len(terms) > 50
    for term in map(rdflib.URIRef, terms):
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
        if (term, RDF.type, OWL.Class) not in ontology:
            assert ontology.value(term, RDFS.domain) is not None, term
            assert ontology.value(term, RDFS.range) is not None, term


def test_no_undeclared_kgpub_terms_in_the_data(dataset, ontology):
    declared = _declared(ontology)
    used = {str(t) for q in dataset.quads() for t in q[:3] if isinstance(t, rdflib.URIRef) and str(t).startswith(KGPUB)}
    assert used, "the data uses kgpub terms"
    assert used - declared == set()


def test_every_kgpub_term_in_the_mapping_is_declared(ontology):
    declared = _declared(ontology)
    text = data_file("mappings", "records.toml").read_text()
    tomllib.loads(text)  # it is valid TOML
    curies = set(re.findall(r'"kgpub:([A-Za-z]+)"', text))
    assert {KGPUB + c for c in curies} - declared == set()


def test_schema_org_namespace_is_http(dataset):
    for q in dataset.quads():
        for t in q:
            assert not str(t).startswith("https://schema.org"), q
    assert "https://schema.org" not in data_file("mappings", "records.toml").read_text()


def test_typed_literals_are_valid(dataset):
    seen = set()
    for _s, _p, o, _g in dataset.quads():
        if isinstance(o, rdflib.Literal) and o.datatype is not None:
            seen.add(o.datatype)
            assert not o.ill_typed, o
            if o.datatype in LEXICAL:
                assert LEXICAL[o.datatype].match(str(o)), (o.datatype, str(o))
    assert {XSD.integer, XSD.boolean, XSD.decimal, XSD.date, XSD.gYear} <= seen


def test_types_per_entity(dataset):
    schema = rdflib.Namespace("http://schema.org/")
    foaf = rdflib.Namespace("http://xmlns.com/foaf/0.1/")

    def subjects(p, o):
        return {q[0] for q in dataset.quads((None, p, o, None))}

    persons = subjects(RDF.type, schema.Person)
    assert persons and persons == subjects(RDF.type, foaf.Person)
    named = subjects(schema.name, None)
    assert persons <= named
    works = subjects(RDF.type, schema.ScholarlyArticle)
    assert len(works) == 10 and all("/id/work/" in str(w) for w in works)
