"""Benchmark: kgpub mapping throughput, and mapping + bulk_load against bulk_load alone.

Generates N synthetic works (default 100,000) spread over feed-like sources — titles, abstracts,
dates, categories, one- or two-name bylines (authorships + persons), a feed listing for every fourth work
(~20–25 quads per work) — maps them with ``kgpub.mapping.map_dataset`` (reconciliation included)
and prints works/s (goal ≥ 10,000 on one core). Then, side by side in the same run, it times
``map + Store.bulk_load`` of the result against ``Store.bulk_load`` alone of the same N-Quads
(goal: within 3×), printing medians and the ratio.

    .venv/bin/python bench/mapping.py [--works 100000] [--repeat 3] [--store disk|memory]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kgpub.mapping import map_dataset
from kgpub.records import (
    Byline,
    Category,
    FeedListing,
    ParseResult,
    PartialDate,
    Provenance,
    SourceDoc,
    WorkRecord,
)

BASE = "http://bench.example/"
WORDS = [
    "graph",
    "neural",
    "sparse",
    "robust",
    "private",
    "federated",
    "quantum",
    "cache",
    "attack",
    "model",
    "learning",
    "network",
    "secure",
    "efficient",
    "adaptive",
    "scalable",
    "causal",
    "kernel",
    "tensor",
    "memory",
    "protocol",
    "inference",
    "bayesian",
    "optimal",
    "streaming",
    "verified",
    "distributed",
    "compiler",
    "hardware",
    "language",
    "vision",
    "retrieval",
]
GIVEN = ["Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gang", "Hana", "Ivo", "Jun", "Kai", "Lea", "Mina"]
CATS = [("LG", "cs.LG"), ("CR", "cs.CR"), ("IR", "cs.IR"), ("CV", "cs.CV"), ("AI", "cs.AI")]


def generate(n_works: int, per_source: int = 10_000, seed: int = 7) -> list[ParseResult]:
    rng = random.Random(seed)
    families = [f"Fam{i:05d}" for i in range(max(1, n_works // 8))]
    results: list[ParseResult] = []
    for s in range(0, n_works, per_source):
        name = f"feed-{s // per_source:03d}.txt"
        doc = SourceDoc(
            f"/bench/{name}",
            name,
            hashlib.sha256(name.encode()).hexdigest(),
            "feed",
            0,
            dt.date(2026, 11, 21),
        )
        works, listings = [], []
        for i in range(s, min(n_works, s + per_source)):
            line = 3 * (i - s) + 1
            prov = Provenance(name, doc.sha256, line, line + 2)
            words = rng.sample(WORDS, 6)
            code, full = CATS[i % len(CATS)]
            cat = Category(code, full, "unique")
            names = tuple(f"{rng.choice(GIVEN)} {rng.choice(families)}" for _ in range(1 + i % 2))
            works.append(
                WorkRecord(
                    f"feed/{i}",
                    prov,
                    title=f"{' '.join(words).capitalize()} {i}",
                    abstract=f'Work {i}: we study {" and ".join(words)}, "results" on {i % 97} tasks',
                    date=PartialDate(2000 + i % 25, 1 + i % 12, 1 + i % 28),
                    date_role="created",
                    categories=(cat,),
                    byline=Byline(names, truncated=i % 5 == 0),
                )
            )
            if i % 4 == 0:
                listings.append(
                    FeedListing(
                        f"feed/l{i}",
                        prov,
                        f"feed/{i}",
                        i - s + 1,
                        score=50 + i % 50 / 10,
                        code=i % 3 == 0,
                        category=cat,
                        date=PartialDate(2022, 5, 1 + i % 28),
                        captured=dt.date(2026, 11, 21),
                    )
                )
        results.append(ParseResult(doc, works=works, listings=listings))
    return results


def _bulk_load(nquads: bytes, kind: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = ox.Store(str(Path(tmp) / "store")) if kind == "disk" else ox.Store()
        store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        if kind == "disk":
            store.flush()
        elapsed = time.perf_counter() - t0
        del store
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--works", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--store", choices=("disk", "memory"), default="disk")
    args = ap.parse_args()

    results = generate(args.works)
    map_times, map_cpu, load_alone, map_and_load = [], [], [], []
    nquads = b""
    quads = 0
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        mapped = map_dataset(results, BASE)
        text = mapped.nquads().encode("utf-8")
        t_map = time.perf_counter() - t0
        map_times.append(t_map)
        map_cpu.append(time.process_time() - c0)
        del mapped
        map_and_load.append(t_map + _bulk_load(text, args.store))
        nquads, quads = text, text.count(b"\n")
        load_alone.append(_bulk_load(nquads, args.store))  # same N-Quads, loaded on their own

    med_map, med_cpu = statistics.median(map_times), statistics.median(map_cpu)
    med_both, med_load = statistics.median(map_and_load), statistics.median(load_alone)
    print(
        f"works: {args.works:,}; quads: {quads:,} ({quads / args.works:.1f} per work); "
        f"N-Quads: {len(nquads) / 1e6:.1f} MB; store: {args.store}; runs: {args.repeat}"
    )
    print(
        f"mapping (reconcile + map + N-Quads text), median: {med_map:.2f} s "
        f"→ {args.works / med_map:,.0f} works/s   (goal ≥ 10,000)"
    )
    print(
        f"mapping CPU time of this process, median: {med_cpu:.2f} s → {args.works / med_cpu:,.0f} works/s "
        f"(wall and CPU differ when other processes share the cores; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"{'':4}{'kgpub map + bulk_load':>26} {'bulk_load alone':>18} {'ratio':>8}")
    for i, (a, b) in enumerate(zip(map_and_load, load_alone, strict=True), start=1):
        print(f"run {i}{a:>25.2f}s {b:>17.2f}s {a / b:>7.2f}×")
    print(f"median{med_both:>24.2f}s {med_load:>17.2f}s {med_both / med_load:>7.2f}×   (goal ≤ 3×)")


if __name__ == "__main__":
    main()
