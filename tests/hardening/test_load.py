"""bench/load.py (quick mode) and bench/capacity.py (bounded: short steps, a 20 s hold) against
the demo store under the real `kgpub serve`: correctness only, never timing — no unintended error,
the server healthy afterwards, its memory not grown much."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.harness import EXAMPLES, REPO

KGPUB = str(Path(sys.executable).parent / "kgpub")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("load")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("load") / "store"
    built = subprocess.run([KGPUB, "build", "-q", str(EXAMPLES), "--store", str(store)], capture_output=True,
                           text=True, timeout=300)
    assert built.returncode in (0, 1), built.stderr[-2000:]
    return store


def last_json(run: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    assert run.stdout.strip(), run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_quick_load_run_on_the_demo_store(store: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), "--store", str(store), "--quick",
                          "--clients", "4", "--json"], capture_output=True, text=True, timeout=300)
    report = last_json(run)
    assert report["requests"] > 0
    assert report["errors"] == 0, report["error_samples"]
    assert report["healthy_after"] is True
    assert report["rss_before_kb"] > 0 and report["rss_after_kb"] <= 2 * report["rss_before_kb"], report
    assert run.returncode == 0


def test_bounded_capacity_run_finds_a_level_and_holds_it(store: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.capacity", "--store", str(store), "--step-seconds", "3", "--hold", "20",
         "--max-clients", "8", "--max-rss-growth", "0.5", "--rss-every", "4", "--json"],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )
    report = last_json(run)
    steps, hold = report["steps"], report["hold"]
    assert steps and all(s["requests"] > 0 for s in steps)
    assert [s["clients"] for s in steps] == sorted({s["clients"] for s in steps})  # stepped up
    assert all(s["errors"] == 0 for s in steps), [s["error_samples"] for s in steps]
    # the level held is the fastest step within the target, or 1 client when none was
    within = [s for s in steps if s["within_target"]]
    assert hold["clients"] == (max(within, key=lambda s: s["rps"])["clients"] if within else 1)
    assert hold["requests"] > 0 and hold["errors"] == 0, hold["error_samples"]
    assert set(hold["statuses"]) <= {"200", "303", "429", "503"}, hold["statuses"]
    assert hold["healthy_after"] is True
    assert report["rss_before_kb"] > 0 and report["rss_after_kb"] <= 1.5 * report["rss_before_kb"], report
    # sampled during the 20 s hold every 4 s: times rising, every sample a real reading
    times = [t for t, _ in report["rss_samples_kb"]]
    assert len(times) >= 3 and times == sorted(times), report["rss_samples_kb"]
    assert all(kb > 0 for _, kb in report["rss_samples_kb"])
    assert report["rss_growth_second_half"] <= 0.5, report
    assert run.returncode == 0, run.stderr[-2000:]
