"""Test helpers of the hardening suite: parsing untrusted input under a time limit, and generated
sources big enough that a build takes seconds, with a fingerprint of a store's content.

Parsing: each parse happens in a forked child process.

A parser stuck in C code (a regex, pyoxigraph) cannot be interrupted by a signal handler in the
same process, so a hang is detected from outside: the child is killed when its time is up and the
test fails naming the input. Fork keeps this cheap (no re-import of kgpub per case).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import re
from pathlib import Path
from typing import Any

from kgpub.records import ParseResult, SourceKind
from kgpub.sources import SourceSpec, load_bytes
from kgpub.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SEEDS = REPO.parent / "shared" / "seeds"
CAPTURED = dt.date(2026, 11, 21)
PARSE_SECONDS = 20.0  # per input; every case here parses in well under a second


def spec(name: str, kind: SourceKind | None, **extra: Any) -> SourceSpec:
    return SourceSpec(Path("/corpus") / name, name, kind, extra.pop("captured", CAPTURED), **extra)


def _child(conn: Any, name: str, kind: SourceKind | None, data: bytes, extra: dict[str, Any]) -> None:
    try:
        conn.send(("ok", load_bytes(spec(name, kind, **extra), data)))
    except BaseException as exc:  # reported to the parent, which fails the test with it
        conn.send(("raised", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def parse_isolated(
    name: str, kind: SourceKind | None, data: bytes, *, timeout: float = PARSE_SECONDS, **extra: Any
) -> ParseResult:
    """``load_bytes`` in a forked child; AssertionError on a hang, a crash or any exception."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, name, kind, data, extra), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise AssertionError(f"{name}: parser still running after {timeout:.0f} s (hang)")
        status, value = parent.recv()
    except EOFError:
        proc.join(5)
        raise AssertionError(f"{name}: parser process died (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status != "ok":
        raise AssertionError(f"{name}: load_bytes raised {value}")
    assert isinstance(value, ParseResult)
    return value


def line_count(data: bytes) -> int:
    """Lines as the parsers number them (a final newline adds no line; at least 1)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return max(1, text.count("\n") + (0 if text.endswith("\n") else 1))


def all_records(result: ParseResult) -> list[Any]:
    return [*result.works, *result.persons, *result.profiles, *result.listings, *result.rdf]


# -- generated corpus ----------------------------------------------------------------------------
# No kgpub.generate exists yet, so the corpus is written here in kgpub's own records format (plus the
# demo pages), with a ``variant`` that changes every title: a build of variant 1 over a store holding
# variant 0 rewrites every work graph.
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
