"""Remote store: any SPARQL 1.1 Protocol + Graph Store HTTP Protocol server.

Set-up: ``store = "http://host:7878"`` with ``remote_family = "oxigraph"`` (``/query``, ``/update``,
``/store``), or the dataset URL (``http://host:3030/ds``) with ``"fuseki"`` (``/sparql``, ``/update``,
``/data``), or ``"generic"`` with ``remote_query_url``, ``remote_update_url`` and
``remote_graph_store_url``. Credentials come from settings only: ``remote_user`` and
``remote_password`` (HTTP basic) or ``remote_token`` (bearer), e.g. ``KGPUB_REMOTE_TOKEN``.

The merged view (a plain query without ``GRAPH`` sees every named graph) is the server's job: start
``oxigraph serve --location DIR --bind HOST:PORT --union-default-graph``; for Fuseki set
``tdb2:unionDefaultGraph true``. For a server that cannot, set ``remote_union_default_graph = false``
and kgpub sends every named graph as ``default-graph-uri`` with each query (one extra round trip).

Answers are parsed with pyoxigraph, so callers get the same objects as from the embedded store. An
answer is used only once it has parsed *completely*: ``oxigraph serve --timeout-s`` stops a slow
query by cutting the body short under HTTP 200, and a cut body must never pass for a small result.
Graph results are therefore asked for as JSON-LD, whose closing bracket proves the end arrived.

Substitutions are sent as a ``VALUES`` block (the protocol has no parameters; see
:mod:`kgpub.store.bindings`). Terms are written by pyoxigraph (``str()`` of a term), never pasted
from text. The bound variable joins the
query's solutions, which equals substitution for variables the pattern binds (kgpub's own queries).

Build state lives on the server, in the graph :data:`STATE` (excluded from ``graphs()``, ``stats()``
and ``dump()``; visible in the merged view as a few triples): each graph's digest, and the advisory
writer lock (see :mod:`kgpub.store.remote_writer`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, BinaryIO

import httpx
import pyoxigraph as ox

from kgpub.config import Config
from kgpub.errors import QueryTimeoutError, StoreError
from kgpub.store.base import Dataset, Store, StoreStats, StoreWriter, Term
from kgpub.store.bindings import with_values
from kgpub.store.protocol import ProtocolClient, redact

NS = "https://w3id.org/kgpub/store/"
STATE = ox.NamedNode(NS + "state")
DIGEST = ox.NamedNode(NS + "digest")
_JSON = "application/sparql-results+json"
_JSON_LD = "application/ld+json"
_ACCEPT = f"{_JSON}, {_JSON_LD};q=0.9"
_ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol + Graph Store Protocol endpoints."""

    def __init__(
        self, url: str, config: Config | None = None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.location = redact(url)
        self.http = ProtocolClient(url, config, transport=transport)
        self.endpoints = self.http.endpoints
        self.union_default = bool(config.remote_union_default_graph) if config else True
        self.lock_ttl = float(config.remote_lock_ttl) if config else 600.0

    def close(self) -> None:
        self.http.close()

    # -- queries ---------------------------------------------------------------------------
    def _ask(
        self, sparql: str, substitutions: Mapping[str, Term] | None, dataset: Dataset | None, merged: bool
    ) -> tuple[str, bytes]:
        """POST the query; return (media type, body). ``merged``: the default graph must be the
        merged view (kgpub's own GRAPH queries about the store need not)."""
        form: dict[str, Any] = {"query": with_values(sparql, substitutions)}
        if dataset is not None and dataset.given:
            form["default-graph-uri"] = list(dataset.default_graphs)
            form["named-graph-uri"] = list(dataset.named_graphs)
        elif merged and not self.union_default:
            form["default-graph-uri"] = self.graphs()
        response = self.http.request(
            "POST", self.endpoints.query, what="query", data=form, headers={"Accept": _ACCEPT}
        )
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return media, response.content

    def _results(
        self, sparql: str, subs: Mapping[str, Term] | None, dataset: Dataset | None, merged: bool = True
    ) -> tuple[str, Any]:
        """("ASK"|"SELECT", complete JSON bytes) or ("CONSTRUCT", in-memory store of the triples)."""
        media, body = self._ask(sparql, subs, dataset, merged)
        try:
            if media == _JSON:
                parsed = json.loads(body)  # complete JSON or an error: a cut body never passes
                return ("ASK" if "boolean" in parsed else "SELECT"), body
            results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
            if results_format is not None:
                result = ox.parse_query_results(body, results_format)
                form = "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT"
                return form, result.serialize(format=ox.QueryResultsFormat.JSON)
            rdf_format = ox.RdfFormat.from_media_type(media) if media else None
            if rdf_format is not None:
                graph = ox.Store()
                graph.load(body, rdf_format)
                return "CONSTRUCT", graph
        except (ValueError, SyntaxError) as exc:
            raise QueryTimeoutError(  # a query's answer: the client sees it, so no server address
                f"the remote store returned an incomplete answer ({exc})",
                hint="the server stopped the query (its time limit, e.g. oxigraph serve --timeout-s)",
            ) from None
        raise StoreError(f"remote store {self.location} answered a query with unexpected type {media!r}")

    def query(self, sparql, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        form, value = self._results(sparql, substitutions, dataset)
        if form != "CONSTRUCT":
            return ox.parse_query_results(value, ox.QueryResultsFormat.JSON)
        return value.query(_ALL_TRIPLES)

    def query_serialized(self, sparql, media_type, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        form, value = self._results(sparql, substitutions, dataset)
        if form != "CONSTRUCT":
            fmt = ox.QueryResultsFormat.from_media_type(media_type)
            if fmt is None:
                raise ValueError(f"not a query results media type: {media_type}")
            if fmt == ox.QueryResultsFormat.JSON:
                return form, value
            return form, ox.parse_query_results(value, ox.QueryResultsFormat.JSON).serialize(
                format=fmt
            ) or b""
        rdf = ox.RdfFormat.from_media_type(media_type)
        if rdf is None:
            raise ValueError(f"not an RDF media type: {media_type}")
        return form, value.query(_ALL_TRIPLES).serialize(format=rdf) or b""

    def _select(self, sparql: str, merged: bool = False) -> list[ox.QuerySolution]:
        """kgpub's own queries about the store; their few terms are written by pyoxigraph."""
        form, body = self._results(sparql, None, None, merged)
        if form != "SELECT":
            raise StoreError(f"remote store {self.location} answered a SELECT query with {form} results")
        return list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))  # type: ignore[arg-type]

    def graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
        return sorted(g.value for row in rows if isinstance(g := row["g"], ox.NamedNode) and g != STATE)

    def graph_digest(self, graph: str) -> str | None:
        rows = self._select(f"SELECT ?d WHERE {{ GRAPH {STATE} {{ {ox.NamedNode(graph)} {DIGEST} ?d }} }}")
        return rows[0]["d"].value if rows else None

    def graph_digests(self) -> dict[str, str]:
        rows = self._select(f"SELECT ?g ?d WHERE {{ GRAPH {STATE} {{ ?g {DIGEST} ?d }} }}")
        return {row["g"].value: row["d"].value for row in rows}

    def stats(self) -> StoreStats:
        stats = StoreStats()
        for row in self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            if row["g"] != STATE:
                stats.graphs[row["g"].value] = int(row["n"].value)
        stats.quads = sum(stats.graphs.values())
        for row in self._select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", merged=True
        ):
            stats.classes[row["c"].value] = int(row["n"].value)
        return stats

    # -- dump ------------------------------------------------------------------------------
    def dump(self, out: BinaryIO, media_type: str) -> None:
        """Stream graph by graph (Graph Store Protocol GET, parsed as it arrives), state excluded."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None or not fmt.supports_datasets:
            raise ValueError(f"not an RDF dataset media type: {media_type}")
        try:
            ox.serialize(self._quads(self.graphs()), out, fmt)
        except SyntaxError as exc:
            raise StoreError(
                f"remote store {self.location} sent a graph that does not parse: {exc}"
            ) from None

    def _quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        for graph in graphs:
            node = ox.NamedNode(graph)
            with self.http.stream(
                "GET",
                self.endpoints.graph_store,
                what="dump",
                params={"graph": graph},
                headers={"Accept": "application/n-triples"},
            ) as response:
                reader = io.BufferedReader(_ChunkReader(response.iter_bytes()), buffer_size=1 << 16)
                for t in ox.parse(reader, ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(t.subject, t.predicate, t.object, node)

    # -- writing ---------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Run one SPARQL Update request (one transaction on the server)."""
        self.http.request("POST", self.endpoints.update, what="update", data={"update": sparql})

    def put_graph(self, graph: str, ntriples: str) -> None:
        """Graph Store PUT: the server swaps the graph in one transaction, or leaves it as it was."""
        self.http.request(
            "PUT",
            self.endpoints.graph_store,
            what=f"upload of <{graph}>",
            params={"graph": graph},
            content=ntriples.encode("utf-8"),
            headers={"Content-Type": "application/n-triples"},
        )

    def delete_graph(self, graph: str) -> None:
        self.http.request(
            "DELETE",
            self.endpoints.graph_store,
            what=f"removal of <{graph}>",
            params={"graph": graph},
            allow=(404,),
        )

    def writer(self) -> AbstractContextManager[StoreWriter]:
        from kgpub.store.remote_writer import locked_writer

        return locked_writer(self)

    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        with self.writer() as w:
            w.replace_graphs(graphs, digests)

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        with self.writer() as w:
            w.remove_graphs(graphs)


class _ChunkReader(io.RawIOBase):
    """A file-like view of an iterator of byte chunks (so pyoxigraph can parse while it arrives)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buf = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = chunk
        n = min(len(buffer), len(self._buf))
        buffer[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n
