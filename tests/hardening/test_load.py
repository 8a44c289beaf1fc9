"""bench/load.py in quick mode against the demo store: correctness only (never timing) — no
unexpected error, the server still healthy afterwards, its memory not doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.harness import EXAMPLES, REPO

KGPUB = str(Path(sys.executable).parent / "kgpub")


@pytest.mark.slow
def test_quick_load_run_on_the_demo_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = subprocess.run([KGPUB, "build", "-q", str(EXAMPLES), "--store", str(store)], capture_output=True,
                           text=True, timeout=300)
    assert built.returncode in (0, 1), built.stderr[-2000:]
    run = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), "--store", str(store), "--quick",
                          "--clients", "4", "--json"], capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["requests"] > 0
    assert report["errors"] == 0, report["error_samples"]
    assert report["healthy_after"] is True
    assert report["rss_before_kb"] > 0 and report["rss_after_kb"] <= 2 * report["rss_before_kb"], report
    assert run.returncode == 0
