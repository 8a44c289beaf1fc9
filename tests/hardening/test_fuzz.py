"""Fuzzing every parser through ``kgpub.sources.load_bytes``: arbitrary bytes, structured text and
mutations of the seed files.

Properties: no exception (``load_bytes`` documents none: problems inside a file are diagnostics);
every record's provenance names the file and lies within its lines; every diagnostic names the file
and a line of it; diagnostics stay bounded; no hang (a watchdog ends the process with a traceback).

Bounded for CI: KGPUB_FUZZ_EXAMPLES examples per test (default 100; about 20 s in all, 16 tests). Set it
higher for a longer run, e.g. ``KGPUB_FUZZ_EXAMPLES=2000 pytest tests/hardening/test_fuzz.py``.
"""

from __future__ import annotations

import faulthandler
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgpub.records import SOURCE_KINDS, ParseResult, SourceKind
from kgpub.sources import load_bytes
from kgpub.sources.context import MAX_DIAGNOSTICS_PER_FILE
from tests.hardening.harness import EXAMPLES, SEEDS, all_records, line_count, spec

EXAMPLES_PER_TEST = int(os.environ.get("KGPUB_FUZZ_EXAMPLES", "100"))
HANG_SECONDS = 60  # one input; the slowest seen parses in well under a second
FUZZ = settings(
    max_examples=EXAMPLES_PER_TEST,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("KGPUB_FUZZ_RANDOM") is None,  # CI: the same inputs every run
)
KINDS: list[SourceKind | None] = [*SOURCE_KINDS, None]
NAMES = {"profile": "f.txt", "arxiv-listing": "f.txt", "feed": "f.txt", "records": "f.jsonl", "rdf": "f.ttl"}

SEED_FILES = sorted(SEEDS.glob("[0-9]*.txt")) if SEEDS.is_dir() else []
SEED_KINDS: dict[str, SourceKind] = {"000": "profile", "001": "arxiv-listing", "002": "feed"}
SMALL_SEEDS: list[tuple[str, SourceKind, bytes]] = [
    ("r.jsonl", "records",
     b'{"type": "person", "id": "p1", "name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"}\n'
     b'{"type": "work", "id": "w1", "title": "On Engines", "arxiv_id": "2303.06182v2", "date": "2023-03",'
     b' "authors": ["Ada Lovelace"], "categories": ["cs.LG", "CV"]}\n'
     b'{"type": "profile", "id": "s1", "person": "p1", "captured": "2026-11-21", "works": ["w1"]}\n'),
    ("t.ttl", "rdf", b'@prefix s: <http://schema.org/> .\n<http://example.org/a> s:name "A"@en ;\n'
     b'  s:knows [ s:name "B" ] .\n'),
    ("j.jsonld", "rdf", b'{"@context": {"@vocab": "http://schema.org/"}, "@id": "http://example.org/a",\n'
     b' "name": "A", "knows": {"@id": "http://example.org/b"}}\n'),
    ("x.rdf", "rdf", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
     b' xmlns:s="http://schema.org/">\n<rdf:Description rdf:about="http://example.org/a"><s:name>A</s:name>'
     b"</rdf:Description>\n</rdf:RDF>\n"),
]


