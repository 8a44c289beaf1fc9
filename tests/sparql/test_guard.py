"""The query guard on its own: what it refuses, what it lets through, and that it reads escapes,
strings, IRIs and comments the way the SPARQL grammar does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgpub.errors import QueryRefusedError, QuerySyntaxError, QueryTooLargeError
from kgpub.sandbox.guard import FORBIDDEN, check, decode_escapes

LIMITS = {"max_length": 100_000, "max_depth": 200}


def refused(query: str) -> bool:
    try:
        check(query, **LIMITS)
    except QueryRefusedError:
        return True
    return False


@given(
    keyword=st.sampled_from(sorted(FORBIDDEN)),
    escape_mask=st.lists(st.booleans(), min_size=7, max_size=7),
    upper_mask=st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_a_keyword_is_refused_in_any_case_and_any_escaping(
    keyword: str, escape_mask: list[bool], upper_mask: list[bool]
) -> None:
    spelled = "".join(
        (f"\\u{ord(c):04X}" if escape_mask[i % 7] else c) if upper_mask[i % 7] else c.lower()
        for i, c in enumerate(keyword)
    )
    assert refused(f"SELECT * WHERE {{ {spelled} <http://x/> {{ ?s ?p ?o }} }}")


@given(
    keyword=st.sampled_from(sorted(FORBIDDEN)),
    quote=st.sampled_from(['"', "'", '"""', "'''"]),
)
def test_a_keyword_inside_a_string_literal_is_data(keyword: str, quote: str) -> None:
    result = check(f"SELECT ?x WHERE {{ BIND({quote}{keyword} <http://x/>{quote} AS ?x) }}", **LIMITS)
    assert result.form == "SELECT"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service a <http://x/Service> }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:load ?o }",
        "SELECT * WHERE { ?s <http://x/SERVICE#DELETE> ?o }",
        "SELECT * WHERE { ?s ?p _:insert }",
        "SELECT * WHERE { ?s ?p 'x'@en }  # LOAD and DROP are only mentioned here",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE\n""" }',
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
        "SELECT * WHERE { ?s ?p ex:a.SERVICE }",  # one prefixed name (dots inside local names)
    ],
)
def test_lookalikes_are_allowed(query: str) -> None:
    assert not refused(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p true.SERVICE <http://x/> {} }",
        "SELECT * WHERE { ?s ?p ?o }SERVICE<http://x/>{}",
        "SELECT * WHERE { ?s ?p ?o . \\U00000053ERVICE <http://x/> {} }",
        "SELECT * WHERE { ?s ?p ?o } # comment ends here\nSERVICE <http://x/> {}",
        "ASK { <http://x/a\\u003E SERVICE <http://x/> {} }",  # \u003E is '>': the IRI ends there
        # each of these is read by pyoxigraph as shown in the comment, so SERVICE is live code:
        "PREFIX ex: <http://x/> SELECT * { ?s ?p ex:a\\# . SERVICE <http://x/> {} }",  # ex:a\# is a name
        "PREFIX ex: <http://x/> SELECT * { ?s ?p ex:a\\' . SERVICE <http://x/> {} } # '",  # ex:a\' too
        "SELECT * { ?s ?p ?o # a comment ends at CR\rSERVICE <http://x/> {} }",
        "SELECT * { ?s ?p <http://x/\\u005Cu0041#> . SERVICE <http://x/> {} }",  # UCHAR in an IRI
        "SELECT * { ?s ?p ?x-SERVICE <http://x/> {} }",  # '-' ends a variable name
    ],
)
def test_hidden_keywords_are_found(query: str) -> None:
    assert refused(query)


def test_escapes_are_decoded_once_and_the_decoded_text_is_what_runs() -> None:
    assert decode_escapes("SERV\\u0049CE") == "SERVICE"
    assert decode_escapes("\\u005Cu0041") == "\\u0041"  # once, as the grammar says
    checked = check("SELECT ('\\u0041' AS ?x) {}", **LIMITS)
    assert checked.text == "SELECT ('A' AS ?x) {}"
    with pytest.raises(QueryRefusedError):
        decode_escapes("\\uD800")
    with pytest.raises(QueryRefusedError):
        decode_escapes("\\U00110000")


def test_depth_length_nul_and_unterminated_strings() -> None:
    deep = "SELECT * WHERE " + "{" * 201 + "}" * 201
    with pytest.raises(QueryRefusedError, match="deeper than 200"):
        check(deep, **LIMITS)
    assert check("SELECT * WHERE " + "{" * 200 + "}" * 200, **LIMITS).depth == 200
    assert check("SELECT * WHERE { ?s ?p '((((((' }", **LIMITS).depth == 1  # brackets in strings
    with pytest.raises(QueryTooLargeError, match="query_max_length"):
        check("ASK {}" + " " * 100_000, **LIMITS)
    with pytest.raises(QueryRefusedError, match="NUL"):
        check("ASK {\x00}", **LIMITS)
    with pytest.raises(QuerySyntaxError, match="unterminated"):
        check("SELECT * WHERE { ?s ?p 'open }", **LIMITS)
    with pytest.raises(QuerySyntaxError, match="empty"):
        check("  \n", **LIMITS)


def test_long_operator_chains_are_refused_but_ordinary_ones_pass() -> None:
    for query in (
        "ASK { FILTER(" + "!" * 5000 + "true) }",
        "SELECT * WHERE { " + " UNION ".join(["{}"] * 5000) + " }",
        "ASK { FILTER(" + "+".join(["1"] * 5000) + ") }",
    ):
        with pytest.raises(QueryRefusedError, match="chains"):
            check(query, **LIMITS)
    check("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 1000) + " }", **LIMITS)
    check("ASK { FILTER(" + " + ".join(["1"] * 1000) + " > 3) }", **LIMITS)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://x/> SELECT * {}", "SELECT"),
        ("BASE <http://x/> ask {}", "ASK"),
        ("# select\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/a>", "DESCRIBE"),
    ],
)
def test_the_query_form_is_recognised(query: str, form: str) -> None:
    assert check(query, **LIMITS).form == form
