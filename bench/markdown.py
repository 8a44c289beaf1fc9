"""The README's benchmark tables, written from ``bench/results/latest.json`` so they never drift from
the measured figures.

    .venv/bin/python -m bench.markdown            # print the tables
    .venv/bin/python -m bench.markdown --readme   # replace them in README.md between the markers

How a stage's cost grows is stated by the exponent *k* of time ∝ size^k between the two largest
sizes measured (log of the time ratio over log of the size ratio): about 1 is linear, clearly
below is sublinear, clearly above superlinear. One run per size on a shared machine is noisy, so
the exponent is a reading of two medians, and the words allow ±0.15 around 1 before they call it
anything but linear; sizes measured on different days ran different code (each cell shows its day).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "latest.json"
BEGIN, END = "<!-- bench-tables:begin -->", "<!-- bench-tables:end -->"
LINEAR_BAND = 0.15
# stages timing a fixed request mix: their total time says nothing of growth with the data, their
# per-request figures do (a growth column in their own table)
FIXED_MIX = ("sparql-endpoint", "entity-pages")


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float | None:
    """k in time ∝ size^k through two (size, seconds) points; None when a time is missing or zero."""
    (n1, t1), (n2, t2) = small, large
    if not (t1 and t2) or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def growth_word(k: float | None) -> str:
    if k is None:
        return "—"
    if k < 1 - LINEAR_BAND:
        return f"sublinear ({k:.2f})"
    if k > 1 + LINEAR_BAND:
        return f"superlinear ({k:.2f})"
    return f"linear ({k:.2f})"


def _seconds(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.3g}" if v < 100 else f"{v:,.0f}"


def _side(entry: dict[str, Any], side: str) -> float | None:
    doc = entry.get(side) or {}
    return None if doc.get("error") else doc.get("median_s")


def stage_table(results: dict[str, Any], sizes: list[int]) -> str:
    """One row per stage: kgpub / reference seconds and their ratio per size, then the growth of
    kgpub's time (and the reference's) between the two largest sizes each was measured at."""
    head = ["stage"] + [f"{n:,} works: kgpub / ref s (ratio)" for n in sizes] + ["growth, kgpub", "growth, reference"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(head) - 1) + "|"]
    for name, doc in results["stages"].items():
        measured = {int(s): e for s, e in doc["sizes"].items() if int(s) in sizes}
        if not measured:
            continue
        cells = [f"`{name}`"]
        for n in sizes:
            e = measured.get(n)
            if e is None:
                cells.append("—")
                continue
            ratio = e.get("ratio")
            cells.append(
                f"{_seconds(_side(e, 'kgpub'))} / {_seconds(_side(e, 'reference'))}"
                + (f" ({ratio:.2f}×)" if ratio else "")
                + (f" · {e['when'][5:10]}" if e.get("when") else "")
            )
        for side in ("kgpub", "reference"):
            points = [(n, t) for n in sizes if n in measured and (t := _side(measured[n], side))]
            if name in FIXED_MIX:
                cells.append("per request: below")
            else:  # between the two largest sizes measured: the scale that matters
                cells.append(growth_word(exponent(points[-2], points[-1])) if len(points) >= 2 else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figures_table(results: dict[str, Any], stage: str, sizes: list[int]) -> str:
    """A serving stage's own figures (per-request medians, throughput, memory) by size."""
    doc = results["stages"].get(stage)
    if not doc:
        return ""
    per_size = {int(s): e for s, e in doc["sizes"].items() if int(s) in sizes}
    names: list[str] = []
    for e in per_size.values():
        for side in ("kgpub", "reference"):
            for key in (e.get(side) or {}).get("output") or {}:
                if key not in names:
                    names.append(key)
    shown = [n for n in sizes if n in per_size]
    head = ["figure"] + [f"{n:,}: kgpub / ref" for n in shown] + ["growth of kgpub's ms"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(shown) + 1) + "|"]
    for key in names:
        cells = [key]
        points = []
        for n in shown:
            vals = [((per_size[n].get(side) or {}).get("output") or {}).get(key) for side in ("kgpub", "reference")]
            cells.append(" / ".join("—" if v is None else f"{v:,.4g}" for v in vals))
            if vals[0]:
                points.append((n, float(vals[0])))
        latency = key.endswith(" ms") and len(points) >= 2
        cells.append(growth_word(exponent(points[-2], points[-1])) if latency else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def tables(results: dict[str, Any]) -> str:
    sizes = sorted({int(s) for doc in results["stages"].values() for s in doc["sizes"] if int(s) >= 1000})
    when = {e.get("when", "")[:16] for doc in results["stages"].values() for e in doc["sizes"].values()}
    parts = [
        f"Written by `python -m bench.markdown --readme` from `bench/results/latest.json` "
        f"(runs between {min(when)} and {max(when)} UTC; each size records when it ran). "
        "Medians of the runs of each side; each cell ends with the day (month-day) it was measured, "
        "and sizes measured on different days ran different code. Growth is the exponent k of time "
        "∝ works^k between the two largest sizes measured.",
        "",
        stage_table(results, sizes),
    ]
    for stage in ("sparql-endpoint", "entity-pages"):
        table = figures_table(results, stage, sizes)
        if table:
            parts += ["", f"`{stage}` figures (milliseconds are medians of sequential requests):", "", table]
    return "\n".join(parts)


def replace_between_markers(text: str, body: str) -> str:
    if BEGIN not in text or END not in text:
        raise SystemExit(f"README.md has no {BEGIN} … {END} markers to replace")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{body}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--readme", action="store_true", help="replace the tables in README.md")
    args = ap.parse_args(argv)
    body = tables(json.loads(args.results.read_text(encoding="utf-8")))
    if args.readme:
        readme = REPO / "README.md"
        readme.write_text(replace_between_markers(readme.read_text(encoding="utf-8"), body), encoding="utf-8")
    else:
        print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
