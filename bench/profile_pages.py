"""Where an entity page's time goes: queries (count and time each) and Python (cProfile), in-process.

    python -m bench.profile_pages STORE [--kind work|person] [--ext html|ttl] [--pages 50] [--top 25]

Renders the ``entity-pages`` bench's sample of pages through the Flask test client over a built
store, twice: once timing every store query (the answer is read to the end inside the timer, as a
page reads it), once under cProfile. Prints milliseconds per page, each query's share (first line
of its text) and cProfile's top functions. For finding the next cost, not for quoting figures:
the bench (``python -m bench --stage entity-pages``) is the measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.samepages import BASE, S, _typed


def sample(store_dir: Path, kind: str, count: int) -> list[str]:
    from kgpub.store import EmbeddedStore

    store = EmbeddedStore(store_dir)
    cls = S + ("ScholarlyArticle" if kind == "work" else "Person")
    found = [i for i in _typed(store.db(), cls) if i.startswith(f"{BASE}id/{kind}/")]
    store.close()
    return random.Random(1).sample(found, min(count, len(found)))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--kind", default="work")
    ap.add_argument("--ext", default="html")
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)

    import pyoxigraph as ox

    from kgpub.store import embedded
    from kgpub.web import create_app

    paths = [i.removeprefix(BASE.rstrip("/")) + "." + a.ext for i in sample(a.store, a.kind, a.pages)]
    app = create_app({"store": str(a.store), "base": BASE})
    client = app.test_client()
    for p in paths[:3]:
        client.get(p)  # warm: per-snapshot memos, imports, templates

    spent: dict[str, list[float]] = defaultdict(list)
    original = embedded.run_query

    def timed_query(store: ox.Store, sparql: str, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = original(store, sparql, *args, **kwargs)
        if not isinstance(result, ox.QueryBoolean):
            result = list(result)
        name = next((ln.strip() for ln in sparql.splitlines() if ln.strip() and not ln.startswith(("PREFIX", "#"))),
                    "?")[:90]  # fmt: skip
        name = re.sub(r"VALUES \?(\w+) \{[^}]*\}?", r"VALUES ?\1 {…}", name)
        spent[name].append((time.perf_counter() - start) * 1000)
        return result

    embedded.run_query = timed_query  # type: ignore[assignment]
    took = []
    for p in paths:
        start = time.perf_counter()
        r = client.get(p)
        took.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (p, r.status_code)
    embedded.run_query = original  # type: ignore[assignment]
    n = len(paths)
    total_q = sum(sum(v) for v in spent.values())
    print(f"{a.kind} .{a.ext}: {n} pages, median {statistics.median(took):.2f} ms, mean {sum(took) / n:.2f} ms, "
          f"queries {sum(len(v) for v in spent.values()) / n:.1f}/page taking {total_q / n:.2f} ms/page")  # fmt: skip
    for name, ms in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {sum(ms) / n:7.2f} ms/page  {len(ms) / n:5.1f}/page  {name}")

    prof = cProfile.Profile()
    prof.enable()
    for p in paths:
        client.get(p)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(a.top)
    stats.sort_stats("cumulative").print_stats(a.top + 15)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
