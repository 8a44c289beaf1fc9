"""bench.capacity's second-half memory growth: the figure that separates a cache filling early from
a leak (pure arithmetic over the samples, so tested directly)."""

from __future__ import annotations

import pytest
from bench.capacity import second_half_growth


def test_a_cache_that_fills_early_shows_no_second_half_growth() -> None:
    samples = [(30.0, 150_000), (60.0, 150_000), (90.0, 150_000), (120.0, 150_000)]
    assert second_half_growth(100_000, samples, 150_000) == 0.0


def test_a_leak_keeps_growing_in_the_second_half() -> None:
    samples = [(30.0, 110_000), (60.0, 120_000), (90.0, 130_000), (120.0, 140_000)]
    assert second_half_growth(100_000, samples, 140_000) == pytest.approx(140 / 120 - 1)


def test_without_samples_the_start_is_the_middle() -> None:
    assert second_half_growth(100_000, [], 110_000) == pytest.approx(0.1)
