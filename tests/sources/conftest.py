"""Helpers for the source-parser tests: the seed folder beside the repository and a one-call way to
run text through the real loader (kind dispatch, decoding, detection) as a build would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kgpub.records import ParseResult, SourceKind
from kgpub.sources import SourceSpec, load_bytes

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
PROFILE_SEED = SEEDS / "000_7d670b394354372b.txt"
LISTING_SEED = SEEDS / "001_b920d80493c3ff62.txt"
FEED_SEED = SEEDS / "002_0a1e0ee302e8cf04.txt"
CAPTURED = dt.date(2026, 11, 21)  # the capture date the project's example manifest declares


def run_source(
    data: str | bytes,
    kind: SourceKind | None,
    *,
    name: str = "input.txt",
    captured: dt.date | None = CAPTURED,
    subject: str | None = None,
    graph: str | None = None,
) -> ParseResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    spec = SourceSpec(Path("/nonexistent") / name, name, kind, captured, subject, graph)
    return load_bytes(spec, raw)


def seed_lines(path: Path) -> list[str]:
    """The seed's lines (1-based line n is index n - 1), to compare texts without copying them."""
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def seeds_present() -> None:
    if not FEED_SEED.is_file():
        pytest.skip(f"seed files not found at {SEEDS}")
