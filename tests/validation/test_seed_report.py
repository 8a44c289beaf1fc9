"""The report on the three seed files lists the real problems and no Violation: works known only by
an identifier are Warnings whose message names their arXiv id, truncated bylines are Warnings, and
`kgpub validate` exits 0 (warnings allowed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from kgpub.cli import main


def test_the_seed_report_names_untitled_works_by_their_arxiv_id(runner: CliRunner, seed_store_dir: Path) -> None:
    run = runner.invoke(main, ["validate", "--store", str(seed_store_dir), "--format", "json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.output)
    assert report["counts"]["Violation"] == 0, [r for r in report["results"] if r["severity"] == "Violation"]
    untitled = [r for r in report["results"] if r["shape"] == "kgs:WorkUntitled"]
    assert untitled, "the seeds hold arXiv-listing works with no title in any file"
    for result in untitled:
        assert result["severity"] == "Warning"
        assert re.match(r"Work arXiv:\S+ is known only by its identifier", result["message"]), result["message"]
        assert result["sources"] and all(s["line_start"] >= 1 for s in result["sources"])
    truncated = [r for r in report["results"] if r["shape"] == "kgs:Work-byline-truncated"]
    assert truncated and all(r["severity"] == "Warning" for r in truncated)
