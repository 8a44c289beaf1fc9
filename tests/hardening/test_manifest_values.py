"""Hostile or mistaken manifests: every value is checked where it is read, with a ConfigError naming
the manifest, the entry and the field — never a traceback from the store stage. Fuzzed too: the
only exception ``read_manifest`` may raise is ConfigError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgpub.errors import ConfigError
from kgpub.sources import read_manifest
from tests.hardening.test_fuzz import EXAMPLES_PER_TEST

KGPUB = str(Path(sys.executable).parent / "kgpub")
NT = b'<http://example.org/a> <http://schema.org/name> "a" .\n'


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('subject = 5', "field 'subject' must be a string"),
        ('graph = 7', "field 'graph' must be a string"),
        ('graph = "not an iri"', "field 'graph' is not an absolute IRI"),
        ('kind = ["rdf"]', "field 'kind' is ['rdf']"),
        ('captured = "2023-02-30"', "captured must be a date"),
        ('kind = "pdf"', "field 'kind' is 'pdf'"),
        ('path = "../../../etc/passwd-not-there"', "no such file"),
    ],
)
def test_bad_manifest_values_are_config_errors_from_the_cli(tmp_path: Path, entry: str, words: str) -> None:
    (tmp_path / "a.nt").write_bytes(NT)
    lines = ['[[source]]', 'path = "a.nt"', entry] if not entry.startswith("path") else ["[[source]]", entry]
    (tmp_path / "kgpub.sources.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run([KGPUB, "build", "-q", str(tmp_path), "--store", str(tmp_path / "store")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert f"{tmp_path / 'kgpub.sources.toml'}: [[source]] #1:" in run.stderr and words in run.stderr, run.stderr
    assert not (tmp_path / "store" / "current").exists()


@pytest.mark.parametrize("base", ["5", "http://x y/", "http://example.org/no-slash", "not-absolute/"])
def test_a_bad_base_is_a_usage_error(tmp_path: Path, base: str) -> None:
    (tmp_path / "a.nt").write_bytes(NT)
    run = subprocess.run([KGPUB, "build", "-q", str(tmp_path / "a.nt"), "--store", str(tmp_path / "s"),
                          "--base", base], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"kgpub: error: base {base!r}" in run.stderr, run.stderr


TOML_VALUE = st.one_of(
    st.integers(-5, 5).map(str), st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.sampled_from(['"a.nt"', '"rdf"', '"feed"', '2026-11-21', '"2026-02-30"', "[1, 2]", "{x = 1}", "true",
                     '"http://example.org/g"', '"urn:x"', '"http://x y/"']),
)
TOML_KEY = st.sampled_from(["path", "kind", "captured", "subject", "graph", "base", "extra", "source"])


@settings(max_examples=EXAMPLES_PER_TEST, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True)
@given(top=st.lists(st.tuples(TOML_KEY, TOML_VALUE), max_size=2),
       entries=st.lists(st.lists(st.tuples(TOML_KEY, TOML_VALUE), max_size=5), max_size=3),
       noise=st.text(max_size=20))
def test_fuzzed_manifests_raise_only_config_errors(tmp_path: Path, top: list[tuple[str, str]],
                                                   entries: list[list[tuple[str, str]]], noise: str) -> None:
    (tmp_path / "a.nt").write_bytes(NT)
    text = "".join(f"{k} = {v}\n" for k, v in dict(top).items())
    for entry in entries:
        text += "[[source]]\n" + "".join(f"{k} = {v}\n" for k, v in dict(entry).items())
    manifest = tmp_path / "m.toml"
    manifest.write_text(text + noise, encoding="utf-8")
    try:
        parsed = read_manifest(manifest)
    except ConfigError as exc:
        assert str(manifest) in str(exc)
        return
    for spec in parsed.sources:
        assert spec.path.is_file()
        assert all(v is None or isinstance(v, str) for v in (spec.kind, spec.subject, spec.graph))
    assert parsed.base is None or (isinstance(parsed.base, str) and parsed.base.endswith("/"))
