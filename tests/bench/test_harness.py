"""The harness: what it measures, how it reports, what its charts draw. Never how fast anything is."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from bench import __main__ as command
from bench import charts, generation, harness, reference

from . import stage_fixture

SVG = "{http://www.w3.org/2000/svg}"


def test_runs_both_sides_at_each_size_and_divides_medians(tmp_path: Path) -> None:
    results = harness.run(["test-sum"], [10, 30], repeats=2, seed=0, workdir=tmp_path, log=lambda _: None)
    doc = results["stages"]["test-sum"]
    assert list(doc["sizes"]) == ["10", "30"]
    for size, entry in doc["sizes"].items():
        n = int(size) * 1000
        k, r = entry["kgpub"], entry["reference"]
        assert k["error"] is None and r["error"] is None
        assert len(k["runs_s"]) == len(r["runs_s"]) == 2
        assert k["output"] == n * (n - 1) // 2  # the callable really ran on what prepare made
        assert r["output"] == (n // 2) * (n // 2 - 1) // 2
        assert entry["ratio"] == pytest.approx(k["median_s"] / r["median_s"])
        assert k["per_s"] == pytest.approx(int(size) / k["median_s"])
        assert k["peak_rss_mb"] >= 1
    assert results["meta"]["repeats"] == 2 and results["meta"]["cpus"]


def test_peak_memory_is_per_run_and_per_side(tmp_path: Path) -> None:
    entry = harness.run(["test-memory"], [1], 1, 0, tmp_path, log=lambda _: None)["stages"]["test-memory"]
    k, r = entry["sizes"]["1"]["kgpub"], entry["sizes"]["1"]["reference"]
    assert k["peak_rss_mb"] - r["peak_rss_mb"] > 150  # 200 MiB touched by kgpub's side only
    assert r["peak_rss_mb"] < k["peak_rss_mb"]


def test_a_failing_side_is_reported_and_the_other_still_measured(tmp_path: Path) -> None:
    doc = harness.run(["test-failing"], [5, 500], 2, 0, tmp_path, log=lambda _: None)["stages"][
        "test-failing"
    ]
    assert list(doc["sizes"]) == ["5"]  # 500 is above max_size
    entry = doc["sizes"]["5"]
    assert "ZeroDivisionError" in entry["kgpub"]["error"]
    assert entry["kgpub"]["runs_s"] == [] and entry["ratio"] is None
    assert entry["reference"]["output"] == "empty" and len(entry["reference"]["runs_s"]) == 2
    assert not list(tmp_path.glob("scratch-*"))  # scratch folders are removed after each run


def test_register_refuses_a_stage_with_nothing_to_measure() -> None:
    with pytest.raises(ValueError, match="nothing to measure"):
        harness.register(harness.Stage("empty", kgpub=None, reference=None))
    assert stage_fixture.SUM is harness.STAGES["test-sum"]


def test_chart_is_log_log_svg_with_one_line_per_side() -> None:
    doc = {
        "unit": "works",
        "kgpub_label": "k <&>",
        "reference_label": "ref",
        "sizes": {
            "10": {"kgpub": {"median_s": 0.01}, "reference": {"median_s": 0.001}},
            "100": {"kgpub": {"median_s": 0.1}, "reference": {"median_s": 0.01}},
            "1000": {"kgpub": {"median_s": 1.0}, "reference": None},
        },
    }
    root = ET.fromstring(charts.chart("stage <b>", doc))
    lines = {p.get("class"): p.get("points", "").split() for p in root.iter(f"{SVG}polyline")}
    assert len(lines["kgpub"]) == 3 and len(lines["reference"]) == 2
    xs = [float(pt.split(",")[0]) for pt in lines["kgpub"]]
    ys = [float(pt.split(",")[1]) for pt in lines["kgpub"]]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)  # equal decades, equal distances: log x
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], abs=0.2)  # log y too
    assert ys[0] > ys[1] > ys[2]  # longer times drawn higher
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "stage <b>: time against size" in texts and "k <&>" in texts  # escaped, then parsed back
    empty = ET.fromstring(charts.chart("nothing", {"sizes": {}}))
    assert any(t.text == "no measurements" for t in empty.iter(f"{SVG}text"))


def test_command_writes_table_json_and_one_chart_per_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = command.main(["--stage", "test-sum", "--sizes", "10,20", "--repeats", "1", "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:5] == ["stage", "size", "kgpub", "s", "reference"]
    assert sum(1 for line in out.splitlines() if line.startswith("test-sum")) == 2
    results = json.loads((tmp_path / "latest.json").read_text())
    assert set(results["stages"]) == {"test-sum"}
    ET.parse(tmp_path / "test-sum.svg")
    assert (
        command.main(["--stage", "test-failing", "--sizes", "5", "--repeats", "1", "--out", str(tmp_path)])
        == 1
    )
    with pytest.raises(SystemExit):
        command.main(["--sizes", "ten"])
    with pytest.raises(SystemExit):
        command.main(["--stage", "no-such-stage"])


def test_builtin_stages_are_registered() -> None:
    assert harness.discover() == []
    for name in ("generate", "nquads-parse", "nquads-bulk-load"):
        assert name in harness.STAGES
    assert harness.STAGES["nquads-parse"].kgpub is None  # reference only


def test_context_generates_the_corpus_once(tmp_path: Path) -> None:
    ctx = harness.Context(120, 3, tmp_path)
    first = ctx.corpus()
    stamp = (first / "ground-truth.json").stat().st_mtime_ns
    assert ctx.corpus() == first
    assert (first / "ground-truth.json").stat().st_mtime_ns == stamp
    assert json.loads((first / "ground-truth.json").read_text())["works"] == ctx.truth()["works"] == 120


def test_generate_reference_writes_exactly_the_generated_bytes(tmp_path: Path) -> None:
    corpus = harness.Context(150, 1, tmp_path).corpus()
    scratch = tmp_path / "scratch"
    state = generation._setup(
        {"corpus": str(corpus), "size": 150, "seed": 1, "scratch": str(scratch)}, "reference"
    )
    generation.write_same_bytes(state)
    written = {
        p.relative_to(scratch / "out"): p.read_bytes() for p in (scratch / "out").rglob("*") if p.is_file()
    }
    original = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    assert written == original


def test_reference_nquads_parse_and_use_the_http_schema_org_namespace(tmp_path: Path) -> None:
    path = tmp_path / "ref.nq"
    count = reference.write_nquads(path, 60, seed=2)
    quads = list(parse(path=str(path), format=RdfFormat.N_QUADS))
    assert len(quads) == count > 60 * 10
    predicates = {q.predicate.value for q in quads}
    assert "http://schema.org/name" in predicates
    assert not any(p.startswith("https://schema.org/") for p in predicates)
    works = {q.subject for q in quads if q.object == NamedNode("http://schema.org/ScholarlyArticle")}
    assert len(works) == 60
    assert len({q.graph_name for q in quads}) == 1  # one graph per thousand works


def test_list_names_every_registered_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert command.main(["--list"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert {"generate", "nquads-parse", "nquads-bulk-load", "nquads-bulk-load-memory"} <= listed
    assert listed == set(harness.STAGES)


def test_teardown_runs_after_each_call_and_figures_are_kept(tmp_path: Path) -> None:
    doc = harness.run(["test-teardown"], [3, 8], 2, 0, tmp_path, log=lambda _: None)["stages"]["test-teardown"]
    small, large = doc["sizes"]["3"], doc["sizes"]["8"]
    assert small["kgpub"]["output"] == {"latency ms": 3.0, "only kgpub": 1.0}
    assert small["reference"]["output"] == {"latency ms": 2.0}
    assert "reference" not in large and large["kgpub"]["error"] is None  # above reference_max_size
    # 2 runs per side at size 3, kgpub only at size 8: the teardown ran after every call
    assert (tmp_path / "torn-down").read_text().split() == ["kgpub", "reference"] * 2 + ["kgpub"] * 2
    text = command.details({"stages": {"test-teardown": doc}})
    row = next(line for line in text.splitlines() if "latency ms" in line and line.startswith("  "))
    assert row.split()[-3:] == ["3.00", "2.00", "1.50"]


def test_quick_runs_skip_slow_references_only(tmp_path: Path) -> None:
    def sides(skip: bool) -> set[str]:
        doc = harness.run(["test-slow-reference"], [1], 1, 0, tmp_path, log=lambda _: None, skip_slow=skip)
        return set(doc["stages"]["test-slow-reference"]["sizes"]["1"]) - {"ratio"}

    assert sides(True) == {"kgpub"}
    assert sides(False) == {"kgpub", "reference"}


def test_merge_keeps_other_sizes_and_stages_and_records_each_run() -> None:
    def doc(when: str, stage: str, sizes: dict[str, float]) -> dict[str, Any]:
        return {
            "meta": {"when": when},
            "stages": {stage: {"unit": "works", "sizes": {s: {"ratio": r} for s, r in sizes.items()}}},
        }

    old = doc("t1", "a", {"10": 1.0, "100": 2.0})
    old["stages"]["b"] = {"sizes": {"5": {"ratio": 9.0}}}
    merged = command.merge(old, doc("t2", "a", {"100": 3.0, "30": 4.0}))
    assert list(merged["stages"]["a"]["sizes"]) == ["10", "30", "100"]
    assert merged["stages"]["a"]["sizes"]["100"] == {"ratio": 3.0, "when": "t2"}
    assert merged["stages"]["b"] == old["stages"]["b"]
    assert [m["when"] for m in merged["meta"]["runs"]] == ["t1", "t2"]
