"""Benchmark: a rebuild after one source changed (incremental validation) against a full build of
the same final data, side by side (issue #5).

    python bench/revalidate.py --works 10000               # the figures worth quoting (5 runs a side)
    python bench/revalidate.py --quick                     # 1,000 works, 2 runs a side
    python bench/revalidate.py --works 10000 --edit feed   # the changed source: one whole feed re-read

Setup, untimed: the generated corpus (cached in bench/results/tmp/ like the harness's), a full build
of it (the published state), and a copy of the corpus with one edit: ``title`` (one work's title in
one records file), ``byline`` (a profiled person added to a byline in a feed: a cross-record count
changes) or ``feed`` (one feed file's every item shortened by a word: all of that source changes).
Each run is a fresh forked process: "incremental" rebuilds a copy of the published store from the
edited corpus; "full" builds the same edited corpus into an empty store, which validates everything
(in memory, as a first build does). Runs alternate. Prints the medians of the build's validation
step and of the whole build for both, their ratios, the focus the incremental run validated, and
whether both published the same report (result keys and messages). Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"


def _corpus(works: int, seed: int, workdir: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from bench.harness import Context

    return Context(works, seed, workdir).corpus()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def edit(corpus: Path, kind: str) -> str:
    """Change one source of ``corpus`` in place; returns which file."""
    if kind == "title":
        path = corpus / "records" / "works-0000.jsonl"
        lines = _lines(path)
        k = next(i for i, line in enumerate(lines) if '"title":"' in line)
        lines[k] = lines[k].replace('"title":"', '"title":"Revised: ', 1)
    elif kind == "byline":
        name = _lines(next(iter(sorted((corpus / "profiles").glob("*.txt")))))[2].strip()
        path = sorted((corpus / "feeds").glob("*.txt"))[-1]
        lines = _lines(path)
        k = next(i + 1 for i, line in enumerate(lines[:-1])
                 if line[-6:-4] in (", ", "20") and name not in lines[i + 1] and lines[i + 1][-7:] != "et al.")
        lines[k] += ", " + name
    else:
        path = sorted((corpus / "feeds").glob("*.txt"))[0]
        lines = [" ".join(line.split(" ")[:-1]) if len(line) > 200 else line for line in _lines(path)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path.relative_to(corpus))


def _build_child(corpus: str, store: str, out: Any) -> None:
    from kgpub.config import load_config
    from kgpub.pipeline import build

    config = load_config(None, environ={}, overrides={"store": store, "base": BASE})
    started = time.perf_counter()
    summary = build([Path(corpus)], config=config, progress=False)
    out.put({"wall": time.perf_counter() - started, "validate": summary.timings.get("validate", 0.0),
             "total": summary.timings["total"], "notes": summary.notes, "written": summary.graphs_written})


def timed_build(corpus: Path, store: Path) -> dict[str, Any]:
    """One build in a fresh forked process (the parent has imported kgpub, as the harness's worker)."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_build_child, args=(str(corpus), str(store), out))
    child.start()
    answer = out.get()
    child.join()
    if child.exitcode:
        raise SystemExit(f"build failed (exit {child.exitcode})")
    return dict(answer)


def published_rows(store: Path) -> set[tuple[Any, ...]]:
    from kgpub.store import open_store
    from kgpub.validation import validation_graph
    from kgpub.validation.published import read_published

    report = read_published(open_store(str(store)), validation_graph(BASE)).report
    return {(r.key, r.message) for r in report.results} if report else set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edit", choices=("title", "byline", "feed"), default="title")
    parser.add_argument("--quick", action="store_true", help="1,000 works, 2 runs a side")
    parser.add_argument("--workdir", type=Path, default=REPO / "bench" / "results" / "tmp")
    args = parser.parse_args(argv)
    if args.quick:
        args.works, args.repeats = 1_000, 2
    import kgpub.pipeline  # noqa: F401 - imported before forking, as the harness's worker does

    load_before = os.getloadavg()
    corpus = _corpus(args.works, args.seed, args.workdir)
    scratch = args.workdir / f"revalidate-{args.works}-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        published, edited = scratch / "published", scratch / "edited"
        first = timed_build(corpus, published)
        shutil.copytree(corpus, edited)
        changed = edit(edited, args.edit)
        print(f"{args.works:,} works; published build {first['total']:.1f} s; edit {args.edit!r} of {changed}")
        runs: dict[str, list[dict[str, Any]]] = {"incremental": [], "full": []}
        for _ in range(args.repeats):
            store = scratch / "incremental"
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(published, store, symlinks=True)
            runs["incremental"].append(timed_build(edited, store))
            shutil.rmtree(scratch / "full", ignore_errors=True)
            runs["full"].append(timed_build(edited, scratch / "full"))
        same = published_rows(scratch / "incremental") == published_rows(scratch / "full")
        print(f"incremental note: {next((n for n in runs['incremental'][-1]['notes'] if 'validation' in n), '')}")
        print(f"full note:        {next((n for n in runs['full'][-1]['notes'] if 'validation' in n), '')}")
        med = {side: {k: statistics.median(r[k] for r in rs) for k in ("validate", "total")}
               for side, rs in runs.items()}
        print(f"\n{'median of ' + str(args.repeats) + ' runs':<22}{'validate s':>12}{'build s':>10}")
        for side in runs:
            print(f"{side:<22}{med[side]['validate']:>12.3f}{med[side]['total']:>10.2f}")
        ratio_v = med["incremental"]["validate"] / med["full"]["validate"]
        ratio_t = med["incremental"]["total"] / med["full"]["total"]
        print(f"{'ratio incr/full':<22}{ratio_v:>12.3f}{ratio_t:>10.3f}")
        print(f"runs (validate s): incremental {[round(r['validate'], 3) for r in runs['incremental']]}, "
              f"full {[round(r['validate'], 3) for r in runs['full']]}")
        print(f"same published report (keys and messages): {'yes' if same else 'NO'}")
        print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
        print(json.dumps({"works": args.works, "edit": args.edit, "medians": med, "ratio_validate": ratio_v,
                          "ratio_build": ratio_t, "same": same}))
        return 0 if same else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
