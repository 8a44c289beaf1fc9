"""Line spans of the subjects of RDF source files (kgpub.sources.rdf_lines): by hand on the syntax
that trips a naive scanner, and as a property over random graphs written by pyoxigraph's own
serializers."""

from __future__ import annotations

import itertools
import re

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from kgpub.sources.rdf_lines import subject_spans

EX = "http://example.org/"


def spans(data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE, base: str | None = None) -> dict[str, tuple[int, int]]:
    subjects = {q.subject.value for q in ox.parse(data, fmt, base_iri=base) if isinstance(q.subject, ox.NamedNode)}
    return subject_spans(data, fmt, base, subjects)


def test_strings_comments_numbers_and_brackets_do_not_end_a_statement() -> None:
    data = rb"""@prefix : <http://example.org/> .
# a comment . with <angle and "quote
:a :name "x . y # z" ;
   :long '''one
two . three''' ;
   :n 1.5, -3, .5e2 ;
   :b [ :c ( 1 2 ) ] .
:e.f :p 'it\'s'@en-GB .
:g :p :a.
"""
    assert spans(data) == {EX + "a": (3, 7), EX + "e.f": (8, 8), EX + "g": (9, 9)}


def test_prefixes_and_base_are_followed_as_they_change() -> None:
    data = b"""@base <http://base.example/dir/doc> .
<rel> <#p> <x> .
PREFIX : <http://one.example/>
:a <#p> 1 .
@prefix : <http://two.example/> .
:a <#p> 2 .
BASE <http://other.example/>
<rel> <#p> 3 .
"""
    assert spans(data) == {
        "http://base.example/dir/rel": (2, 2),
        "http://one.example/a": (4, 4),
        "http://two.example/a": (6, 6),
        "http://other.example/rel": (8, 8),
    }


def test_relative_iris_resolve_against_a_urn_base_as_the_parser_does() -> None:
    assert spans(b"<#w> <#p> 1 .\n", base="urn:kgpub:source:broken.ttl") == {"urn:kgpub:source:broken.ttl#w": (1, 1)}


def test_a_subject_said_twice_spans_from_its_first_line_to_its_last() -> None:
    data = (
        b'<http://example.org/a> <http://example.org/p> "1" .\n'
        b'<http://example.org/b> <http://example.org/p> "1" .\n'
        b'<http://example.org/a> <http://example.org/p> "2" .\n'
    )
    assert spans(data, ox.RdfFormat.N_TRIPLES) == {EX + "a": (1, 3), EX + "b": (2, 2)}


def test_trig_graph_blocks_with_and_without_a_final_dot() -> None:
    data = b"""@prefix : <http://example.org/> .
:g { :a :p :o . :b :p :o }
GRAPH :h {
  :c :p :o
}
{ :d :p :o . }
"""
    assert spans(data, ox.RdfFormat.TRIG) == {EX + "a": (2, 2), EX + "b": (2, 2), EX + "c": (4, 4), EX + "d": (6, 6)}


def test_blank_node_subjects_and_json_ld_get_no_span() -> None:
    assert spans(b"_:b <http://example.org/p> 1 .\n[ <http://example.org/p> 2 ] .\n") == {}
    data = b'{"@id": "http://example.org/a", "http://example.org/p": 1}'
    assert spans(data, ox.RdfFormat.JSON_LD) == {}


def test_a_file_the_scanner_cannot_follow_gets_no_spans_rather_than_wrong_ones() -> None:
    assert subject_spans(b'<http://example.org/a> <p> "open\n .', ox.RdfFormat.TURTLE, None, {EX + "a"}) == {}


_subjects = st.sampled_from([EX + "a", EX + "b.c", EX + "d-e", EX + "f/g", "http://other.example/h#i"])
_predicates = st.sampled_from([EX + "p", EX + "q", "http://xmlns.com/foaf/0.1/name"])
_XSD = "http://www.w3.org/2001/XMLSchema#"
_literals = st.one_of(
    st.text(max_size=30).map(ox.Literal),
    st.builds(lambda text, tag: ox.Literal(text, language=tag), st.text(max_size=10), st.sampled_from(["en", "en-GB"])),
    st.integers(-1000, 1000).map(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(_XSD + "integer"))),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: ox.Literal(str(d), datatype=ox.NamedNode(_XSD + "decimal"))
    ),
)
_objects = st.one_of(_subjects.map(ox.NamedNode), _literals, st.just(ox.BlankNode("x")))
_triples = st.lists(st.tuples(_subjects, _predicates, _objects), min_size=1, max_size=25)


