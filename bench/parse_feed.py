"""Feed parsing speed: generate 100,000 feed items, parse them, print items/s (median of runs).

The target is 20,000 items/s on one core. "One core" is measured as this process's CPU time
(time.process_time), which other load on a shared machine does not inflate; wall-clock rates are
printed beside it. A reference run on the same text (splitting lines and matching the header regex
only) tells a slow machine from a slow parser: the ratio parser/reference should stay stable.

    .venv/bin/python bench/parse_feed.py [--items 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import statistics
import time

from kgpub.records import SourceDoc
from kgpub.sources import feed

TARGET_ITEMS_PER_S = 20_000
CODES = ["LG", "CR", "IR", "AI", "CV", "CL", "AR", "DC", "CE", "cs.LG", "stat.ML", "quant-ph"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WORDS = [
    "Learning",
    "Private",
    "of",
    "for",
    "MPC",
    "PyTorch",
    "Graph",
    "via",
    "Efficient",
    "LLM",
    "3D",
    "Models",
    "and",
    "Secure",
    "Inference",
    "DeepRecSys",
    "Federated",
    "with",
    "Noise",
    "Scalable",
]
ENDS = ["Systems", "PPML", "2019", "Learning?", "(RLHF)", "CrypTorch", "Inference", "Models"]
GIVEN = [
    "Kiwan",
    "Carole-Jean",
    "G.",
    "José",
    "Zoë",
    "Émile",
    "Ann",
    "Xin",
    "D'Arcy",
    "J.-P.",
    "Hsien-Hsin S.",
]
SURNAMES = ["Maeng", "Suh", "van der Berg", "O'Neil", "McDonald", "Müller", "García", "de la Fuente", "Wu"]


def generate(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        score = f"{rnd.uniform(1, 99):.1f}" if rnd.random() < 0.3 else ""
        date = f"{rnd.choice(MONTHS)} {rnd.randint(1, 28)}" + (
            f", {rnd.randint(2015, 2025)}" if rnd.random() < 0.8 else ""
        )
        header = score + rnd.choice(CODES) + date + ("Code" if rnd.random() < 0.2 else "")
        title = " ".join(rnd.choices(WORDS, k=rnd.randint(2, 12))) + " " + rnd.choice(ENDS)
        names = [f"{rnd.choice(GIVEN)} {rnd.choice(SURNAMES)}" for _ in range(rnd.randint(1, 3))]
        byline = ", ".join(names) + (" et al." if len(names) == 3 and rnd.random() < 0.7 else "")
        org = f" · {rnd.choice(['allen-ai', 'meta', 'mit'])}" if rnd.random() < 0.1 else ""
        abstract = "We study " + " ".join(rnd.choices(WORDS, k=60)).lower() + "."
        lines += [header, title + byline + org, abstract]
    return "\n".join(lines) + "\n"


def _doc(text: str) -> SourceDoc:
    data = text.encode("utf-8")
    return SourceDoc(
        "bench", "bench-feed.txt", hashlib.sha256(data).hexdigest(), "feed", len(data), dt.date(2026, 11, 21)
    )


def _reference(text: str) -> int:
    return sum(1 for line in text.split("\n") if feed.HEADER.match(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = generate(args.items)
    doc = _doc(text)
    feed.parse(doc, generate(200, seed=1))  # warm caches (taxonomy, regexes) outside the timing
    parse_times, ref_times, wall_times = [], [], []
    for _ in range(args.runs):
        start, wall = time.process_time(), time.perf_counter()
        result = feed.parse(doc, text)
        parse_times.append(time.process_time() - start)
        wall_times.append(time.perf_counter() - wall)
        start = time.process_time()
        _reference(text)
        ref_times.append(time.process_time() - start)
    assert len(result.works) == args.items, (len(result.works), args.items)
    unsplit = sum(1 for w in result.works if "byline-unsplit" in w.flags)
    rate = args.items / statistics.median(parse_times)
    ref_rate = args.items / statistics.median(ref_times)
    print(f"items                 {args.items}")
    print(f"runs                  {args.runs}")
    print(
        f"parser   items/s      {rate:12,.0f}   (CPU time, median; slowest run "
        f"{args.items / max(parse_times):,.0f})"
    )
    print(f"parser   items/s wall {args.items / statistics.median(wall_times):12,.0f}   (wall clock, median)")
    print(
        f"target   items/s      {TARGET_ITEMS_PER_S:12,}   "
        f"ratio parser/target    {rate / TARGET_ITEMS_PER_S:.2f}"
    )
    print(f"reference items/s     {ref_rate:12,.0f}   ratio parser/reference {rate / ref_rate:.3f}")
    print(f"diagnostics           {len(result.diagnostics)}   byline-unsplit {unsplit}")


if __name__ == "__main__":
    main()
