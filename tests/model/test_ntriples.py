"""The N-Triples writer round-trips any text through pyoxigraph's parser."""

from __future__ import annotations

import math

import pyoxigraph as ox
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kgpub.mapping import ntriples as nt

S = "<http://example.org/s>"
P = "<http://example.org/p>"


def _parse_one(line: str) -> ox.Triple:
    [triple] = list(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    return triple


def _expected(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


@given(st.text())
def test_literal_round_trip(text):
    triple = _parse_one(f"{S} {P} {nt.literal(text)} .\n")
    assert isinstance(triple.object, ox.Literal)
    assert triple.object.value == _expected(text)
    assert triple.object.datatype == ox.NamedNode(nt.XSD_STRING)


@given(st.text(), st.sampled_from(["en", "de-CH"]))
def test_language_literal_round_trip(text, lang):
    triple = _parse_one(f"{S} {P} {nt.literal(text, lang=lang)} .\n")
    assert triple.object.value == _expected(text)
    assert triple.object.language == lang.lower()


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=40))
def test_iri_from_template_value_always_parses(value):
    text = nt.iri("https://doi.org/" + nt.iri_segment(value))
    triple = _parse_one(f"{S} {P} {text} .\n")
    assert isinstance(triple.object, ox.NamedNode)
    assert triple.object.value.startswith("https://doi.org/")


@given(st.text(max_size=40))
@example("##")
@example("a#b#c")
def test_checked_iri_makes_any_path_valid(value):
    triple = _parse_one(f"{S} {P} {nt.checked_iri('http://example.org/' + value)} .\n")
    assert isinstance(triple.object, ox.NamedNode)


def test_checked_iri_refuses_a_relative_reference():
    with pytest.raises(ValueError):
        nt.checked_iri("not an iri")


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integer(n):
    assert int(_parse_one(f"{S} {P} {nt.integer(n)} .\n").object.value) == n


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_decimal_is_a_valid_decimal_with_the_same_value(x):
    obj = _parse_one(f"{S} {P} {nt.decimal(x)} .\n").object
    assert obj.datatype == ox.NamedNode(nt.XSD + "decimal")
    assert "e" not in obj.value.lower()
    assert float(obj.value) == x


def test_decimal_refuses_nan_and_infinity():
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            nt.decimal(bad)


def test_known_escapes():
    assert nt.literal('a"b\\c\nd\re') == '"a\\"b\\\\c\\nd\\re"'
    assert nt.iri("http://x/a b<c>") == "<http://x/a%20b%3Cc%3E>"
    assert nt.literal("2022", nt.XSD + "gYear") == '"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>'