@given(_triples)
def test_ntriples_spans_are_the_first_and_last_line_naming_the_subject(triples: list[tuple[str, str, object]]) -> None:
    quads = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in triples]  # type: ignore[arg-type]
    data = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)
    lines = data.decode().split("\n")
    expected: dict[str, tuple[int, int]] = {}
    for n, line in enumerate(lines, 1):
        if not line:
            continue
        subject = line.split(" ", 1)[0][1:-1]
        first, _ = expected.get(subject, (n, n))
        expected[subject] = (first, n)
    assert spans(data, ox.RdfFormat.N_TRIPLES) == expected


@given(_triples, st.sampled_from([ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG]))
def test_turtle_spans_cover_each_subject_block_and_do_not_overlap(
    triples: list[tuple[str, str, object]], fmt: ox.RdfFormat
) -> None:
    triples = sorted(triples, key=lambda t: t[0])  # the serializer groups consecutive statements only
    quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(EX + "g")) for s, p, o in triples]  # type: ignore[arg-type]
    graph_quads = quads if fmt == ox.RdfFormat.TRIG else [q.triple for q in quads]
    data = ox.serialize(graph_quads, format=fmt, prefixes={"ex": EX, "foaf": "http://xmlns.com/foaf/0.1/"})
    found = spans(data, fmt)
    assert set(found) == {s for s, _, _ in triples}
    lines = data.decode().split("\n")
    for subject, (start, end) in found.items():
        assert start <= end
        head = lines[start - 1].strip()
        local = subject.removeprefix(EX)
        assert head.startswith(f"<{subject}>") or head.replace("\\", "").startswith(f"ex:{local}"), (subject, head)
        assert lines[end - 1].rstrip().endswith((".", "}")) or fmt == ox.RdfFormat.TRIG
    ordered = sorted(found.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ordered)), ordered


def test_rdf_xml_node_elements_span_from_start_tag_to_end_tag() -> None:
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
         xml:base="http://example.org/base/">
  <ex:Work rdf:about="w1">
    <ex:title>T</ex:title>
    <ex:author>
      <ex:Person rdf:about="#p1"><ex:name>A</ex:name></ex:Person>
    </ex:author>
  </ex:Work>
  <rdf:Description rdf:ID="w2" ex:x="1"/>
  <rdf:Description xml:base="http://other.example/dir/" rdf:about="w3"><ex:y>2</ex:y>
  </rdf:Description>
</rdf:RDF>"""
    assert spans(data, ox.RdfFormat.RDF_XML, base="urn:kgpub:source:x.rdf") == {
        "http://example.org/base/w1": (4, 9),
        "http://example.org/base/#p1": (7, 7),
        "http://example.org/base/#w2": (10, 10),
        "http://other.example/dir/w3": (11, 12),
    }


def test_rdf_xml_lines_end_where_xml_says_a_line_ends() -> None:
    """XML 1.0 (section 2.11) reads CR LF and a lone CR as one line end each, and so do expat and the
    spans; a lone CR inside a literal (pyoxigraph writes it raw) starts a new line."""
    data = (
        b'<?xml version="1.0"?>\r\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:ex="http://example.org/">\r\n'
        b'<rdf:Description rdf:about="http://example.org/a"><ex:p>x\ry</ex:p></rdf:Description>\r\n'
        b'<rdf:Description rdf:about="http://example.org/b" ex:q="z"/>\n</rdf:RDF>'
    )
    assert spans(data, ox.RdfFormat.RDF_XML) == {EX + "a": (3, 4), EX + "b": (5, 5)}


def _xml_safe(triples: list[tuple[str, str, object]]) -> bool:
    """pyoxigraph writes control characters into RDF/XML, which XML 1.0 (and expat) refuse: such a
    file gets no spans, by design; the property is about files an XML parser reads."""
    return all(
        not isinstance(o, ox.Literal) or all(c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff") for c in o.value)
        for _, _, o in triples
    )


@given(_triples.filter(_xml_safe))
def test_rdf_xml_spans_start_on_the_element_naming_the_subject(triples: list[tuple[str, str, object]]) -> None:
    quads = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in triples]  # type: ignore[arg-type]
    data = ox.serialize(quads, format=ox.RdfFormat.RDF_XML, prefixes={"ex": EX})
    found = spans(data, ox.RdfFormat.RDF_XML)
    assert set(found) == {s for s, _, _ in triples}
    lines = re.split(r"\r\n?|\n", data.decode())  # XML 1.0 section 2.11: CR LF, CR and LF all end a line
    for subject, (start, end) in found.items():
        assert start <= end and f'rdf:about="{subject}"' in lines[start - 1].replace("&amp;", "&"), (subject, lines)
