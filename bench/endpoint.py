"""kgpub's /sparql beside plain ``oxigraph serve-read-only`` on the same generated store.

What it answers: how much the safe endpoint (guard + worker processes + result files) costs over
Oxigraph's own HTTP server, for four typical queries. Both servers read the *same* published
snapshot directory read-only, with the union of named graphs as the default graph.

Run (generates its own schema.org works/persons/authorships; nothing else needed)::

    .venv/bin/python bench/endpoint.py                 # 10,000 works (~110,000 triples)
    .venv/bin/python bench/endpoint.py --works 100000 --gunicorn-workers 2 --query-workers 4

kgpub is served the production way, as the README documents it (gunicorn with threaded workers,
keep-alive and the access log, from :func:`kgpub.serving.gunicorn_options`)::

    KGPUB_QUERY_WORKERS=2 kgpub serve --store DIR --host 127.0.0.1 --port PORT --workers 2

Oxigraph: ``oxigraph serve-read-only --location DIR/current --bind 127.0.0.1:PORT
--union-default-graph`` (query URL ``/query``). Output: median latency of sequential requests and
throughput with concurrent clients, each with the ratio kgpub / oxigraph.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox

from kgpub.store import EmbeddedStore

SCHEMA = "http://schema.org/"
BASE = "http://bench.kgpub.example/"
GRAPH = BASE + "graph/synthetic"
JSON = "application/sparql-results+json"
THROUGHPUT_SECONDS = 3.0  # least time each throughput measurement runs
WARM_UP = 12  # requests per query kind before timing: > 2 per query worker process of kgpub


def _iri(kind: str, n: int) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}{kind}/{n}")


def generate(works: int, path: Path, seed: int = 7) -> int:
    """Write schema.org works, persons and authorships as N-Quads; return the number of quads."""
    rng = random.Random(seed)
    persons = max(1, works // 4)
    graph, s = ox.NamedNode(GRAPH), (lambda name: ox.NamedNode(SCHEMA + name))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    count = 0
    with path.open("wb") as out:

        def emit(quads: list[ox.Quad]) -> None:
            nonlocal count
            out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
            count += len(quads)

        for p in range(persons):
            person = _iri("person", p)
            emit(
                [
                    ox.Quad(person, rdf_type, s("Person"), graph),
                    ox.Quad(person, s("name"), ox.Literal(f"Person {p}"), graph),
                    ox.Quad(person, s("affiliation"), _iri("org", p % 50), graph),
                ]
            )
        for w in range(works):
            work = _iri("work", w)
            year = ox.Literal(str(1990 + rng.randrange(35)), datatype=ox.NamedNode(SCHEMA + "Date"))
            quads = [
                ox.Quad(work, rdf_type, s("ScholarlyArticle"), graph),
                ox.Quad(work, s("name"), ox.Literal(f"Work number {w}"), graph),
                ox.Quad(work, s("datePublished"), year, graph),
                ox.Quad(work, s("identifier"), ox.Literal(f"10.5555/bench.{w}"), graph),
                ox.Quad(work, s("isPartOf"), _iri("venue", w % 200), graph),
                ox.Quad(work, s("keywords"), ox.Literal(f"topic {rng.randrange(500)}"), graph),
                ox.Quad(work, s("keywords"), ox.Literal(f"topic {rng.randrange(500)}"), graph),
            ]
            for a in rng.sample(range(persons), min(3, persons)):
                quads.append(ox.Quad(work, s("author"), _iri("person", a), graph))
            emit(quads)
    return count


def queries(works: int) -> dict[str, list[str]]:
    """Each benchmark query in a few variants (different entities), cycled through by requests."""
    pick = random.Random(11)
    persons = max(1, works // 4)
    return query_mix(
        [_iri("work", pick.randrange(works)) for _ in range(50)],
        [_iri("person", pick.randrange(persons)) for _ in range(50)],
    )


def query_mix(works: list[ox.NamedNode], persons: list[ox.NamedNode]) -> dict[str, list[str]]:
    """The fixed mix over given work and person IRIs (terms written by pyoxigraph, never pasted text):
    a cheap lookup, a join, an aggregate over all works and a large result."""
    lookup = [f"SELECT ?p ?o WHERE {{ {w} ?p ?o }}" for w in works]
    person_works = [
        f"SELECT ?work ?title WHERE {{ ?work <{SCHEMA}author> {p} ; <{SCHEMA}name> ?title }}" for p in persons
    ]
    aggregate = [
        f"SELECT ?year (COUNT(?w) AS ?n) WHERE {{ ?w a <{SCHEMA}ScholarlyArticle> ; "
        f"<{SCHEMA}datePublished> ?year }} GROUP BY ?year ORDER BY ?year"
    ]
    big = ["SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100000"]
    return {
        "entity lookup": lookup,
        "person's works": person_works,
        "aggregate over works": aggregate,
        "100,000-row SELECT": big,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes], params: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}: {url}")
        try:
            if httpx.get(url, params=params, headers={"Accept": JSON}, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server did not come up: {url}")


def _one(client: httpx.Client, url: str, query: str) -> float:
    start = time.perf_counter()
    resp = client.post(url, data={"query": query}, headers={"Accept": JSON})
    resp.read()
    elapsed = time.perf_counter() - start
    if resp.status_code != 200:
        raise SystemExit(f"{url} answered {resp.status_code}: {resp.text[:300]}")
    return elapsed


def start_kgpub(
    store: Path, gunicorn_workers: int, query_workers: int, clients: int, env: dict[str, str]
) -> tuple[str, subprocess.Popen[bytes]]:
    """kgpub served the production way, exactly as the README documents it (`kgpub serve`: gunicorn
    with its threaded workers, keep-alive and access log, over the app factory); returns its /sparql
    URL once it answers. ``env`` adds settings (KGPUB_BASE, …)."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("kgpub")),
            "serve",
            "--store",
            str(store),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(gunicorn_workers),
        ],
        env={
            **os.environ,
            "KGPUB_QUERY_WORKERS": str(query_workers),
            "KGPUB_QUERY_TIMEOUT": "120",
            "KGPUB_QUERY_MAX_PER_CLIENT": str(clients + 2),
            **env,
        },
        stdout=subprocess.DEVNULL,  # the access log
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        _wait_up(url, proc, {"query": "ASK { ?s ?p ?o }"})
    except BaseException:
        stop([proc])
        raise
    return url, proc


