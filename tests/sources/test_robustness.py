"""No input makes a parser raise: arbitrary text and damaged copies of the seeds (lines dropped,
truncated, duplicated) give records and diagnostics, and every diagnostic names its file."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import FEED_SEED, LISTING_SEED, PROFILE_SEED, run_source

KINDS = ["profile", "arxiv-listing", "feed", "records"]
EXAMPLES = int(os.environ.get("KGPUB_ROBUSTNESS_EXAMPLES", "150"))


def _check(result) -> None:
    for diag in result.diagnostics:
        assert diag.file == "in.txt"
        assert diag.line is not None or diag.field is not None
        assert diag.message
    for work in result.works:
        assert 1 <= work.prov.line_start <= work.prov.line_end


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_arbitrary_text_never_raises(kind: str, text: str) -> None:
    _check(run_source(text, kind, name="in.txt", subject="Ann Lee"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seed", "kind"), [(PROFILE_SEED, "profile"), (LISTING_SEED, "arxiv-listing"), (FEED_SEED, "feed")]
)
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_damaged_seeds_never_raise(seeds_present: None, seed, kind: str, data: st.DataObject) -> None:
    lines = seed.read_text(encoding="utf-8").split("\n")
    drop = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=8))
    kept = [line for i, line in enumerate(lines) if i not in drop]
    cut = data.draw(st.integers(0, sum(len(line) + 1 for line in kept)))
    text = "\n".join(kept)[:cut]
    result = run_source(text, kind, name="in.txt", subject="Ann Lee")  # type: ignore[arg-type]
    _check(result)
    if kind == "feed" and not drop and cut == len("\n".join(kept)):
        assert len(result.works) == 20