@contextmanager
def watchdog() -> Iterator[None]:
    """A parser stuck in C cannot be interrupted; faulthandler's thread dumps all stacks and exits."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def check(name: str, kind: SourceKind | None, data: bytes) -> ParseResult:
    with watchdog():
        result = load_bytes(spec(name, kind), data)
    last = line_count(data)
    for record in all_records(result):
        assert record.prov.source == name
        assert 1 <= record.prov.line_start <= record.prov.line_end <= last, (record.local_id, record.prov, last)
    for d in result.diagnostics:
        assert d.file == name and d.severity in ("error", "warning", "info") and d.code and d.message
        assert d.line is None or 1 <= d.line <= last, (str(d), last)
    assert len(result.diagnostics) <= MAX_DIAGNOSTICS_PER_FILE + 10
    return result


STRUCTURE = st.sampled_from(
    ["\n", "\n\n", "\r\n", "arXiv:", "arXiv:2303.06182", " - doi: 10.1/x", "Created: ", "2023-02-30", "Jun 1",
     "May 30, 2022", "72.7", "LG", "Code", "Researcher profile", "Published work", "6 published items",
     "preprint2022arXiv", "Trust 21 - Emerging", "Verification L1", "6works", "Follow researcher0",
     "et al.", ", ", " · ", "{", "}", "[", "]", '"type": "work"', '"id": "x"', "@prefix", "<http://a/b>",
     '"', "\\", "\x00", "\ufeff", "З", "２", "\u200b", "Ada Lovelace", "TitleAda Lovelace, Alan Turing"]
)
TEXT = st.lists(STRUCTURE | st.text(max_size=12), max_size=60).map("".join)


@pytest.mark.parametrize("kind", KINDS, ids=[str(k) for k in KINDS])
@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(kind: SourceKind | None, data: bytes) -> None:
    check(NAMES.get(kind or "", "f.txt"), kind, data)


@pytest.mark.parametrize("kind", KINDS, ids=[str(k) for k in KINDS])
@FUZZ
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_structured_text(kind: SourceKind | None, text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    check(NAMES.get(kind or "", "f.txt"), kind, data)


def _mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    """Byte-level edits a damaged copy might show: cut, repeat, insert, overwrite, truncate."""
    for op, a, b, blob in ops:
        if not data:
            data = blob
            continue
        i, j = sorted((a % len(data), b % len(data)))
        if op == 0:
            data = data[:i] + data[j:]
        elif op == 1:
            data = data[:j] + data[i:j] + data[j:]
        elif op == 2:
            data = data[:i] + blob + data[i:]
        elif op == 3:
            data = data[:i] + blob + data[i + len(blob):]
        else:
            data = data[:j]
    return data


OPS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 1 << 20), st.integers(0, 1 << 20),
              st.binary(max_size=40) | STRUCTURE.map(str.encode)),
    min_size=1, max_size=8,
)


@pytest.mark.skipif(not SEED_FILES, reason=f"no seed files in {SEEDS}")
@FUZZ
@given(index=st.integers(0, 2), ops=OPS, declared=st.booleans())
def test_mutated_seeds(index: int, ops: list[tuple[int, int, int, bytes]], declared: bool) -> None:
    path = SEED_FILES[index % len(SEED_FILES)]
    kind = SEED_KINDS.get(path.name[:3]) if declared else None
    check(path.name, kind, _mutate(path.read_bytes(), ops))


@FUZZ
@given(index=st.integers(0, len(SMALL_SEEDS) - 1), ops=OPS)
def test_mutated_records_and_rdf(index: int, ops: list[tuple[int, int, int, bytes]]) -> None:
    name, kind, data = SMALL_SEEDS[index]
    check(name, kind, _mutate(data, ops))


@FUZZ
@given(index=st.integers(0, 2), ops=OPS)
def test_mutated_examples(index: int, ops: list[tuple[int, int, int, bytes]]) -> None:
    files = ["profile-hsien-hsin-s-lee.txt", "arxiv-listing-hsien-hsin-s-lee.txt", "feed-privacy-ml.txt"]
    kinds: list[SourceKind] = ["profile", "arxiv-listing", "feed"]
    check(files[index], kinds[index], _mutate((EXAMPLES / files[index]).read_bytes(), ops))


def test_unmutated_seeds_pass_the_same_checks() -> None:
    """The properties hold on the real inputs, so a fuzz failure is about the damage, not the check."""
    for path in SEED_FILES:
        result = check(path.name, SEED_KINDS[path.name[:3]], path.read_bytes())
        assert result.works
    for name, kind, data in SMALL_SEEDS:
        result = check(name, kind, data)
        assert result.record_count() and not [d for d in result.diagnostics if d.severity == "error"], name
