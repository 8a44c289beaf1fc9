"""Latency of entity pages and of the home page over a generated store.

    python bench/pages.py                  # 10,000 works
    python bench/pages.py 100000           # one size
    python bench/pages.py 10000 100000     # two sizes side by side, with ratios

For each size: a store is generated following kgpub's RDF model (works with ordered authorships,
persons, topics, one source graph per 1,000 works, a provenance graph) and bulk-loaded as one
snapshot. Requests go through the Flask test client (no network noise). Printed: medians of work
and person pages as HTML and Turtle, the home page's first (cold: computes the per-snapshot
listings) and warm latency, search, and a conditional revalidation (304).
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kgpub.store import EmbeddedStore
from kgpub.web import create_app

BASE = "http://localhost:8080/"
S = "http://schema.org/"
K = "https://w3id.org/kgpub/ns#"
ARXIV = "https://w3id.org/kgpub/arxiv/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TOPICS = [
    "cs.LG",
    "cs.AR",
    "cs.CR",
    "cs.IR",
    "cs.CV",
    "cs.CL",
    "cs.DC",
    "cs.NE",
    "cs.SE",
    "cs.PL",
    "cs.AI",
    "cs.DB",
    "cs.DS",
    "cs.GT",
    "cs.HC",
    "cs.NI",
    "cs.OS",
    "cs.RO",
    "cs.SY",
    "stat.ML",
]
WORDS = [
    "graph",
    "neural",
    "network",
    "accelerator",
    "secure",
    "cache",
    "retrieval",
    "ranking",
    "learning",
    "model",
    "efficient",
    "sparse",
    "training",
    "inference",
    "memory",
    "hardware",
    "timing",
    "circuit",
    "robust",
    "federated",
    "language",
    "vision",
]


def generate(path: Path, works: int, seed: int = 7) -> None:
    """Write N-Quads following the model; deterministic for a given size and seed."""
    rnd = random.Random(seed)
    persons = max(10, works // 3)
    with path.open("w", encoding="utf-8") as out:
        for i in range(works):
            g = f"<{BASE}graph/source/s{i // 1000}>"
            w = f"<{BASE}id/work/w{i}>"
            title = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize() + f" {i}"
            year = 2000 + rnd.randrange(25)
            date = f'"{year}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"^^<http://www.w3.org/2001/XMLSchema#date>'
            lines = [
                f"{w} {RDF_TYPE} <{S}ScholarlyArticle>",
                f'{w} <{S}name> "{title}"',
                f'{w} <{S}abstract> "An abstract of work {i} about {rnd.choice(WORDS)}."',
                f"{w} <{S}datePublished> {date}",
                f"{w} <{S}sameAs> <https://arxiv.org/abs/{year % 100:02d}{i % 10000:04d}.{i:05d}>",
            ]
            for t in rnd.sample(TOPICS, 2):
                lines.append(f"{w} <{S}about> <https://w3id.org/kgpub/arxiv/{t}>")
            for pos, p in enumerate(rnd.sample(range(persons), 3), start=1):
                a = f"<{BASE}id/authorship/w{i}-{pos}>"
                lines += [
                    f"{w} <{S}author> <{BASE}id/person/p{p}>",
                    f"{w} <{K}authorship> {a}",
                    f"{a} {RDF_TYPE} <{K}Authorship>",
                    f'{a} <{K}position> "{pos}"^^<http://www.w3.org/2001/XMLSchema#integer>',
                    f'{a} <{K}printedName> "Person {p}"',
                    f"{a} <{K}person> <{BASE}id/person/p{p}>",
                ]
            out.writelines(f"{line} {g} .\n" for line in lines)
        for p in range(persons):
            g = f"<{BASE}graph/source/s{p % max(1, works // 1000)}>"
            out.write(f"<{BASE}id/person/p{p}> {RDF_TYPE} <{S}Person> {g} .\n")
            out.write(f'<{BASE}id/person/p{p}> <{S}name> "Person {p}" {g} .\n')
        tax = f"<{BASE}graph/taxonomy>"
        for t in TOPICS:
            out.write(f"<{ARXIV}{t}> {RDF_TYPE} <{SKOS}Concept> {tax} .\n")
            out.write(f'<{ARXIV}{t}> <{SKOS}prefLabel> "{t}" {tax} .\n')
        prov = f"<{BASE}graph/provenance>"
        for s in range(max(1, works // 1000)):
            src = f"<{BASE}id/source/s{s}>"
            out.write(f"{src} {RDF_TYPE} <{K}SourceDocument> {prov} .\n")
            out.write(f'{src} <{K}fileName> "feed-{s}.txt" {prov} .\n')
            out.write(f"{src} <{K}namedGraph> <{BASE}graph/source/s{s}> {prov} .\n")


def timed(client, path: str, headers: dict[str, str] | None = None, status: int = 200) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    r = client.get(path, headers=headers or {})
    elapsed = time.perf_counter() - start
    assert r.status_code == status, (path, r.status_code)
    return elapsed * 1000


def run(works: int, requests: int = 60) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="kgpub-bench-"))
    nq = tmp / "data.nq"
    t0 = time.perf_counter()
    generate(nq, works)
    store = EmbeddedStore(tmp / "store")
    with store.writer() as w:
        w.bulk_load_nquads(nq)
    load = time.perf_counter() - t0
    app = create_app({"store": str(tmp / "store"), "base": BASE, "dump_dir": str(tmp / "dumps")})
    client = app.test_client()
    rnd = random.Random(1)
    persons = max(10, works // 3)
    res: dict[str, float] = {"load s": load}
    res["home cold ms"] = timed(client, "/")
    res["home warm ms"] = statistics.median(timed(client, "/") for _ in range(requests))
    for kind, count in (("work", works), ("person", persons)):
        for ext in ("html", "ttl"):
            keys = [rnd.randrange(count) for _ in range(requests)]
            prefix = "w" if kind == "work" else "p"
            res[f"{kind} .{ext} ms"] = statistics.median(
                timed(client, f"/id/{kind}/{prefix}{k}.{ext}") for k in keys
            )
    etag = client.get("/id/work/w1.html").headers["ETag"]
    res["304 ms"] = statistics.median(
        timed(client, "/id/work/w1.html", {"If-None-Match": etag}, 304) for _ in range(requests)
    )
    res["search cold ms"] = timed(client, "/search?q=graph+neural")
    res["search warm ms"] = statistics.median(timed(client, "/search?q=sparse+cache") for _ in range(20))
    res["topic page ms"] = statistics.median(timed(client, "/id/topic/cs.LG.html") for _ in range(5))
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return res


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000]
    results = {n: run(n) for n in sizes}
    keys = list(next(iter(results.values())))
    header = f"{'measure (median)':<18}" + "".join(f"{n:>14,}" for n in sizes)
    if len(sizes) == 2:
        header += f"{'ratio':>9}"
    print(header)
    for key in keys:
        row = f"{key:<18}" + "".join(f"{results[n][key]:>14.2f}" for n in sizes)
        if len(sizes) == 2:
            a, b = results[sizes[0]][key], results[sizes[1]][key]
            row += f"{b / a if a else float('nan'):>9.2f}"
        print(row)


if __name__ == "__main__":
    main(sys.argv[1:])
