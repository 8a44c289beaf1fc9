"""Remote store under faults, against a real ``oxigraph serve``: a build killed mid-way, the server
going away and coming back, answers cut short by the server's time limit, the advisory lock."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgpub.errors import QueryTimeoutError, StoreError, StoreLockedError
from kgpub.store.remote import STATE, RemoteStore
from kgpub.store.remote_writer import HEARTBEAT, HELD_BY, LABEL, LOCK
from tests.store.conftest import OxigraphServer, free_port, remote_config, spawn, wait_for
from tests.store.store_data import canonical_triple, digest, graph_iri, ntriples, triples_of, work_triples

pytestmark = pytest.mark.remote


def count_sends(store: RemoteStore) -> list[str]:
    """Record every HTTP request the store's client sends (retries included)."""
    sent: list[str] = []
    original = store.http.client.send

    def send(request: httpx.Request, **kwargs: object) -> httpx.Response:
        sent.append(request.method)
        return original(request, **kwargs)

    store.http.client.send = send
    return sent


def content(store: RemoteStore, graph: str) -> set[str]:
    q = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    return {canonical_triple(t) for t in store.query(q, substitutions={"g": ox.NamedNode(graph)})}


def test_a_killed_build_leaves_each_graph_old_or_new_and_a_rerun_completes(
    oxigraph_server: OxigraphServer, tmp_path: Path
) -> None:
    store = RemoteStore(oxigraph_server.url, remote_config())
    names = [graph_iri(f"s{i}") for i in range(8)]
    old = {g: ntriples(work_triples(g[-2:], 3)) for g in names}
    store.replace_graphs(old, {g: digest(t) for g, t in old.items()})
    new = {g: ntriples(work_triples(g[-2:], 1500, title="New")) for g in names}
    (tmp_path / "graphs.json").write_text(json.dumps(new))

    child = spawn("replace", oxigraph_server.url, str(tmp_path / "graphs.json"))
    wait_for(child, "GRAPH")  # at least one graph written
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL

    states = {}
    for g in names:
        now, recorded = content(store, g), store.graph_digest(g)
        assert now in (triples_of(old[g]), triples_of(new[g])), f"{g} is neither old nor new"
        states[g] = "new" if now == triples_of(new[g]) else "old"
        assert recorded in ({"new": "new", "old": digest(old[g])}[states[g]], None)
    assert "new" in states.values()

    # the rerun: the dead build's lock is stale (its process is gone), digests say what is left
    todo = {g: new[g] for g in names if store.graph_digest(g) != "new"}
    with store.writer() as w:
        w.replace_graphs(todo, {g: "new" for g in todo})
    assert all(content(store, g) == triples_of(new[g]) for g in names)
    assert store.graph_digests() == {g: "new" for g in names}
    holders = store.query(f"ASK {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} ?h }} }}")
    assert not bool(holders)


def test_server_gone_is_a_store_error_after_bounded_retries_then_recovers(
    oxigraph_server: OxigraphServer,
) -> None:
    store = RemoteStore(oxigraph_server.url, remote_config(remote_retries=3))
    text = ntriples(work_triples("a", 2))
    store.replace_graphs({graph_iri("a"): text}, {graph_iri("a"): digest(text)})
    oxigraph_server.stop()
    sent = count_sends(store)
    with pytest.raises(StoreError) as info:
        store.graphs()
    assert len(sent) == 3
    assert oxigraph_server.url in str(info.value) and "after 3 attempts" in str(info.value)
    oxigraph_server.start()
    assert store.graphs() == [graph_iri("a")]
    assert store.graph_digest(graph_iri("a")) == digest(text)


def test_client_errors_are_not_retried(oxigraph_server: OxigraphServer) -> None:
    nowhere = oxigraph_server.url + "/nowhere"
    config = remote_config(remote_family="generic", remote_query_url=nowhere, remote_graph_store_url=nowhere)
    wrong = RemoteStore(oxigraph_server.url, config)
    sent = count_sends(wrong)
    with pytest.raises(StoreError) as info:
        wrong.graphs()
    assert sent == ["POST"]
    assert "HTTP 404" in str(info.value) and "remote_family" in str(info.value)


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "slow", free_port(), extra=("--timeout-s", "1"))
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
        "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }",
    ],
)
def test_an_answer_cut_short_by_the_server_is_an_error_never_partial(
    slow_server: OxigraphServer, query: str
) -> None:
    store = RemoteStore(slow_server.url, remote_config())
    text = ntriples(work_triples("a", 500))
    store.replace_graphs({graph_iri("a"): text}, {graph_iri("a"): digest(text)})
    with pytest.raises(QueryTimeoutError, match="incomplete answer") as info:
        store.query(query)
    assert str(slow_server.port) not in str(info.value)  # a query's answer never names the server
    media = "text/turtle" if query.startswith("CONSTRUCT") else "text/csv"
    with pytest.raises(QueryTimeoutError):
        store.query_serialized(query, media)


def lock_update(store: RemoteStore, label: str, beat: str) -> None:
    holder = ox.NamedNode("https://w3id.org/kgpub/store/holder/other")
    when = ox.Literal(beat, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))
    store.update(
        f"INSERT DATA {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} {holder} . {holder} {HEARTBEAT} {when} ;"
        f" {LABEL} {ox.Literal(label)} }} }}"
    )


def test_a_live_lock_elsewhere_refuses_and_a_lapsed_one_is_taken_over(
    oxigraph_server: OxigraphServer,
) -> None:
    import datetime as dt

    store = RemoteStore(oxigraph_server.url, remote_config(remote_lock_ttl=300.0))
    lock_update(store, "build-host pid 4242", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    with pytest.raises(StoreLockedError, match="build-host pid 4242"):
        store.replace_graphs({graph_iri("a"): ""}, {graph_iri("a"): "x"})
    store.update(f"DROP GRAPH {STATE}")
    lock_update(store, "build-host pid 4242", "2020-01-01T00:00:00+00:00")
    store.replace_graphs({graph_iri("a"): ""}, {graph_iri("a"): "x"})
    assert store.graph_digest(graph_iri("a")) == "x"
    assert store.graphs() == []  # the state graph is never listed
