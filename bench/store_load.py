"""How much kgpub's store layer costs on top of pyoxigraph when loading a dataset.

    .venv/bin/python bench/store_load.py [--works 100000] [--graphs 100] [--repeat 3]

Synthetic works (~22 quads each) are written once as N-Quads and as one N-Triples text per graph.
Each method then runs in a fresh process (so its peak RSS is its own) on a fresh directory:

    ox.bulk_load        pyoxigraph Store.bulk_load of the N-Quads file: the reference
    kgpub.bulk          EmbeddedStore.writer(): SnapshotWriter.bulk_load_nquads + publish
    ox.load_graphs      pyoxigraph Store.load of each graph's N-Triples text (transactional)
    kgpub.replace       EmbeddedStore.replace_graphs with the per-graph texts + publish
    kgpub.replace_one   a rebuild that changes one graph of the full store (copy + publish)

Printed: median seconds, the ratio to ox.bulk_load, and peak RSS. The goal in issue 6: a build
within 3x of pyoxigraph's bulk_load.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCHEMA = "http://schema.org/"
EX = "http://localhost:8080/id/"
METHODS = ("ox.bulk_load", "kgpub.bulk", "ox.load_graphs", "kgpub.replace", "kgpub.replace_one")


def work_lines(i: int, graph: str) -> list[str]:
    """22 quads: a work with three authors, identifiers, topics and dates."""
    w, g = f"<{EX}work/w{i}>", f"<{graph}>"
    people = [f"<{EX}person/p{(i * 3 + k) % 250_000}>" for k in range(3)]
    s = f"<{SCHEMA}"
    lines = [
        f"{w} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {s}ScholarlyArticle> {g} .",
        f'{w} {s}name> "A study of topic {i % 997} in setting {i}" {g} .',
        f'{w} {s}datePublished> "{2000 + i % 25}-{1 + i % 12:02d}"'
        f"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> {g} .",
        f'{w} {s}identifier> "10.1234/w{i}" {g} .',
        f"{w} {s}sameAs> <https://doi.org/10.1234/w{i}> {g} .",
        f"{w} {s}url> <https://arxiv.org/abs/{2000 + i % 25}.{i:05d}> {g} .",
        f'{w} {s}inLanguage> "en" {g} .',
        f"{w} {s}about> <https://w3id.org/kgpub/arxiv/cs.{['LG', 'AI', 'CL', 'CV'][i % 4]}> {g} .",
        f"{w} {s}about> <https://w3id.org/kgpub/arxiv/stat.ML> {g} .",
        f'{w} {s}description> "Abstract of work {i}: results on benchmark {i % 31}." {g} .',
    ]
    for k, p in enumerate(people):
        lines += [
            f"{w} {s}author> {p} {g} .",
            f"{p} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {s}Person> {g} .",
            f'{p} {s}name> "Person {(i * 3 + k) % 250_000}" {g} .',
            f'{p} <http://xmlns.com/foaf/0.1/name> "Person {(i * 3 + k) % 250_000}" {g} .',
        ]
    return lines


def generate(works: int, graphs: int, out: Path) -> tuple[Path, Path, int]:
    nquads, ntriples_dir = out / "data.nq", out / "graphs"
    ntriples_dir.mkdir()
    per_graph: list[list[str]] = [[] for _ in range(graphs)]
    count = 0
    with open(nquads, "w", encoding="utf-8") as f:
        for i in range(works):
            graph = f"{EX}graph/source-{i % graphs}"
            lines = work_lines(i, graph)
            count += len(lines)
            f.write("\n".join(lines) + "\n")
            per_graph[i % graphs] += [line.rsplit(" ", 2)[0] + " ." for line in lines]
    manifest = {}
    for n, lines in enumerate(per_graph):
        path = ntriples_dir / f"g{n}.nt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest[f"{EX}graph/source-{n}"] = str(path)
    (ntriples_dir / "manifest.json").write_text(json.dumps(manifest))
    return nquads, ntriples_dir, count


def run_one(method: str, nquads: Path, graphs_dir: Path, target: Path) -> dict[str, float]:
    """Runs inside the child process. Inputs are read before the clock starts."""
    import pyoxigraph as ox

    from kgpub.store import EmbeddedStore

    manifest = json.loads((graphs_dir / "manifest.json").read_text())
    texts = {g: Path(p).read_text(encoding="utf-8") for g, p in manifest.items()} if "bulk" not in method else {}
    if method == "kgpub.replace_one":  # the full store first (not timed), then one graph changes
        with EmbeddedStore(target).writer() as w:
            w.bulk_load_nquads(nquads)
        first = next(iter(texts))
        texts = {first: texts[first].replace("A study", "A revised study")}
    t0 = time.perf_counter()
    if method == "ox.bulk_load":
        ox.Store(str(target)).bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    elif method == "kgpub.bulk":
        with EmbeddedStore(target).writer() as w:
            w.bulk_load_nquads(nquads)
    elif method == "ox.load_graphs":
        store = ox.Store(str(target))
        for g, text in texts.items():
            store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
        store.flush()
    else:
        EmbeddedStore(target).replace_graphs(texts, {g: "d" for g in texts})
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--graphs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--child", nargs=4, metavar=("METHOD", "NQUADS", "GRAPHS", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        method, nq, gd, target = args.child
        print(json.dumps(run_one(method, Path(nq), Path(gd), Path(target))))
        return

    with tempfile.TemporaryDirectory(prefix="kgpub-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        nquads, graphs_dir, quads = generate(args.works, args.graphs, root)
        print(f"{args.works:,} works, {quads:,} quads in {args.graphs} graphs"
              f" ({nquads.stat().st_size / 1e6:.0f} MB N-Quads, generated in {time.perf_counter() - t0:.1f} s)")
        results: dict[str, list[dict[str, float]]] = {}
        for r in range(args.repeat):
            for method in args.methods.split(","):
                target = root / f"{method}-{r}"
                out = subprocess.run(
                    [sys.executable, __file__, "--child", method, str(nquads), str(graphs_dir), str(target)],
                    check=True, capture_output=True, text=True,
                ).stdout
                results.setdefault(method, []).append(json.loads(out.strip().splitlines()[-1]))
                shutil.rmtree(target, ignore_errors=True)
        ref = statistics.median(x["seconds"] for x in results.get("ox.bulk_load", [{"seconds": float("nan")}]))
        print(f"{'method':<20}{'median s':>10}{'runs':>28}{'× bulk_load':>14}{'peak RSS MB':>14}")
        for method, runs in results.items():
            med = statistics.median(x["seconds"] for x in runs)
            each = " ".join(f"{x['seconds']:.2f}" for x in runs)
            rss = max(x["peak_rss_mb"] for x in runs)
            print(f"{method:<20}{med:>10.2f}{each:>28}{med / ref:>14.2f}{rss:>14.0f}")


if __name__ == "__main__":
    main()