def start_oxigraph(snapshot: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """``oxigraph serve-read-only`` on a snapshot, union default graph; returns its query URL."""
    port = _free_port()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    proc = subprocess.Popen(
        [
            oxigraph,
            "serve-read-only",
            "--location",
            str(snapshot),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_up(url, proc, {"query": "ASK { ?s ?p ?o }"})
    except BaseException:
        stop([proc])
        raise
    return url, proc


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """Terminate servers started here (each leads its own session: its workers go with it)."""
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def generated_store(works: int, prefix: str) -> Iterator[tuple[Path, int, list[subprocess.Popen[bytes]]]]:
    """A temporary store of ``works`` synthetic works (its folder, its quad count) and a list the
    caller adds its servers to: on leaving, the servers are stopped and the files removed."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        quads = generate(works, tmp / "data.nq")
        with EmbeddedStore(tmp / "store").writer() as writer:
            writer.bulk_load_nquads(tmp / "data.nq")
        yield tmp / "store", quads, procs
    finally:
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)


def measure(url: str, variants: list[str], repeat: int, clients: int) -> tuple[float, float]:
    """(median latency in ms of sequential requests, requests per second with ``clients`` at once)."""
    with httpx.Client(timeout=120) as client:
        # steady state, not first touches: every server process (kgpub: each gunicorn worker's query
        # workers, each with its own block cache) answers each query kind a few times first
        for i in range(WARM_UP):
            _one(client, url, variants[i % len(variants)])
        latencies = [_one(client, url, variants[i % len(variants)]) for i in range(repeat)]
    # throughput: each client keeps asking until it has made its share of the requests *and*
    # THROUGHPUT_SECONDS have passed, so a cheap query is not judged on a 0.1 s burst
    share = max(1, repeat // 2)
    counts = [0] * clients

    def worker(k: int) -> None:
        with httpx.Client(timeout=120) as client:
            i = k
            while counts[k] < share or time.perf_counter() - start < THROUGHPUT_SECONDS:
                _one(client, url, variants[i % len(variants)])
                counts[k] += 1
                i += clients

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    total = sum(counts)
    return statistics.median(latencies) * 1000, total / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--works", type=int, default=10_000, help="synthetic works to generate (default 10,000)")
    ap.add_argument("--repeat", type=int, default=30, help="sequential requests per query (median)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients for throughput")
    ap.add_argument("--gunicorn-workers", type=int, default=2)
    ap.add_argument("--query-workers", type=int, default=4, help="query workers per web worker (the setting's default)")
    ap.add_argument("--only", default="", help="comma-separated parts of query names to run")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up servers and files when stopped

    t0 = time.perf_counter()
    with generated_store(args.works, "kgpub-bench-endpoint-") as (store_dir, quads, procs):
        snapshot = EmbeddedStore(store_dir).current_snapshot()
        assert snapshot is not None
        print(
            f"{args.works:,} works, {quads:,} quads generated and loaded in {time.perf_counter() - t0:.1f} s"
        )

        kg_url, kg_proc = start_kgpub(
            store_dir, args.gunicorn_workers, args.query_workers, args.clients, {}
        )
        procs.append(kg_proc)
        ox_url, ox_proc = start_oxigraph(snapshot)
        procs.append(ox_proc)

        print(
            f"kgpub: gunicorn x{args.gunicorn_workers}, {args.query_workers} query workers each; "
            f"{args.repeat} sequential requests (median), {args.clients} concurrent clients (throughput)"
        )
        head = f"{'query':<22} {'kgpub ms':>9} {'oxigraph ms':>12} {'ratio':>6} {'kgpub q/s':>10} "
        print(head + f"{'oxigraph q/s':>13} {'ratio':>6}")
        for name, variants in queries(args.works).items():
            if args.only and not any(part and part in name for part in args.only.split(",")):
                continue
            kg_ms, kg_qps = measure(kg_url, variants, args.repeat, args.clients)
            ox_ms, ox_qps = measure(ox_url, variants, args.repeat, args.clients)
            print(
                f"{name:<22} {kg_ms:>9.1f} {ox_ms:>12.1f} {kg_ms / ox_ms:>6.2f} {kg_qps:>10.1f} "
                f"{ox_qps:>13.1f} {kg_qps / ox_qps:>6.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
