"""Writing to a remote store: graph by graph, each step safe to interrupt, under an advisory lock.

Atomicity is per graph, which is what the Graph Store Protocol gives: a ``PUT`` replaces one graph
in one server transaction (an upload cut short by a killed client leaves the graph as it was). A
graph's digest is deleted *before* its upload and recorded only *after* it succeeded, so a build
killed in between leaves that graph with no digest and the next build rewrites it, whatever its
sources say by then. A killed build therefore leaves every graph either old or new, and a rerun
completes the rest.

There is no server-side lock in the protocols, so kgpub keeps an advisory one in the state graph::

    kgs:lock kgs:heldBy kgs:holder/<uuid> .
    kgs:holder/<uuid> kgs:heartbeat "…"^^xsd:dateTime ; rdfs:label "host pid 1234" .

It is taken with a conditional INSERT (only if no holder is recorded) and read back: a writer goes
on only if it is the sole holder, else it withdraws, so two racing builds cannot both proceed. Each
recorded digest refreshes the heartbeat. A holder counts as stale when its heartbeat is older than
``remote_lock_ttl``, or at once when it is a dead process on this host (a killed build). The lock
binds kgpub builds only: other clients of the server are not stopped from writing.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import pyoxigraph as ox

from kgpub.errors import StoreLockedError
from kgpub.store.remote import DIGEST, NS, STATE, RemoteStore

LOCK = ox.NamedNode(NS + "lock")
HELD_BY = ox.NamedNode(NS + "heldBy")
HEARTBEAT = ox.NamedNode(NS + "heartbeat")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def _now() -> ox.Literal:
    return ox.Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), datatype=_XSD_DATETIME)


@contextmanager
def locked_writer(store: RemoteStore) -> Iterator[RemoteWriter]:
    writer = RemoteWriter(store)
    writer.acquire()
    try:
        yield writer
    finally:
        writer.release()


class RemoteWriter:
    """Replaces and removes graphs on a remote store; see the module docstring for the guarantees."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.me = ox.NamedNode(f"{NS}holder/{uuid.uuid4().hex}")
        self.label = f"{socket.gethostname()} pid {os.getpid()}"

    # -- lock ------------------------------------------------------------------------------
    def _holders(self) -> dict[ox.NamedNode, tuple[str, str]]:
        q = (
            f"SELECT ?h ?beat ?label WHERE {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} ?h ."
            f" OPTIONAL {{ ?h {HEARTBEAT} ?beat }} OPTIONAL {{ ?h {LABEL} ?label }} }} }}"
        )
        out: dict[ox.NamedNode, tuple[str, str]] = {}
        for row in self.store._select(q):
            beat, label = row["beat"], row["label"]
            out[row["h"]] = (beat.value if beat else "", label.value if label else "?")
        return out

    def _stale(self, beat: str, label: str) -> bool:
        host, _, pid = label.partition(" pid ")
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            return True
        try:
            age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(beat)
        except ValueError:
            return True
        return age.total_seconds() > self.store.lock_ttl

    def acquire(self) -> None:
        drop = []
        for holder, (beat, label) in self._holders().items():
            if not self._stale(beat, label):
                raise self._locked(label, beat)
            drop.append(f"DELETE WHERE {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} {holder} }} }}")
            drop.append(f"DELETE WHERE {{ GRAPH {STATE} {{ {holder} ?p ?o }} }}")
        claim = (
            f"INSERT {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} {self.me} . {self.me} {HEARTBEAT} {_now()} ;"
            f" {LABEL} {ox.Literal(self.label)} }} }}"
            f" WHERE {{ FILTER NOT EXISTS {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} ?other }} }} }}"
        )
        self.store.update(" ;\n".join([*drop, claim]))
        holders = self._holders()
        if set(holders) != {self.me}:
            self.release()
            others = [v for k, v in holders.items() if k != self.me] or [("", "another build")]
            raise self._locked(others[0][1], others[0][0])

    def _locked(self, label: str, beat: str) -> StoreLockedError:
        return StoreLockedError(
            f"another kgpub build ({label}, last heartbeat {beat or 'unknown'})"
            f" is writing to {self.store.location}",
            hint="wait for it to finish; if it died on another host, its lock lapses after remote_lock_ttl"
            " seconds",
        )

    def release(self) -> None:
        self.store.update(
            f"DELETE WHERE {{ GRAPH {STATE} {{ {LOCK} {HELD_BY} {self.me} }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {STATE} {{ {self.me} ?p ?o }} }}"
        )

    # -- graphs ----------------------------------------------------------------------------
    def _forget(self, graphs: Iterable[str]) -> None:
        nodes = " ".join(str(ox.NamedNode(g)) for g in graphs)
        if nodes:
            self.store.update(
                f"DELETE {{ GRAPH {STATE} {{ ?g {DIGEST} ?d }} }}"
                f" WHERE {{ GRAPH {STATE} {{ ?g {DIGEST} ?d }} VALUES ?g {{ {nodes} }} }}"
            )

    def _record(self, graph: str, digest: str) -> None:
        g = ox.NamedNode(graph)
        self.store.update(
            f"DELETE WHERE {{ GRAPH {STATE} {{ {g} {DIGEST} ?d }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {STATE} {{ {self.me} {HEARTBEAT} ?b }} }} ;\n"
            f"INSERT DATA {{ GRAPH {STATE} {{ {g} {DIGEST} {ox.Literal(digest)} ."
            f" {self.me} {HEARTBEAT} {_now()} }} }}"
        )

    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        self._forget(graphs)
        for graph, ntriples in graphs.items():
            if ntriples.strip():
                self.store.put_graph(graph, ntriples)
            else:
                self.store.delete_graph(graph)
            self._record(graph, digests[graph])

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        graphs = list(graphs)
        self._forget(graphs)
        for graph in graphs:
            self.store.delete_graph(graph)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
