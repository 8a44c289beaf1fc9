"""``python -m bench``: measure every registered stage, print a table, write JSON and charts.

python -m bench --quick                 # tiny sizes, under two minutes (CI runs this)
python -m bench --sizes 10000,100000    # the figures worth quoting
python -m bench --stage generate --repeats 5
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench import harness, worker
from bench.charts import write_charts

QUICK_SIZES = (200, 1000)


def table(results: dict[str, Any]) -> str:
    head = ("stage", "size", "kgpub s", "reference s", "ratio", "kgpub /s", "ref /s", "peak MB k/r")
    rows = [head]
    for name, doc in results["stages"].items():
        for size, entry in doc["sizes"].items():
            k, r = entry.get("kgpub") or {}, entry.get("reference") or {}

            def num(v: Any, spec: str) -> str:
                return "—" if v is None else format(v, spec)

            peak = f"{num(k.get('peak_rss_mb'), '.0f')}/{num(r.get('peak_rss_mb'), '.0f')}"
            rows.append(
                (
                    name,
                    f"{int(size):,}",
                    num(k.get("median_s"), ".4f"),
                    num(r.get("median_s"), ".4f"),
                    num(entry.get("ratio"), ".2f") + ("×" if entry.get("ratio") else ""),
                    num(k.get("per_s"), ",.0f"),
                    num(r.get("per_s"), ",.0f"),
                    peak,
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", help="comma-separated sizes, e.g. 10000,100000 (default: each stage's own)"
    )
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, 3 repeats: a smoke run")
    parser.add_argument("--stage", action="append", default=[], help="only this stage (repeatable)")
    parser.add_argument("--repeats", type=int, help="runs per side (default 5, quick 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", type=Path, default=harness.RESULTS, help="results folder (default bench/results)"
    )
    parser.add_argument("--list", action="store_true", help="list the registered stages and exit")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:  # internal: one measured run, answered as one JSON line
        print(json.dumps(worker.run_once(json.loads(args.worker))))
        return 0
    for problem in harness.discover():
        print(f"warning: stage module not loaded: {problem}", file=sys.stderr)
    if args.list:
        for name, stage in harness.STAGES.items():
            print(f"{name:24} {stage.description}")
        return 0
    unknown = [s for s in args.stage if s not in harness.STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {unknown}; known: {', '.join(harness.STAGES)}")
    try:
        sizes = (
            QUICK_SIZES
            if args.quick
            else tuple(int(s) for s in args.sizes.split(","))
            if args.sizes
            else None
        )
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 10000,100000")
    if sizes and min(sizes) < 1:
        parser.error("sizes must be positive")
    repeats = args.repeats or (3 if args.quick else 5)
    results = harness.run(
        args.stage, sizes, repeats, args.seed, args.out / "tmp", log=lambda line: print(line, file=sys.stderr)
    )
    print(table(results))
    args.out.mkdir(parents=True, exist_ok=True)
    latest = args.out / "latest.json"
    latest.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    charts = write_charts(results, args.out)
    print(f"\nresults: {latest}; charts: {', '.join(p.name for p in charts)}", file=sys.stderr)
    errors = [
        (n, s)
        for n, d in results["stages"].items()
        for s, e in d["sizes"].items()
        if any((e.get(side) or {}).get("error") for side in harness.SIDES)
    ]
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
