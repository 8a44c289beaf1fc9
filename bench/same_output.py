"""Do two versions of kgpub publish the same data? A check for speed work, not a benchmark.

A change made for speed must not change what a build publishes. This builds one generated corpus
with the code of a git ref (default ``main``, exported with ``git archive`` into a temporary
folder and put first on ``PYTHONPATH``, so its ``shapes/`` and ``mappings/`` are used too) and
with the working tree, each in a fresh process, then compares the published stores graph by
graph: the sorted N-Quads lines of every named graph and the build summaries' counts::

    python -m bench.same_output --works 3000            # main against the working tree
    python -m bench.same_output --works 5000 --ref HEAD~2

Exit status 0 when every graph holds the same quads, 1 otherwise (the differing graphs are
listed with a few lines missing on either side). Blank nodes are named by what they hold: a
blank node's label becomes a digest of its outgoing statements (nested blank nodes by their own
digest), so the validation report's results, whose labels the Turtle parser picks at random, are
compared by content, and two identical results still count twice.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"

_BUILD = """
import json, sys
from pathlib import Path
import kgpub
from kgpub.config import load_config
from kgpub.pipeline import build
corpus, store = sys.argv[1], sys.argv[2]
config = load_config(None, environ={}, overrides={"store": store, "base": sys.argv[3]})
s = build([Path(corpus)], config=config, progress=False)
print(json.dumps({"kgpub": kgpub.__file__, "quads": s.quads, "entities": dict(s.entities),
                  "validation": dict(s.validation), "timings": s.timings}))
"""


def export_ref(ref: str, into: Path) -> Path:
    """The tree of ``ref`` as plain files (no checkout, no worktree: the repository is untouched)."""
    archive = into / "ref.tar"
    with open(archive, "wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref], stdout=f, check=True)
    tree = into / "ref"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    archive.unlink()
    return tree


def run_build(src: Path, corpus: Path, store: Path) -> dict[str, object]:
    """One build in a fresh interpreter whose ``kgpub`` is the one under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(corpus), str(store), BASE],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode not in (0, 1):  # 1: published with Violations
        raise SystemExit(f"build with {src} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(result["kgpub"]).startswith(str(src)):
        raise SystemExit(f"the build imported {result['kgpub']}, not the kgpub under {src}")
    return result


def graphs_of(store: Path) -> dict[str, list[str]]:
    """Graph IRI → its sorted N-Triples lines (blank nodes named by content), from the current snapshot."""
    import pyoxigraph as ox

    db = ox.Store.read_only(str(store / os.readlink(store / "current")))
    triples: dict[str, list[tuple[object, object, object]]] = defaultdict(list)
    for q in db:
        triples[str(q.graph_name)].append((q.subject, q.predicate, q.object))
    return {g: sorted(_content_labelled(ts)) for g, ts in triples.items()}


def _content_labelled(triples: list[tuple[object, object, object]]) -> list[str]:
    """N-Triples lines with every blank node renamed to a digest of its outgoing statements
    (blank nodes here form trees: a report and its results, a result and its path)."""
    import hashlib

    import pyoxigraph as ox

    out_edges: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for s, p, o in triples:
        if isinstance(s, ox.BlankNode):
            out_edges[s.value].append((p, o))
    names: dict[str, str] = {}

    def name(b: str, depth: int = 0) -> str:
        if b not in names:
            if depth > 50:
                raise SystemExit("blank nodes nested more than 50 deep (a cycle?): cannot name them by content")
            parts = sorted(f"{p} {term(o, depth + 1)}" for p, o in out_edges.get(b, ()))
            names[b] = "_:c" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        return names[b]

    def term(t: object, depth: int = 0) -> str:
        return name(t.value, depth) if isinstance(t, ox.BlankNode) else str(t)

    return [f"{term(s)} {p} {term(o)} ." for s, p, o in triples]


def compare(old: dict[str, list[str]], new: dict[str, list[str]], show: int = 3) -> list[str]:
    """One line per difference (a graph on one side only, or different quads), with examples."""
    problems: list[str] = []
    for g in sorted(set(old) | set(new)):
        a, b = old.get(g), new.get(g)
        if a is None or b is None:
            problems.append(f"graph {g} only in the {'new' if a is None else 'old'} build")
            continue
        if a != b:
            sa, sb = set(a), set(b)
            gone, added = sorted(sa - sb), sorted(sb - sa)
            problems.append(
                f"graph {g}: {len(a)} vs {len(b)} quads, {len(gone)} only old, {len(added)} only new"
                + "".join(f"\n    - {x}" for x in gone[:show])
                + "".join(f"\n    + {x}" for x in added[:show])
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--works", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ref", default="main", help="git ref of the old code (default main)")
    args = ap.parse_args(argv)
    from kgpub.generator import generate

    with tempfile.TemporaryDirectory(prefix="kgpub-same-") as tmp:
        work = Path(tmp)
        generate(work / "corpus", works=args.works, seed=args.seed)
        old_src = export_ref(args.ref, work) / "src"
        sides = {}
        for name, src in (("old", old_src), ("new", ROOT / "src")):
            summary = run_build(src, work / "corpus", work / f"store-{name}")
            sides[name] = (summary, graphs_of(work / f"store-{name}"))
            t = summary["timings"]
            assert isinstance(t, dict)
            print(f"{name} ({args.ref if name == 'old' else 'working tree'}): {summary['quads']} quads, "
                  + ", ".join(f"{k} {v:.2f}s" for k, v in t.items()))
        (s_old, g_old), (s_new, g_new) = sides["old"], sides["new"]
        problems = compare(g_old, g_new)
        for key in ("quads", "entities", "validation"):
            if s_old[key] != s_new[key]:
                problems.append(f"summary {key}: {s_old[key]} vs {s_new[key]}")
        total = sum(map(len, g_new.values()))
        if problems:
            print(f"DIFFERENT ({args.works} works):", *problems, sep="\n")
            return 1
        print(f"same: {len(g_new)} graphs, {total} quads ({args.works} works, seed {args.seed})")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
