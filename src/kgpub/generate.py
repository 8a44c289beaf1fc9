"""``python -m kgpub.generate OUT --works N --seed S``: write a synthetic corpus for benchmarks.

The command is a thin shell over :func:`kgpub.generator.generate`; it prints the ground truth so a
benchmark or a scale test can compare a build's counts against what was written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kgpub.generator import GeneratedCorpus, generate

__all__ = ["GeneratedCorpus", "generate", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kgpub.generate",
        description="Write a synthetic scholarly corpus (records, profile pages, arXiv listings, feeds) "
        "with a kgpub.sources.toml manifest and a ground-truth.json.",
    )
    parser.add_argument("out", type=Path, help="folder to write into (created)")
    parser.add_argument("--works", type=int, default=10_000, help="distinct works (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed: same seed, same bytes (default 0)")
    parser.add_argument(
        "--broken-rate",
        type=float,
        default=0.002,
        help="share of appearances damaged on purpose (default 0.002)",
    )
    args = parser.parse_args(argv)
    if args.works < 1:
        parser.error("--works must be at least 1")
    if not 0 <= args.broken_rate <= 1:
        parser.error("--broken-rate must be between 0 and 1")
    start = time.perf_counter()
    corpus = generate(args.out, args.works, args.seed, broken_rate=args.broken_rate)
    elapsed = time.perf_counter() - start
    summary = corpus.to_json()
    summary["broken"] = len(corpus.broken)
    print(json.dumps(summary, indent=1))
    print(
        f"wrote {len(corpus.files)} files to {args.out} in {elapsed:.1f} s "
        f"({corpus.works / elapsed:,.0f} works/s); manifest {corpus.manifest.name}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
