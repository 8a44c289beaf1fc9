"""Serving stages: the SPARQL endpoint and entity pages, each beside ``oxigraph serve`` on the same store.

Both read the store a kgpub build of the generated corpus published (:func:`bench.build.built_store`):
kgpub through gunicorn over the app factory (2 web workers, 4 query workers each), Oxigraph through
``oxigraph serve-read-only`` on the same snapshot. Servers start before the clock and stop after it
(``setup``/``teardown``); the timed call is the whole request mix, so the stage's ratio is the mix's
total time. The per-query figures (median latency of sequential requests, requests/s with concurrent
clients) and the serving processes' peak memory (``VmHWM`` from ``/proc``) are the run's ``output``.

- ``sparql-endpoint``: the fixed query mix of :func:`bench.endpoint.query_mix`, same requests to both.
- ``entity-pages``: kgpub's work and person pages as HTML and Turtle; the reference is Oxigraph
  answering the plainest query for the same entity's Turtle (``CONSTRUCT WHERE { <e> ?p ?o }``).
"""

from __future__ import annotations

import random
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from bench import endpoint, pages
from bench.build import BASE, built_store
from bench.harness import Context, Stage, register

SCHEMA = "http://schema.org/"
CLIENTS = 4
REPEAT = 20  # sequential requests per query or page kind (their median is the latency)
HEAVY_REPEAT = 6  # for the single-variant queries over the whole store (aggregate, large result)
SAMPLE = 50  # entities the requests cycle through
ARXIV = "https://w3id.org/kgpub/arxiv/"  # topics' namespace; served at /id/topic/<code>
SEARCHES = ("graph", "neural+network", "lee", "secure+cache", "a")  # common and rare words, a prefix


def _sample(ctx: Context) -> dict[str, Any]:
    """Store path, its snapshot and a deterministic sample of work and person IRIs it holds."""
    from kgpub.store import EmbeddedStore

    folder = built_store(ctx)
    store = EmbeddedStore(folder)
    picked: dict[str, list[str]] = {}
    for kind, cls in (("work", "ScholarlyArticle"), ("person", "Person")):
        rows = store.db().query(
            "SELECT DISTINCT ?e ?c WHERE { ?e a ?c } LIMIT 5000",
            substitutions={ox.Variable("c"): ox.NamedNode(SCHEMA + cls)},
            use_default_graph_as_union=True,
        )
        iris = sorted(r["e"].value for r in rows if r["e"].value.startswith(f"{BASE}id/{kind}/"))
        picked[kind] = random.Random(1).sample(iris, min(SAMPLE, len(iris)))
    rows = store.db().query(
        "SELECT ?e (COUNT(?w) AS ?n) WHERE { ?w <http://schema.org/about> ?e } GROUP BY ?e ORDER BY DESC(?n) ?e",
        use_default_graph_as_union=True,
    )  # topics, the largest first: the first request of the largest is the worst case
    picked["topic"] = [r["e"].value for r in rows if r["e"].value.startswith(ARXIV)][:SAMPLE]
    snapshot = store.current_snapshot()
    store.close()
    return {"store": str(folder), "snapshot": str(snapshot), **picked}


def _start(args: dict[str, Any], side: str) -> dict[str, Any]:
    if side == "kgpub":
        url, proc = endpoint.start_kgpub(Path(args["store"]), 2, 4, CLIENTS, {"KGPUB_BASE": BASE})
    else:
        url, proc = endpoint.start_oxigraph(Path(args["snapshot"]))
    return {**args, "url": url, "proc": proc}


def _stop(state: dict[str, Any], side: str) -> None:
    endpoint.stop([state["proc"]])


