"""Benchmark: kgpub's SHACL engine (shapes compiled to SPARQL on pyoxigraph) against one pyshacl call
over the same shapes and the same generated graph, side by side. Goal: kgpub ≤ 1/10 of pyshacl.

    python bench/validation.py --works 10000                 # Core shapes (no SHACL-SPARQL)
    python bench/validation.py --works 300 --shapes full     # every shape, SHACL-SPARQL included
    python bench/validation.py --works 100000 --repeat 1     # the large run (pyshacl: minutes, GBs)

"core" drops the sh:sparql constraints from the project's shapes (for both engines): pyshacl runs a
SHACL-SPARQL query once per focus node, which at 100k works takes hours. Both engines validate the
merged view (one graph for pyshacl). Prints medians, the ratio, and whether both found the same
results (focus node, path, value, severity, constraint component).
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgpub.project import data_dir
from kgpub.validation import load_shapes, validate_store
from kgpub.validation.reference import kgpub_keys, pyshacl_report, rdflib_graph, report_keys
from kgpub.validation.sample import generate, merged_ntriples

SH_SPARQL = "<http://www.w3.org/ns/shacl#sparql>"


def core_shapes(target: Path) -> Path:
    """The project's shapes without their sh:sparql constraints, written as N-Triples to ``target``."""
    quads = [
        q
        for p in sorted(data_dir("shapes").glob("*.ttl"))
        for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)
    ]
    kept = [q for q in quads if str(q.predicate) != SH_SPARQL]
    text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in kept)
    (target / "core.ttl").write_text(text, encoding="utf-8")
    return target


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` runs, and the last run's value."""
    times, value = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def run_kgpub(nquads: str, shapes: Any, args: argparse.Namespace, tmp: Path) -> tuple[float, float, Any]:
    store = ox.Store()
    t0 = time.perf_counter()
    store.bulk_load(nquads.encode(), ox.RdfFormat.N_QUADS)
    load = time.perf_counter() - t0
    print(f"quads: {len(store):,}", flush=True)
    run, report = timed(lambda: validate_store(store, shapes=shapes, sources=False), args.repeat)
    print(
        f"kgpub  : load {load:7.2f} s   validate median {run:7.2f} s  ({report.checks} queries)", flush=True
    )
    if args.disk:
        disk = ox.Store(str(tmp / "db"))
        disk.bulk_load(nquads.encode(), ox.RdfFormat.N_QUADS)
        disk.flush()
        run_disk, _ = timed(lambda: validate_store(disk, shapes=shapes, sources=False), args.repeat)
        print(f"kgpub  : on disk, validate median {run_disk:7.2f} s", flush=True)
    return load, run, report


def run_pyshacl(nquads: str, shapes_dir: Path, repeat: int) -> tuple[float, float, Any]:
    t0 = time.perf_counter()
    graph = rdflib_graph("".join(merged_ntriples(nquads)))
    load = time.perf_counter() - t0
    run, result = timed(lambda: pyshacl_report(graph, shapes_dir), repeat)
    print(f"pyshacl: parse {load:6.2f} s   validate median {run:7.2f} s", flush=True)
    return load, run, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--works", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per engine (median reported)")
    ap.add_argument("--pyshacl-repeat", type=int, default=None, help="runs of pyshacl (default: --repeat)")
    ap.add_argument("--shapes", choices=("core", "full"), default="core")
    ap.add_argument("--disk", action="store_true", help="also time kgpub on an on-disk store")
    args = ap.parse_args(argv)
    logging.getLogger("rdflib").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="kgpub-bench-") as tmp:
        shapes_dir = core_shapes(Path(tmp)) if args.shapes == "core" else data_dir("shapes")
        shapes = load_shapes(shapes_dir)
        t0 = time.perf_counter()
        nquads = generate(args.works)
        print(
            f"generated {args.works} works in {time.perf_counter() - t0:.1f} s; shapes: {args.shapes}",
            flush=True,
        )
        load_ox, run_ox, report = run_kgpub(nquads, shapes, args, Path(tmp))
        ours = kgpub_keys(report.results)
        gc.collect()
        load_py, run_py, result = run_pyshacl(nquads, shapes_dir, args.pyshacl_repeat or args.repeat)
        theirs = report_keys(result)

    print()
    print(f"{'':10}{'load/parse':>12}{'validate':>12}{'total':>12}")
    print(f"{'kgpub':10}{load_ox:12.2f}{run_ox:12.2f}{load_ox + run_ox:12.2f}")
    print(f"{'pyshacl':10}{load_py:12.2f}{run_py:12.2f}{load_py + run_py:12.2f}")
    total = (load_ox + run_ox) / (load_py + run_py)
    print(f"ratio kgpub/pyshacl: validate {run_ox / run_py:.3f}, total {total:.3f}")
    counts = report.counts()
    same = ours == theirs
    print(
        f"results: kgpub {len(ours)} {counts}, pyshacl {len(theirs)}; same results: {'yes' if same else 'NO'}"
    )
    if not same:
        print("only kgpub:", sorted(ours - theirs)[:10])
        print("only pyshacl:", sorted(theirs - ours)[:10])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
