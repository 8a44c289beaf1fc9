"""``python -m bench``: measure every registered stage, print a table, write JSON and charts.

python -m bench --quick                 # one tiny size, under two minutes (CI runs this)
python -m bench --sizes 10000,100000    # the figures worth quoting
python -m bench --stage generate --repeats 5
python -m bench --stage validate --sizes 300 --merge   # add figures to the existing latest.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench import harness, worker
from bench.charts import write_charts

QUICK_SIZES = (300,)
QUICK_REPEATS = 1


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


def details(results: dict[str, Any]) -> str:
    """The figures a stage returned as its output (medians over the runs: per-query latencies,
    throughput, server memory),
    kgpub beside reference, with the ratio where both sides report the same figure."""
    out = []
    for name, doc in results["stages"].items():
        for size, entry in doc["sizes"].items():
            k, r = ((entry.get(side) or {}).get("output") for side in harness.SIDES)
            if not isinstance(k, dict) and not isinstance(r, dict):
                continue
            k, r = k if isinstance(k, dict) else {}, r if isinstance(r, dict) else {}
            out.append(f"{name} @ {int(size):,}: {'figure':<28} {'kgpub':>10} {'reference':>10} {'ratio':>7}")
            for key in list(k) + [key for key in r if key not in k]:
                a, b = k.get(key), r.get(key)
                ratio = f"{a / b:.2f}" if a is not None and b else ""
                cells = ("" if v is None else f"{v:.2f}" for v in (a, b))
                out.append(f"  {key:<{len(name) + len(size) + 31}} " + " ".join(f"{c:>10}" for c in cells)
                           + f" {ratio:>7}")
    return "\n".join(out)


def merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` laid over ``old`` size by size; each size keeps the meta of the run that measured it."""
    runs = old["meta"].get("runs") or [old["meta"]]
    merged = {"meta": {**new["meta"], "runs": [*runs, new["meta"]]}, "stages": dict(old["stages"])}
    for name, doc in new["stages"].items():
        base = merged["stages"].get(name)
        sizes = {**(base or {}).get("sizes", {}), **doc["sizes"]}
        for size in doc["sizes"]:
            sizes[size]["when"] = new["meta"]["when"]
        merged["stages"][name] = {**doc, "sizes": dict(sorted(sizes.items(), key=lambda kv: int(kv[0])))}
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", help="comma-separated sizes, e.g. 10000,100000 (default: each stage's own)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"size {QUICK_SIZES}, {QUICK_REPEATS} repeats, no slow reference, results in results/quick/",
    )
    parser.add_argument("--merge", action="store_true", help="add to the existing latest.json, not replace it")
    parser.add_argument("--stage", action="append", default=[], help="only this stage (repeatable)")
    parser.add_argument("--repeats", type=int, help=f"runs per side (default 5, quick {QUICK_REPEATS})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", type=Path, help="results folder (default bench/results; quick: bench/results/quick)"
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
    repeats = args.repeats or (QUICK_REPEATS if args.quick else 5)
    out = args.out or (harness.RESULTS / "quick" if args.quick else harness.RESULTS)
    results = harness.run(
        args.stage,
        sizes,
        repeats,
        args.seed,
        harness.RESULTS / "tmp",
        log=lambda line: print(line, file=sys.stderr),
        skip_slow=args.quick,
    )
    print(table(results))
    print(details(results))
    out.mkdir(parents=True, exist_ok=True)
    latest = out / "latest.json"
    if args.merge and latest.is_file():
        results = merge(json.loads(latest.read_text(encoding="utf-8")), results)
    latest.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    charts = write_charts(results, out)
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