def peak_mb(proc: subprocess.Popen[bytes]) -> dict[str, float]:
    """Peak resident memory (VmHWM) of a server and its processes, in MB: the largest web worker
    and the largest query worker (gunicorn) or the server itself (oxigraph)."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))

    def hwm(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    web = tree.get(proc.pid, [])
    query = [q for w in web for q in tree.get(w, [])]
    out = {"server peak MB": round(hwm(proc.pid), 1)}
    if web:
        out["web worker peak MB"] = round(max(map(hwm, web)), 1)
    if query:
        out["query worker peak MB"] = round(max(map(hwm, query)), 1)
    return out


def sparql_mix(state: dict[str, Any]) -> dict[str, float]:
    mix = endpoint.query_mix([ox.NamedNode(w) for w in state["work"]], [ox.NamedNode(p) for p in state["person"]])
    out: dict[str, float] = {}
    for name, variants in mix.items():
        repeat = REPEAT if len(variants) > 1 else HEAVY_REPEAT
        ms, qps = endpoint.measure(state["url"], variants, repeat, CLIENTS)
        out[f"{name} ms"], out[f"{name} q/s"] = round(ms, 3), round(qps, 2)
    return {**out, **peak_mb(state["proc"])}


def _throughput(base_url: str, paths: list[str], headers: dict[str, str]) -> float:
    """Requests per second with CLIENTS clients at once, each with its own connection."""
    total = REPEAT * CLIENTS

    def client(k: int) -> None:
        with httpx.Client(base_url=base_url, timeout=120) as c:
            for i in range(k, total, CLIENTS):
                pages.timed(c, paths[i % len(paths)], headers)

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return total / (time.perf_counter() - start)


def _path(iri: str, ext: str) -> str:
    return iri.removeprefix(BASE.rstrip("/")) + "." + ext


def kgpub_pages(state: dict[str, Any]) -> dict[str, float]:
    """Entity pages, then the home page and search: their first request (a worker that has not
    served it yet: it reads the snapshot's summary) and the median of the following ones."""
    site = state["url"].removesuffix("/sparql")
    out: dict[str, float] = {}
    with httpx.Client(base_url=site, timeout=120) as c:
        for name, paths in (("home", ["/"]), ("search", [f"/search?q={w}" for w in SEARCHES])):
            out[f"{name} first ms"] = round(pages.timed(c, paths[0]), 3)
            out[f"{name} ms"] = round(
                statistics.median(pages.timed(c, paths[i % len(paths)]) for i in range(REPEAT)), 3
            )
        if state.get("topic"):  # topic pages: the largest topic first, on a worker that has not served one
            paths = ["/id/topic/" + t.removeprefix(ARXIV) + ".html" for t in state["topic"]]
            out["topic first ms"] = round(pages.timed(c, paths[0]), 3)
            out["topic .html ms"] = round(
                statistics.median(pages.timed(c, paths[i % len(paths)]) for i in range(REPEAT)), 3
            )
        for kind in ("work", "person"):
            for ext in ("html", "ttl"):
                paths = [_path(i, ext) for i in state[kind]]
                pages.timed(c, paths[0])  # warm this worker's code path
                out[f"{kind} .{ext} ms"] = round(
                    statistics.median(pages.timed(c, paths[i % len(paths)]) for i in range(REPEAT)), 3
                )
    for ext in ("html", "ttl"):
        out[f"work .{ext} req/s"] = round(_throughput(site, [_path(i, ext) for i in state["work"]], {}), 2)
    return {**out, **peak_mb(state["proc"])}


def oxigraph_describe(state: dict[str, Any]) -> dict[str, float]:
    url = state["url"]
    accept = {"Accept": "text/turtle"}
    out: dict[str, float] = {}

    def construct(iri: str) -> str:
        return f"/query?{httpx.QueryParams(query=f'CONSTRUCT WHERE {{ {ox.NamedNode(iri)} ?p ?o }}')}"

    site = url.removesuffix("/query")
    with httpx.Client(base_url=site, timeout=120) as c:
        for kind in ("work", "person"):
            paths = [construct(i) for i in state[kind]]
            pages.timed(c, paths[0], accept)
            out[f"{kind} CONSTRUCT ttl ms"] = round(
                statistics.median(pages.timed(c, paths[i % len(paths)], accept) for i in range(REPEAT)), 3
            )
    out["work CONSTRUCT ttl req/s"] = round(_throughput(site, [construct(i) for i in state["work"]], accept), 2)
    return {**out, **peak_mb(state["proc"])}


register(
    Stage(
        "sparql-endpoint",
        kgpub=sparql_mix,
        reference=sparql_mix,
        prepare=_sample,
        setup=_start,
        teardown=_stop,
        sizes=(1_000, 10_000),
        timeout_s=1800,
        kgpub_label="kgpub /sparql (gunicorn ×2, 4 query workers each)",
        reference_label="oxigraph serve-read-only, same snapshot",
        description="fixed SPARQL query mix: latency and throughput vs oxigraph serve (total time of the mix)",
    )
)
register(
    Stage(
        "entity-pages",
        kgpub=kgpub_pages,
        reference=oxigraph_describe,
        prepare=_sample,
        setup=_start,
        teardown=_stop,
        sizes=(1_000, 10_000),
        timeout_s=1800,
        kgpub_label="kgpub entity pages (HTML + Turtle) + home + search, gunicorn ×2",
        reference_label="oxigraph serve: CONSTRUCT of the entity as Turtle",
        description="entity pages: latency (HTML, Turtle) and throughput vs oxigraph serve's CONSTRUCT "
        "(kgpub's side also times its home page and search: first request and median)",
    )
)
