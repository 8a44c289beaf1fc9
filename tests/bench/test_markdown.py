"""bench.markdown: the README's benchmark tables come from latest.json, and growth words follow
the exponent of time against size."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from bench.markdown import BEGIN, END, exponent, growth_word, replace_between_markers, tables

REPO = Path(__file__).resolve().parents[2]


def test_exponent_of_a_linear_and_a_quadratic_cost() -> None:
    assert exponent((1_000, 2.0), (10_000, 20.0)) == pytest.approx(1.0)
    assert exponent((1_000, 2.0), (100_000, 20_000.0)) == pytest.approx(2.0)
    assert exponent((1_000, 0.0), (10_000, 1.0)) is None


@pytest.mark.parametrize(
    ("k", "word"),
    [(1.0, "linear"), (1.14, "linear"), (0.86, "linear"), (1.2, "superlinear"), (0.5, "sublinear"), (None, "—")],
)
def test_growth_words(k: float | None, word: str) -> None:
    assert growth_word(k).split(" ")[0] == word


def _results(times: dict[int, tuple[float, float]]) -> dict:
    return {
        "meta": {},
        "stages": {
            "build": {
                "unit": "works",
                "sizes": {
                    str(n): {
                        "kgpub": {"median_s": k}, "reference": {"median_s": r}, "ratio": k / r,
                        "when": "2026-12-04T03:00:00Z",
                    }
                    for n, (k, r) in times.items()
                },
            }
        },
    }


def test_the_stage_row_shows_each_size_and_the_growth() -> None:
    text = tables(_results({10_000: (30.0, 10.0), 100_000: (600.0, 100.0)}))
    row = next(line for line in text.splitlines() if line.startswith("| `build`"))
    assert "30 / 10 (3.00×) · 12-04" in row and "600 / 100 (6.00×) · 12-04" in row
    assert f"superlinear ({math.log10(20):.2f})" in row and "linear (1.00)" in row


def test_replace_between_markers_keeps_the_rest() -> None:
    text = f"head\n{BEGIN}\nold\n{END}\ntail\n"
    assert replace_between_markers(text, "new") == f"head\n{BEGIN}\nnew\n{END}\ntail\n"
    with pytest.raises(SystemExit):
        replace_between_markers("no markers", "new")


def test_the_readme_tables_are_the_ones_latest_json_gives() -> None:
    """Regenerate with `python -m bench.markdown --readme` after a benchmark run."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    results = json.loads((REPO / "bench" / "results" / "latest.json").read_text(encoding="utf-8"))
    assert replace_between_markers(readme, tables(results)) == readme
