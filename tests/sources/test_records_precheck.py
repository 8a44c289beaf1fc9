"""The compiled records check must agree with jsonschema: "valid" only where jsonschema finds no error.

It decides which lines skip ``iter_errors``; a wrong "valid" would silently lose a diagnostic. So
it is compared with the real validators on every line of a generated corpus (damaged lines too) and
on generated objects made to sit on each keyword's edge (types jsonschema treats specially, lengths
at the limits, patterns with a trailing newline, unknown fields).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kgpub.generator import generate
from kgpub.sources import records_precheck
from kgpub.sources.records_schema import TYPES, prechecks, read_line, validators


def _agree(obj: dict) -> bool:
    kind = obj["type"]
    valid = not any(True for _ in validators()[kind].iter_errors(obj))
    assert prechecks()[kind](obj) is valid, obj
    return valid


def test_shipped_schema_compiles_without_fallbacks() -> None:
    prechecks.cache_clear()
    records_precheck.UNSUPPORTED.clear()
    assert set(prechecks()) == set(TYPES)
    assert not records_precheck.UNSUPPORTED


EDGES: list[object] = [
    "", "x", " x", "x\n", "2020", "2020\n", " 2020", "2020-01", "2020-13-45", "10.1234/x", "2303.06182v2",
    "hep-th/9901001", "cs.LG", "LG", "1", "a b", "0000-0002-1825-0097", "http://x", "created", "listed",
    "work", "person", "x" * 1001, "x" * 301, "x" * 201, -2, -1, 0, 1, 999, 1000, 9999, 10_000, 10**9, 10**9 + 1,
    0.0, 1.0, 2.5, -1.0, 2020.0, True, False, None, [], ["a"], [""], ["cs.LG", 1], [None], ["x" * 301],
    ["a"] * 51, {}, {"works": 0}, {"Works": 1}, {"a_b": -1}, {"works": 1.0}, {"works": True}, {"works": "3"},
]
EDGE_VALUES = st.sampled_from(EDGES)


VALID = {
    "work": {"type": "work", "id": "w-1", "title": "T", "abstract": "A", "work_type": "article",
             "arxiv_id": "2303.06182", "doi": "10.1234/x", "date": "2020-01-02", "date_role": "listed",
             "venue": "V", "venue_year": 2020, "pages": 3, "figures": 0, "categories": ["cs.LG", "LG"],
             "authors": ["A B"], "authors_truncated": False, "extra_authors": [], "flags": ["x-1"]},
    "person": {"type": "person", "id": "p-1", "name": "A B", "orcid": "0000-0002-1825-0097",
               "profile_url": "https://x.org/a", "affiliations": ["U"], "description": "D"},
    "profile": {"type": "profile", "id": "pr-1", "person": "p-1", "captured": "2026-11-21", "role": "R",
                "trust_score": 3, "counts": {"works": 2}, "works": ["w-1"]},
}


@st.composite
def near_records(draw: st.DrawFn) -> dict:
    """A valid record of some type with up to two fields replaced by edge values, removed or added."""
    kind = draw(st.sampled_from(TYPES))
    obj = dict(VALID[kind])
    names = [*sorted(validators()[kind].schema["$defs"][kind]["properties"]), "unknown"]
    for name in draw(st.lists(st.sampled_from(names), max_size=2)):
        if name != "type" and draw(st.booleans()) and name in obj:
            del obj[name]
        elif name != "type":
            obj[name] = draw(EDGE_VALUES)
    return obj


def test_agrees_on_every_field_set_to_every_edge_value() -> None:
    verdicts = set()
    for kind, base in VALID.items():
        assert _agree(base)
        for name in [*validators()[kind].schema["$defs"][kind]["properties"], "unknown"]:
            if name != "type":
                verdicts.update(_agree({**base, name: value}) for value in EDGES)
                verdicts.add(_agree({k: v for k, v in base.items() if k != name}))
    assert verdicts == {True, False}


@settings(max_examples=1500, deadline=None)
@given(near_records())
def test_agrees_on_edge_objects(obj: dict) -> None:
    _agree(obj)


def test_read_line_is_the_same_with_and_without_the_precheck(tmp_path: Path, monkeypatch: Any) -> None:
    generate(tmp_path, works=300, seed=5, broken_rate=0.05)
    lines = [line for path in sorted((tmp_path / "records").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    lines += [json.dumps({"type": "work", "id": "w1", "date": "2020-1", "pages": 1.5, "extra": 1}),
              json.dumps({"type": "person", "id": "p 1", "name": ""}), "[" * 17 + "]" * 17]
    fast = [read_line(line) for line in lines]
    objects = [r.record for r in fast if r.record is not None and not r.problems]
    assert len(objects) > 300 and all(_agree(o) for o in objects)  # the fast path is the one taken
    monkeypatch.setattr("kgpub.sources.records_schema.prechecks", lambda: dict.fromkeys(TYPES, lambda _o: False))
    slow = [read_line(line) for line in lines]
    assert fast == slow
    assert sum(1 for r in slow if r.problems) >= 3
