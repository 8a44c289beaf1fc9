"""Generated sources big enough that a build takes seconds, and a fingerprint of a store's content.

No kgpub.generate exists yet, so the corpus is written here in kgpub's own records format (plus the
demo pages), with a ``variant`` that changes every title: a build of variant 1 over a store holding
variant 0 rewrites every work graph.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from kgpub.store import EmbeddedStore
from tests.hardening.harness import EXAMPLES

_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def write_corpus(folder: Path, n_works: int, *, variant: int = 0, files: int = 4, demo: bool = True) -> Path:
    """``files`` records files sharing ``n_works`` works, persons and profiles; the demo pages beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = max(1, n_works // files)
    for f in range(files):
        lines = []
        for i in range(f * per_file, (f + 1) * per_file):
            person = f"p{i % 97}"
            lines.append({"type": "person", "id": person, "name": f"Person {i % 97} Example"})
            lines.append({
                "type": "work", "id": f"w{i}", "title": f"Generated work {i} variant {variant}",
                "abstract": f"A generated summary of work {i}.", "arxiv_id": f"23{(i % 12) + 1:02d}.{i:05d}",
                "date": f"20{10 + i % 14}-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}",
                "authors": [f"Person {i % 97} Example", f"Person {(i + 1) % 97} Example"],
                "categories": ["cs.LG" if i % 2 else "cs.CR"],
            })
        seen: set[str] = set()
        with (folder / f"gen-{f}.jsonl").open("w", encoding="utf-8") as out:
            for obj in lines:
                key = f"{obj['type']}/{obj['id']}"
                if key not in seen:
                    seen.add(key)
                    out.write(json.dumps(obj) + "\n")
    if demo:
        for src in ("profile-hsien-hsin-s-lee.txt", "arxiv-listing-hsien-hsin-s-lee.txt", "feed-privacy-ml.txt"):
            (folder / src).write_bytes((EXAMPLES / src).read_bytes())
        manifest = (EXAMPLES / "kgpub.sources.toml").read_text(encoding="utf-8")
        for f in range(files):
            manifest += f'\n[[source]]\npath = "gen-{f}.jsonl"\nkind = "records"\ncaptured = "2026-11-21"\n'
        (folder / "kgpub.sources.toml").write_text(manifest, encoding="utf-8")
    return folder


def fingerprint(store_dir: Path) -> dict[str, tuple[int, str]]:
    """Per named graph: quad count and a digest of its quads (blank node labels erased)."""
    store = EmbeddedStore(store_dir)
    try:
        by_graph: dict[str, list[str]] = {}
        for quad in store.db():
            graph = str(quad.graph_name)
            by_graph.setdefault(graph, []).append(_BLANK.sub("_:b", f"{quad.subject} {quad.predicate} {quad.object}"))
        return {
            g: (len(lines), hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest())
            for g, lines in by_graph.items()
        }
    finally:
        store.close()
