"""Source manifests: what a build reads, and clear errors naming manifest, entry and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kgpub.errors import ConfigError, SourceError
from kgpub.sources import collect, read_manifest
from tests.conftest import EXAMPLES


def test_examples_manifest_lists_the_demo_sources() -> None:
    manifest = collect([EXAMPLES])
    kinds = {s.name: s.kind for s in manifest.sources}
    assert kinds == {
        "profile-hsien-hsin-s-lee.txt": "profile",
        "arxiv-listing-hsien-hsin-s-lee.txt": "arxiv-listing",
        "feed-privacy-ml.txt": "feed",
    }
    assert manifest.base == "http://localhost:8080/"
    listing = next(s for s in manifest.sources if s.kind == "arxiv-listing")
    assert listing.subject == "Hsien-Hsin S. Lee" and listing.captured == dt.date(2026, 11, 21)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "a.txt").write_text("x")
    m = tmp_path / "m.toml"
    m.write_text(text)
    return m


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[source]]\nkind = "feed"\n', r"\[\[source\]\] #1: missing field 'path'"),
        ('[[source]]\npath = "a.txt"\nkind = "blog"\n', r"#1: field 'kind' is 'blog'"),
        ('[[source]]\npath = "nope.txt"\n', r"#1: field 'path': no such file"),
        ('[[source]]\npath = "a.txt"\ncaptured = "yesterday"\n', r"#1: captured must be a date"),
        ('[[source]]\npath = "a.txt"\nsubjet = "X"\n', r"#1: unknown field\(s\) \['subjet'\]"),
        ("[[source]\n", r"not a valid TOML manifest"),
    ],
)
def test_manifest_errors_name_entry_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        read_manifest(_write(tmp_path, text))
    assert "m.toml" in str(info.value)


def test_folder_without_manifest_reads_every_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text("{}\n")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    names = [s.name for s in collect([tmp_path]).sources]
    assert names == ["a.txt", "sub/b.jsonl"]


def test_missing_path_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        collect([tmp_path / "absent"])
