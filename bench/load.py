"""Load on the production server: concurrent clients on loopback against `kgpub serve` (gunicorn).

    .venv/bin/python bench/load.py --store DIR [--duration 60 | --quick] [--clients 8] [--json]

The server is started here as a subprocess on a free port and stopped at the end. Each client is a
thread with its own HTTP connection; the run stops itself after ``--duration`` seconds or
``--max-requests`` requests, whichever comes first. The mix, drawn per request:

    45%  entity pages /id/{type}/{key}, Accept one of HTML, Turtle, JSON-LD, N-Triples, RDF/XML
         (303 followed to the document)
    20%  named query /queries/person-works?person=IRI (JSON, CSV or HTML by Accept; JSON by .json)
     5%  the list of named queries /queries (HTML or JSON)
    30%  SPARQL /sparql?query=… (counts per class, a person's works, a label search, ASK)

Printed: requests served, requests/s, p50/p95/p99 latency, unexpected errors (a status other than
2xx/3xx, except 429 and 503, which the server sends on purpose when it sheds load), and the RSS of the
server (gunicorn master, workers and their query workers) after a short warm-up (not counted: it
starts the query worker processes) and after the run. Timing is reported,
never asserted: tests/hardening/test_load.py checks only correctness.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

INTENDED = {429, 503}
ACCEPT_ENTITY = ["text/html", "text/turtle", "application/ld+json", "application/n-triples",
                 "application/rdf+xml"]
ACCEPT_QUERY = ["application/json", "text/csv", "text/html"]
SPARQL = [
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "PREFIX schema: <http://schema.org/> SELECT ?w ?t WHERE { ?w schema:author <{person}> ; schema:name ?t } LIMIT 50",
    'PREFIX schema: <http://schema.org/> SELECT ?w ?t WHERE { ?w schema:name ?t FILTER(CONTAINS(LCASE(?t), "{word}")) }'
    " LIMIT 20",
    "PREFIX schema: <http://schema.org/> ASK { <{person}> a schema:Person }",
]
WORDS = ["learning", "privacy", "federated", "attack", "memory", "model"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def server_rss_kb(pid: int) -> int:
    """VmRSS summed over the process tree: gunicorn master, its workers and their query workers."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
        todo += _children(p)
    return total


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    failures: int = 0  # connection errors and timeouts
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status is None:
                self.failures += 1
                self.unexpected.append(f"{what}: no answer")
                return
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 400 and status not in INTENDED:
                self.unexpected.append(f"{what}: {status}")


