"""A stage's own figures are the median over its runs, key by key, not the last run's."""

from __future__ import annotations

from bench.harness import Measurement


def test_numeric_figures_are_medians_over_the_runs() -> None:
    m = Measurement(runs=[1.0, 2.0, 3.0])
    m.outputs = [{"ms": 10.0, "name": "a"}, {"ms": 30.0, "name": "b"}, {"ms": 20.0, "name": "c"}]
    m.output = m.outputs[-1]
    assert m.median_output() == {"ms": 20.0, "name": "c"}
    assert m.to_json(100)["outputs"] == m.outputs


def test_a_single_run_or_a_plain_output_is_kept_as_it_is() -> None:
    one = Measurement(runs=[1.0], output={"ms": 5.0}, outputs=[{"ms": 5.0}])
    assert one.median_output() == {"ms": 5.0} and one.to_json(1)["outputs"] is None
    counts = Measurement(runs=[1.0, 1.0], output=7, outputs=[6, 7])
    assert counts.median_output() == 7
