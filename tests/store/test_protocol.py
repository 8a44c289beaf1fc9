"""The HTTP boundary of the remote store, with a scripted server (httpx.MockTransport): what is sent
(auth, URL layouts, datasets, bindings) and how every kind of answer is translated."""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import pyoxigraph as ox
import pytest

from kgpub.errors import ConfigError, QueryError, QuerySyntaxError, QueryTimeoutError, StoreError, UsageError
from kgpub.store import Dataset, open_store
from kgpub.store.bindings import with_values
from kgpub.store.protocol import Endpoints, redact, scrub
from kgpub.store.remote import RemoteStore
from tests.store.conftest import remote_config

COMPLETE = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'
JSON = {"content-type": "application/sparql-results+json"}


def scripted(answer: Callable[[httpx.Request], httpx.Response], **settings: object):  # type: ignore[no-untyped-def]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answer(request)

    store = RemoteStore(
        "http://store.test/db", remote_config(**settings), transport=httpx.MockTransport(handler)
    )
    return store, requests


def test_layouts_per_server_family() -> None:
    assert Endpoints.for_server("http://h/", remote_config()) == Endpoints(
        "http://h/query", "http://h/update", "http://h/store"
    )
    assert Endpoints.for_server("http://h/ds", remote_config(remote_family="fuseki")) == Endpoints(
        "http://h/ds/sparql", "http://h/ds/update", "http://h/ds/data"
    )
    generic = remote_config(
        remote_family="generic",
        remote_query_url="http://q",
        remote_update_url="http://u",
        remote_graph_store_url="http://g",
    )
    assert Endpoints.for_server("http://h", generic) == Endpoints("http://q", "http://u", "http://g")
    with pytest.raises(ConfigError, match="remote_query_url"):
        Endpoints.for_server("http://h", remote_config(remote_family="generic"))
    with pytest.raises(ConfigError, match="oxigraph, fuseki, generic"):
        Endpoints.for_server("http://h", remote_config(remote_family="virtuoso"))


def test_open_store_picks_the_remote_store_for_urls() -> None:
    store = open_store("https://user:secret@store.test/db", remote_config())
    assert isinstance(store, RemoteStore)
    assert "secret" not in store.location
    store.close()


