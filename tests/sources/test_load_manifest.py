"""The whole path a build takes: a manifest on disk, collect(), load() per source, and the records
format documented in docs/records-format.md (its example lines must parse as documented)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kgpub.sources import collect, load

from .conftest import FEED_SEED, LISTING_SEED, PROFILE_SEED, run_source

REPO = Path(__file__).resolve().parents[2]


def test_manifest_build_over_the_seeds(tmp_path: Path, seeds_present: None) -> None:
    for seed in (PROFILE_SEED, LISTING_SEED, FEED_SEED):
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "kgpub.sources.toml").write_text(
        f"""
[[source]]
path = "{PROFILE_SEED.name}"
captured = "2026-11-21"

[[source]]
path = "{LISTING_SEED.name}"
kind = "arxiv-listing"
subject = "Hsien-Hsin S. Lee"

[[source]]
path = "{FEED_SEED.name}"
kind = "feed"
captured = "2026-11-21"
""",
        encoding="utf-8",
    )
    manifest = collect([tmp_path])
    results = {spec.name: load(spec) for spec in manifest.sources}
    profile = results[PROFILE_SEED.name]
    assert profile.source.kind == "profile" and profile.source.kind_detected
    assert [d.code for d in profile.diagnostics] == ["source.kind.detected"]
    assert len(profile.works) == 6 and profile.persons[0].name == "Hsien-Hsin S. Lee"
    listing = results[LISTING_SEED.name]
    assert len(listing.works) == 7 and listing.diagnostics == []
    assert all(w.extra_authors == ("Hsien-Hsin S. Lee",) for w in listing.works)
    feed = results[FEED_SEED.name]
    assert len(feed.works) == 20 and feed.source.captured is not None
    total = sum(r.record_count() for r in results.values())
    assert total == 1 + 1 + 6 + 7 + 20 + 20  # person, snapshot, works, listing works, feed works + listings


def test_documented_example_lines_parse_as_documented() -> None:
    doc = (REPO / "docs" / "records-format.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", doc, re.S)
    assert block is not None
    result = run_source(block.group(1), "records", name="example.jsonl")
    assert result.diagnostics == []
    assert [w.local_id for w in result.works] == ["records/work/w1"]
    assert [p.local_id for p in result.persons] == ["records/person/p1"]
    assert result.profiles[0].works == ("records/work/w1",)
    assert result.works[0].byline is not None and result.works[0].byline.truncated
