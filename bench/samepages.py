"""Write many entity pages of a built store to a folder, to compare before and after a change.

    python -m bench.samepages STORE OUT            # pages of STORE into OUT/ (one file per page)
    python -m bench.samepages STORE OUT --against OLD   # ... and report pages that differ from OLD/

A speed change of the pages must not change what they say: this renders, in-process through the
Flask test client, the work and person pages the ``entity-pages`` bench samples plus the people
with profile snapshots, works with feed listings or merge candidates, more picked at random, a few
topics, organisations and sources, paged or sorted variants of person pages (HTML and Turtle,
JSON-LD for some) and a few search result pages, and writes each body byte for byte. Run it on
the old code, then on the new, and compare the folders (``--against`` does, or ``diff -r``).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

BASE = "http://localhost:8080/"
S, K = "http://schema.org/", "https://w3id.org/kgpub/ns#"
_P = f"PREFIX s: <{S}> PREFIX k: <{K}>\n"


def _typed(db: ox.Store, cls: str, limit: int = 5000) -> list[str]:
    rows = db.query(
        f"SELECT DISTINCT ?e ?c WHERE {{ ?e a ?c }} LIMIT {int(limit)}",
        substitutions={ox.Variable("c"): ox.NamedNode(cls)},
        use_default_graph_as_union=True,
    )
    return sorted(r["e"].value for r in rows)  # type: ignore[index]


def _linked(db: ox.Store, query: str) -> list[str]:
    rows = db.query(query, use_default_graph_as_union=True)
    return sorted({r["e"].value for r in rows})  # type: ignore[index]


def pick(store_dir: Path) -> list[str]:
    """App paths to render: deterministic for a store."""
    from kgpub.store import EmbeddedStore

    store = EmbeddedStore(store_dir)
    db = store.db()
    rnd = random.Random(8)
    paths: list[str] = []

    def add(iris: list[str], exts: tuple[str, ...] = ("html", "ttl"), query: str = "") -> None:
        for iri in iris:
            if iri.startswith(BASE + "id/") or iri.startswith("https://w3id.org/kgpub/arxiv/"):
                local = iri.removeprefix(BASE.rstrip("/")) if iri.startswith(BASE) else \
                    "/id/topic/" + iri.rsplit("/", 1)[1]  # fmt: skip
                paths.extend(f"{local}.{ext}{query}" for ext in exts)

    works = [w for w in _typed(db, S + "ScholarlyArticle") if w.startswith(BASE + "id/work/")]
    people = [p for p in _typed(db, S + "Person") if p.startswith(BASE + "id/person/")]
    add(random.Random(1).sample(works, min(50, len(works))))  # the entity-pages bench's sample
    add(random.Random(1).sample(people, min(50, len(people))))
    add(rnd.sample(works, min(60, len(works))))
    add(rnd.sample(people, min(60, len(people))))
    profiled = "SELECT ?e WHERE { ?pr a k:ProfileSnapshot . { ?pr ?x ?e } UNION { ?e ?x ?pr } ?e a s:Person }"
    add(_linked(db, _P + profiled)[:40])
    add(_linked(db, _P + "SELECT ?e WHERE { ?l a k:FeedListing ; ?x ?e . ?e a s:ScholarlyArticle }")[:20])
    add(_linked(db, _P + "SELECT ?e WHERE { ?m k:candidateWork ?e }")[:20])
    busiest = _P + "SELECT ?e WHERE { ?w s:author ?e } GROUP BY ?e ORDER BY DESC(COUNT(?w)) ?e LIMIT 5"
    add(_linked(db, busiest), ("html",), "?page=2")
    add(_linked(db, busiest), ("html",), "?sort=title&size=7")
    add(rnd.sample(works, 10), ("jsonld", "nt"))
    add(rnd.sample(people, 10), ("jsonld",))
    add(_typed(db, "http://www.w3.org/2004/02/skos/core#Concept")[:4])
    add(_typed(db, S + "Organization")[:6])
    add(_typed(db, K + "SourceDocument")[:4])
    add(_typed(db, K + "Authorship")[:4])
    store.close()
    searches = ["graph", "neural network", "lee", "secure cache", "a", "zo", "ñ", "feed txt", "cs", "2023",
                "ada quinn", "x y z", "org", "_", "learning model", "é"]  # fmt: skip
    return list(dict.fromkeys(paths)) + [f"/search?q={quote(q)}" for q in searches]


def render(store_dir: Path, out: Path) -> int:
    from kgpub.web import create_app

    paths = pick(store_dir)
    app = create_app({"store": str(store_dir), "base": BASE})
    client = app.test_client()
    out.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(paths):
        r = client.get(path)
        ext = path.split("?")[0].rsplit(".", 1)[1] if path.startswith("/id/") else "search.html"
        name = f"{n:04d}-" + hashlib.sha1(path.encode()).hexdigest()[:10] + "." + ext
        (out / name).write_bytes(f"{path}\n{r.status_code}\n".encode() + r.get_data())
    return len(paths)


def compare(new: Path, old: Path) -> list[str]:
    names = sorted({p.name for p in new.iterdir()} | {p.name for p in old.iterdir()})
    differ = []
    for name in names:
        a, b = new / name, old / name
        if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
            differ.append(name)
    return differ


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--against", type=Path)
    a = ap.parse_args(argv)
    count = render(a.store, a.out)
    print(f"{count} pages written to {a.out}")
    if a.against:
        differ = compare(a.out, a.against)
        print(f"{len(differ)} of {count} differ from {a.against}" + "".join(f"\n  {d}" for d in differ[:30]))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
