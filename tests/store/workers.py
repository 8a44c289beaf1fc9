"""Child processes for the fault and concurrency tests: ``python -m tests.store.workers CMD ARGS``.

Each prints one line per step to stdout so the parent test can wait for a step (never for a time)
before killing the child or changing the store under it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgpub.config import load_config
from kgpub.errors import KgpubError
from kgpub.store import EmbeddedStore, open_store

VALUE = ox.NamedNode("http://example.org/v")


def generation_ntriples(generation: int, n: int) -> str:
    """``n`` triples all carrying the generation number: a consistent read sees one number only."""
    lit = str(ox.Literal(str(generation), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    return "".join(f"<http://example.org/s{i}> {VALUE} {lit} .\n" for i in range(n))


def say(*words: object) -> None:
    print(*words, flush=True)


def try_write(location: str) -> None:
    """Attempt one write; report the error class and message."""
    try:
        open_store(location).replace_graphs({"http://example.org/g": ""}, {"http://example.org/g": "x"})
        say("WROTE")
    except KgpubError as exc:
        say(type(exc).__name__, json.dumps(str(exc)))


def bulk_load(location: str, nquads: str) -> None:
    store = EmbeddedStore(location)
    with store.writer() as w:
        say("LOADING")
        w.bulk_load_nquads(Path(nquads))
        say("LOADED")
    say("PUBLISHED")


def replace(location: str, graphs_json: str) -> None:
    """Replace graphs (a JSON file {graph: ntriples}) with digests 'new', one graph per step."""
    graphs = json.loads(Path(graphs_json).read_text())
    config = load_config(environ={})
    store = open_store(location, config)
    with store.writer() as w:
        say("WRITING")
        for graph, text in graphs.items():
            w.replace_graphs({graph: text}, {graph: "new"})
            say("GRAPH", graph)
    say("PUBLISHED")


def reader(location: str, control: str, rounds_after_last: str) -> None:
    """Query in a loop; each answer must come from one generation, and never from a generation
    older than one the parent announced (in ``control``) before the query began."""
    store = EmbeddedStore(location)
    query = f"SELECT (COUNT(*) AS ?n) (MIN(?v) AS ?lo) (MAX(?v) AS ?hi) WHERE {{ ?s {VALUE} ?v }}"
    seen: list[int] = []
    problems: list[str] = []
    extra = -1
    say("READY")
    while extra != 0:
        text = Path(control).read_text().strip()
        announced = int(text.split()[0]) if text else 0
        if text.endswith("last") and extra < 0:
            extra = int(rounds_after_last)
        row = next(iter(store.query(query)))
        n, lo, hi = int(row["n"].value), row["lo"], row["hi"]
        gen = int(lo.value) if lo is not None else 0
        if lo != hi or (lo is not None and n != 1000 + gen):
            problems.append(f"inconsistent answer n={n} lo={lo} hi={hi}")
        if gen < announced:
            problems.append(f"saw generation {gen} after generation {announced} was published")
        if not seen or seen[-1] != gen:
            seen.append(gen)
        if extra > 0:
            extra -= 1
    say(json.dumps({"seen": seen, "problems": problems}))


if __name__ == "__main__":
    commands: dict[str, Callable[..., None]] = {
        "try_write": try_write,
        "bulk_load": bulk_load,
        "replace": replace,
        "reader": reader,
    }
    commands[sys.argv[1]](*sys.argv[2:])