def test_bearer_token_and_basic_auth_come_from_settings() -> None:
    store, requests = scripted(
        lambda r: httpx.Response(200, headers=JSON, content=COMPLETE), remote_token="t0k"
    )
    store.query("SELECT ?n {}")
    assert requests[-1].headers["authorization"] == "Bearer t0k"
    store, requests = scripted(
        lambda r: httpx.Response(200, headers=JSON, content=COMPLETE), remote_user="ann", remote_password="pw"
    )
    store.query("SELECT ?n {}")
    assert requests[-1].headers["authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()


def test_5xx_is_retried_a_bounded_number_of_times_and_never_leaks_secrets() -> None:
    store, requests = scripted(lambda r: httpx.Response(503, text="overloaded"), remote_retries=4)
    store.http.url = "http://ann:pw@store.test/db"
    with pytest.raises(StoreError, match="after 4 attempts: HTTP 503: overloaded") as info:
        store.graphs()
    assert len(requests) == 4
    assert "pw" not in str(info.value)
    assert redact("http://ann:pw@h:8/x?y") == "http://***@h:8/x?y"


def test_4xx_is_translated_at_once() -> None:
    store, requests = scripted(lambda r: httpx.Response(400, text="Parser error at line 1"))
    with pytest.raises(QuerySyntaxError, match="Parser error"):
        store.query("SELECT")
    assert len(requests) == 1
    # a server's words reach the client: its own address is taken out of them
    store, _ = scripted(lambda r: httpx.Response(400, text="bad query sent to http://store.test/db/query (store.test)"))
    with pytest.raises(QuerySyntaxError, match="bad query") as syntax:
        store.query("SELECT")
    assert "store.test" not in str(syntax.value)
    store, _ = scripted(lambda r: httpx.Response(413, text="nginx at store.test:80 says no"))
    with pytest.raises(QueryError, match="HTTP 413") as other:
        store.query("SELECT ?n {}")
    assert "store.test" not in str(other.value) and "nginx" not in str(other.value)
    store, requests = scripted(lambda r: httpx.Response(401, text="who are you"))
    with pytest.raises(StoreError, match="HTTP 401") as info:
        store.put_graph("http://g", "")
    assert len(requests) == 1 and "remote_token" in str(info.value)


@pytest.mark.parametrize(
    ("media", "body"),
    [
        ("application/sparql-results+json", COMPLETE[:-3]),
        ("application/sparql-results+json", COMPLETE[:40] + b"The SPARQL operation has been cancelled"),
        ("application/ld+json", b'[{"@id":"http://s","http://p":[{"@value":"o"}]}'),
        (
            "application/sparql-results+xml",
            b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        ),
    ],
)
def test_a_body_that_is_not_complete_results_is_an_error(media: str, body: bytes) -> None:
    store, _ = scripted(lambda r: httpx.Response(200, headers={"content-type": media}, content=body))
    with pytest.raises(QueryTimeoutError, match="incomplete answer") as info:
        store.query("SELECT ?n {}")
    assert "store.test" not in str(info.value)  # a query's answer: the client sees it


def test_a_read_timeout_names_the_setting() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    store, requests = scripted(slow)
    with pytest.raises(QueryTimeoutError) as info:
        store.query("SELECT ?n {}")
    assert "remote_timeout" in str(info.value) and len(requests) == 1
    assert "store.test" not in str(info.value)


def test_scrub_takes_out_every_spelling_of_the_server_address() -> None:
    url = "https://ann:pw@db.internal.example:8443/ds"
    endpoints = Endpoints("http://10.0.0.7:7878/query", "http://10.0.0.7:7878/update", url + "/data")
    text = (
        f"{url}/sparql, https://***@db.internal.example:8443/ds, db.internal.example:8443, "
        "db.internal.example, http://10.0.0.7:7878/query, 10.0.0.7:7878, 10.0.0.7; line 3, column 7"
    )
    scrubbed = scrub(text, url, endpoints)
    for leak in ("db.internal", "10.0.0.7", "8443", "7878", "ann", "pw@"):
        assert leak not in scrubbed, (leak, scrubbed)
    assert scrubbed.endswith("line 3, column 7")


def test_datasets_and_bindings_are_sent_as_protocol_parameters() -> None:
    store, requests = scripted(lambda r: httpx.Response(200, headers=JSON, content=COMPLETE))
    store.query(
        "SELECT ?n ?x WHERE { ?x ?p ?n }",
        substitutions={"x": ox.NamedNode("http://e/1"), "n": ox.Literal('a"b')},
        dataset=Dataset(default_graphs=["http://g/1", "http://g/2"], named_graphs=["http://g/3"]),
    )
    form = httpx.QueryParams(requests[-1].content.decode())
    assert form.get_list("default-graph-uri") == ["http://g/1", "http://g/2"]
    assert form.get_list("named-graph-uri") == ["http://g/3"]
    # the bindings open the pattern, so filters, grouping and LIMIT see them
    assert form["query"] == 'SELECT ?n ?x WHERE { VALUES (?x ?n) { (<http://e/1> "a\\"b") }  ?x ?p ?n }'
    with pytest.raises(UsageError):
        with_values("SELECT * {}", {"b": ox.BlankNode()})


def test_without_a_union_default_graph_every_named_graph_is_named() -> None:
    graphs = b'{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","value":"http://g/1"}}]}}'

    def answer(request: httpx.Request) -> httpx.Response:
        asks_graphs = "GRAPH" in httpx.QueryParams(request.content.decode())["query"]
        return httpx.Response(200, headers=JSON, content=graphs if asks_graphs else COMPLETE)

    store, requests = scripted(answer, remote_union_default_graph=False)
    store.query("SELECT ?n {}")
    assert httpx.QueryParams(requests[-1].content.decode()).get_list("default-graph-uri") == ["http://g/1"]
