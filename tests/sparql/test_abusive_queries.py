"""The abusive queries of issue #11 that test_safety.py does not send: gigabyte CONCAT chains, deep
property paths over a connected graph, catastrophic-looking REGEX, huge VALUES, a 10 MB query as a
GET. Each is answered — refused (4xx), stopped (503) or, where the engine is simply fast, answered
(200) — within the time limit plus a margin, never a 500, and the server answers the next client.
Settings: 2 s time limit, 1 GiB per worker, 2 workers."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.live import raw_exchange
from tests.sparql.conftest import Live, start_live, stop_live
from tests.sparql.test_safety import _assert_alive, _post

LIMIT_S = 2.0
MARGIN_S = 15.0  # a worker being replaced and a loaded, shared machine
EX = "http://example.org/"
CHAIN = 3000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start_live(tmp_path_factory.mktemp("store"))
    chain = "".join(f"<{EX}c{i}> <{EX}next> <{EX}c{i + 1}> .\n" for i in range(CHAIN))
    words = "".join(f'<{EX}w{i}> <{EX}text> "{"a" * 40}b" .\n' for i in range(200))
    server.load({EX + "chain": chain, EX + "words": words})
    yield server
    stop_live(server)


def _concat_chain(doublings: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?a{k}, ?a{k}) AS ?a{k + 1})" for k in range(doublings))
    return f'SELECT (STRLEN(?a{doublings}) AS ?n) WHERE {{ BIND("{"x" * 64}" AS ?a0) {binds} }}'


HOSTILE = {
    # 64 B doubled 26 times: 4 GiB, over the worker's 1 GiB address space
    "concat-4GiB": (_concat_chain(26), {503}),
    "concat-in-group": (
        "SELECT (MAX(STRLEN(?s)) AS ?n) WHERE { ?x ?p ?o BIND(CONCAT(STR(?o), STR(?o), STR(?o), STR(?o)) AS ?s) }"
        " GROUP BY ?p", {200, 503}),
    "path-both-ways": (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (<{EX}next>|^<{EX}next>)* ?b }}", {200, 503}),
    "path-any-predicate": (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (!<{EX}x>|^!<{EX}x>)+ ?b }}", {200, 503}),
    "path-nested-star": (f"ASK {{ <{EX}c0> ((<{EX}next>*)*/(<{EX}next>|^<{EX}next>)*)* <{EX}nowhere> }}",
                         {200, 503}),
    "regex-backtracking": ('SELECT (COUNT(*) AS ?n) WHERE { ?w ?p ?t FILTER(REGEX(?t, "^(a+)+$")) }', {200, 503}),
    "regex-on-built-string": (_concat_chain(14)[:-1] + ' FILTER(REGEX(?a14, "(x|xx)+y")) }', {200, 503}),
    "values-cross-order": (
        "SELECT * WHERE { VALUES ?i { " + " ".join(str(i) for i in range(6000)) + " } ?s ?p ?o }"
        " ORDER BY DESC(?i) ?o LIMIT 5", {200, 503}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_query_is_answered_in_time_and_the_server_stays_up(live: Live, name: str) -> None:
    query, allowed = HOSTILE[name]
    started = time.monotonic()
    resp = _post(live, query)
    took = time.monotonic() - started
    assert resp.status_code in allowed, (name, resp.status_code, resp.text[:300])
    assert took < LIMIT_S + MARGIN_S, (name, took)
    if resp.status_code == 503:
        assert resp.json()["error"]["code"] in ("query-timeout", "query-resources")
        assert resp.headers["Retry-After"].isdigit()
    _assert_alive(live)


def test_values_beyond_the_length_limit_are_413(live: Live) -> None:
    query = "SELECT * WHERE { VALUES ?i { " + " ".join(str(i) for i in range(40_000)) + " } }"
    assert len(query) > 100_000
    resp = _post(live, query)
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "query-too-large"


def test_a_10_mb_query_in_a_get_is_refused_and_the_server_stays_up(live: Live) -> None:
    query = quote("ASK { FILTER(" + " || ".join(["true"] * 1_300_000) + ") }")
    assert len(query) > 10_000_000
    # no HTTP client sends a 10 MB URL, so it goes as raw bytes
    answer = raw_exchange(live.url, f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    status = answer.split(b"\r\n", 1)[0]
    assert answer == b"" or re.match(rb"HTTP/1\.[01] 4\d\d", status), status  # b"": hung up on it
    _assert_alive(live)