class Server:
    """`kgpub serve` (gunicorn) on a loopback port, as an operator starts it."""

    def __init__(self, store: Path, port: int, workers: int) -> None:
        kgpub = str(Path(sys.executable).parent / "kgpub")
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(os.devnull, "wb")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(
            [kgpub, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)], stdout=self.log, stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode()[-2000:] if self.proc.stderr else ""
                raise SystemExit(f"kgpub serve exited {self.proc.returncode}: {err}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("kgpub serve did not answer /health in time")

    def healthy(self) -> bool:
        try:
            return self.proc.poll() is None and httpx.get(self.url + "/health", timeout=10).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def discover(url: str) -> tuple[list[str], list[str]]:
    """Entity paths and person IRIs to ask for, from the server's own SPARQL endpoint (persons
    asked for apart: the first few hundred entities of a big store may hold none)."""
    def iris(where: str) -> list[str]:
        q = f"SELECT DISTINCT ?s WHERE {{ {where} FILTER(CONTAINS(STR(?s), \"/id/\")) }} LIMIT 300"
        rows = httpx.get(url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"},
                         timeout=30).json()["results"]["bindings"]
        return [r["s"]["value"] for r in rows]

    persons = iris("?s a <http://schema.org/Person>")
    paths = ["/id/" + iri.split("/id/", 1)[1] for iri in iris("?s a ?c") + persons]
    if not paths or not persons:
        raise SystemExit("the store holds no entities (or no persons): build it first")
    return paths, persons


def one_request(client: httpx.Client, rnd: random.Random, paths: list[str], persons: list[str]) -> tuple[str, int]:
    roll = rnd.random()
    if roll < 0.45:
        path = rnd.choice(paths)
        r = client.get(path, headers={"Accept": rnd.choice(ACCEPT_ENTITY)}, follow_redirects=True)
        return f"GET {path}", r.status_code
    if roll < 0.55:
        r = client.get("/queries/person-works.json", params={"person": rnd.choice(persons)})
        return "GET /queries/person-works.json", r.status_code
    if roll < 0.65:
        r = client.get("/queries/person-works", params={"person": rnd.choice(persons)},
                       headers={"Accept": rnd.choice(ACCEPT_QUERY)})
        return "GET /queries/person-works", r.status_code
    if roll < 0.70:
        r = client.get("/queries", headers={"Accept": rnd.choice(["text/html", "application/json"])})
        return "GET /queries", r.status_code
    query = rnd.choice(SPARQL).replace("{person}", rnd.choice(persons)).replace("{word}", rnd.choice(WORDS))
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return f"SPARQL {query[:60]}", r.status_code


def run_clients(url: str, clients: int, duration: float, max_requests: int, seed: int) -> Tally:
    paths, persons = discover(url)
    tally = Tally()
    deadline = time.monotonic() + duration
    budget = iter(range(max_requests))
    budget_lock = threading.Lock()

    def client_loop(k: int) -> None:
        rnd = random.Random(seed * 1000 + k)
        with httpx.Client(base_url=url, timeout=60) as client:
            while time.monotonic() < deadline:
                with budget_lock:
                    if next(budget, None) is None:
                        return
                t0 = time.perf_counter()
                try:
                    what, status = one_request(client, rnd, paths, persons)
                except httpx.HTTPError as exc:
                    tally.add(type(exc).__name__, time.perf_counter() - t0, None)
                    continue
                tally.add(what, time.perf_counter() - t0, status)

    threads = [threading.Thread(target=client_loop, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 120)
    return tally


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summarise(tally: Tally, elapsed: float) -> dict[str, object]:
    """Requests, rate, latency percentiles and statuses of one run of the clients."""
    lat = tally.latencies
    return {
        "requests": len(lat), "seconds": round(elapsed, 2), "rps": round(len(lat) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(lat, 50) * 1000, 1), "p95_ms": round(percentile(lat, 95) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1), "median_ms": round(statistics.median(lat) * 1000, 1)
        if lat else None, "statuses": dict(sorted(tally.statuses.items())), "errors": len(tally.unexpected),
        "error_samples": tally.unexpected[:10], "shed": sum(tally.statuses.get(s, 0) for s in INTENDED),
    }


def describe(report: dict[str, Any]) -> list[str]:
    """The human-readable lines of a run: a ``summarise`` result plus ``rss_before_kb``/``rss_after_kb``."""
    return [
        f"  requests served   {report['requests']}  ({report['rps']} req/s)",
        f"  latency           p50 {report['p50_ms']} ms   p95 {report['p95_ms']} ms   p99 {report['p99_ms']} ms",
        f"  statuses          {report['statuses']}  (429/503 shed on purpose: {report['shed']})",
        f"  unexpected errors {report['errors']}  {report['error_samples'][:3]}",
        f"  server RSS        before {report['rss_before_kb'] / 1024:.1f} MB   after "
        f"{report['rss_after_kb'] / 1024:.1f} MB",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a built store directory")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--quick", action="store_true", help="10 seconds")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    duration = 10.0 if args.quick else args.duration

    server = Server(args.store, free_port(), args.workers)
    try:
        server.wait_ready()
        # warm-up, not counted: workers import their templates, the query sandbox starts its worker
        # processes on first use; "before" is the server ready to serve, "after" what the load left
        run_clients(server.url, args.clients, min(3.0, duration / 5), args.max_requests, args.seed + 1)
        rss_before = server_rss_kb(server.proc.pid)
        started = time.monotonic()
        tally = run_clients(server.url, args.clients, duration, args.max_requests, args.seed)
        elapsed = time.monotonic() - started
        healthy = server.healthy()
        rss_after = server_rss_kb(server.proc.pid)
    finally:
        server.stop()
    report = {
        **summarise(tally, elapsed), "healthy_after": healthy, "rss_before_kb": rss_before,
        "rss_after_kb": rss_after, "clients": args.clients, "workers": args.workers,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"kgpub serve under load: {args.clients} clients, {args.workers} gunicorn workers, {elapsed:.1f} s")
        print("\n".join(describe(report)))
        print(f"  healthy after     {healthy}")
    return 0 if healthy and not tally.unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
