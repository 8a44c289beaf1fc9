"""The records (JSON Lines) format and RDF payloads: valid input becomes records, bad lines are reported
with line and field, hostile RDF is refused before anything could be fetched or expanded."""

from __future__ import annotations

import json

import pytest

from kgpub.records import Byline, PartialDate
from kgpub.sources import rdf as rdf_module
from kgpub.sources import records_schema

from .conftest import run_source


def jsonl(*objs: object) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n"


def test_valid_lines_become_records() -> None:
    result = run_source(
        jsonl(
            {
                "type": "work",
                "id": "w1",
                "title": "A Study",
                "arxiv_id": "2303.06182v2",
                "doi": "doi:10.1145/ABC.D",
                "date": "2023-03",
                "date_role": "published",
                "authors": ["Ann Lee", "Bo Chen"],
                "authors_truncated": True,
                "extra_authors": ["Cy Dee"],
                "categories": ["cs.LG", "CV", "LG"],
                "pages": 7,
            },
            {
                "type": "person",
                "id": "p1",
                "name": "Ann Lee",
                "orcid": "https://orcid.org/0000-0002-1825-0097",
                "affiliations": ["Somewhere University"],
            },
            {
                "type": "profile",
                "id": "s1",
                "person": "p1",
                "captured": "2026-01-02",
                "trust_score": 3,
                "counts": {"works": 1},
                "works": ["w1"],
            },
        ),
        "records",
        name="r.jsonl",
    )
    [work] = result.works
    assert work.local_id == "records/work/w1"
    assert (work.arxiv_id, work.arxiv_version, work.doi) == ("2303.06182", 2, "10.1145/abc.d")
    assert work.date == PartialDate(2023, 3) and work.date.precision == "month"
    assert work.byline == Byline(("Ann Lee", "Bo Chen"), truncated=True)
    assert work.extra_authors == ("Cy Dee",) and work.pages == 7
    assert [(c.printed, c.resolved, c.resolution) for c in work.categories] == [
        ("cs.LG", "cs.LG", "full"),
        ("CV", "cs.CV", "context"),
        ("LG", "cs.LG", "unique"),
    ]
    [person] = result.persons
    assert (person.local_id, person.orcid, person.affiliations) == (
        "records/person/p1",
        "0000-0002-1825-0097",
        ("Somewhere University",),
    )
    [snap] = result.profiles
    assert (snap.person, snap.works, snap.counts, str(snap.captured)) == (
        "records/person/p1",
        ("records/work/w1",),
        {"works": 1},
        "2026-01-02",
    )
    assert [p.line_start for p in (work.prov, person.prov, snap.prov)] == [1, 2, 3]
    assert [d.code for d in result.diagnostics] == ["records.category.context"]


@pytest.mark.parametrize(
    ("line", "field", "kept"),
    [
        ({"type": "work", "id": "w", "pages": "seven"}, "pages", True),
        ({"type": "work", "id": "w", "date": "2023-02-30"}, "date", True),
        ({"type": "work", "id": "w", "date": "March 2023"}, "date", True),
        ({"type": "work", "id": "w", "authors": ["Ann Lee", 3]}, "authors[1]", True),
        ({"type": "work", "id": "w", "colour": "red"}, "colour", True),
        ({"type": "work", "id": "w", "arxiv_id": "arXiv 1234"}, "arxiv_id", True),
        ({"type": "person", "id": "p", "name": "A B", "orcid": "0000-0002-1825-0098"}, "orcid", True),
        ({"type": "person", "id": "p"}, "name", False),
        ({"type": "work"}, "id", False),
        ({"type": "thing", "id": "x"}, "type", False),
        ({"type": "profile", "id": "s"}, "person", False),
    ],
)
def test_bad_field_names_line_and_field(line: dict, field: str, kept: bool) -> None:
    ok = {"type": "work", "id": "ok", "title": "Fine"}
    result = run_source(jsonl(ok, line, ok | {"id": "ok2"}), "records", name="r.jsonl")
    diags = [d for d in result.diagnostics if d.line == 2]
    assert diags, result.diagnostics
    assert diags[0].field == field and diags[0].file == "r.jsonl" and diags[0].severity == "error"
    assert str(diags[0]).startswith(f"r.jsonl:2: error: {field}:")
    records = result.works + result.persons + result.profiles
    assert (len(records) == 3) is kept  # the lines around it are always parsed
    if kept:
        assert any(r.prov.line_start == 2 and getattr(r, "flags", ("x",)) for r in records)


def test_syntax_errors_depth_size_and_duplicates() -> None:
    deep = '{"type": "work", "id": "d", "x": ' + "[" * 40 + "]" * 40 + "}"
    text = jsonl({"type": "work", "id": "a"}, "{not json", "[1, 2]", deep, {"type": "work", "id": "a"})
    text += '{"type": "work", "id": "big", "title": "' + "x" * (records_schema.MAX_LINE_CHARS + 1) + '"}\n'
    result = run_source(text, "records", name="r.jsonl")
    assert [w.local_id for w in result.works] == ["records/work/a"]
    assert [(d.line, d.code) for d in result.diagnostics] == [
        (2, "records.json.syntax"),
        (3, "records.json.not-object"),
        (4, "records.line.too-deep"),
        (5, "records.id.duplicate"),
        (6, "records.line.too-long"),
    ]


def test_profile_reference_to_a_missing_line() -> None:
    result = run_source(jsonl({"type": "profile", "id": "s", "person": "nobody"}), "records", name="r.jsonl")
    [diag] = result.diagnostics
    assert (diag.line, diag.field, diag.severity) == (1, "person", "warning") and "nobody" in diag.message


def test_schema_file_is_valid_and_documents_every_type() -> None:
    validators = records_schema.validators()
    assert set(validators) == {"work", "person", "profile"}


# --- RDF ----------------------------------------------------------------------------------------------------

TTL = b'@prefix ex: <http://example.org/> .\nex:a ex:name "A" .\nex:a ex:knows ex:b .\n'


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("a.ttl", TTL, "text/turtle"),
        ("a.nt", b'<http://example.org/a> <http://example.org/p> "x" .\n', "application/n-triples"),
        ("a.nq", b'<http://e.org/a> <http://e.org/p> "x" <http://e.org/g> .\n', "application/n-quads"),
        ("a.trig", b'@prefix ex: <http://e.org/> .\nex:g { ex:a ex:p "x" . }\n', "application/trig"),
        (
            "a.jsonld",
            b'{"@context": {"name": "http://schema.org/name"}, "@id": "http://e.org/a", "name": "x"}',
            "application/ld+json",
        ),
        (
            "a.rdf",
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="http://e.org/"><rdf:Description rdf:about="http://e.org/a"><ex:p>x</ex:p>'
            b"</rdf:Description></rdf:RDF>\n",
            "application/rdf+xml",
        ),
    ],
)
def test_rdf_formats_become_one_payload(name: str, data: bytes, media_type: str) -> None:
    result = run_source(data, "rdf", name=name)
    [payload] = result.rdf
    assert payload.media_type == media_type and payload.data == data
    assert payload.graph == "urn:kgpub:source:" + name
    assert payload.prov.line_start == 1 and payload.prov.source == name
    assert all(d.severity == "info" for d in result.diagnostics)


def test_manifest_graph_wins() -> None:
    result = run_source(TTL, "rdf", name="a.ttl", graph="https://example.org/graph/1")
    assert result.rdf[0].graph == "https://example.org/graph/1"


@pytest.mark.parametrize(
    ("name", "data", "code", "field", "line"),
    [
        (
            "r.jsonld",
            b'{\n"@context": "https://schema.org/",\n"name": "x"}',
            "rdf.jsonld.remote-context",
            "@context",
            2,
        ),
        (
            "r.jsonld",
            b'{"@context": [{"a": "http://e.org/a"}, "http://e.org/ctx"], "a": "x"}',
            "rdf.jsonld.remote-context",
            "@context",
            1,
        ),
        (
            "r.jsonld",
            b'{"@graph": [{"@context": {"@import": "http://e.org/c"}, "@id": "http://e.org/a"}]}',
            "rdf.jsonld.remote-context",
            "@context",
            1,
        ),
        (
            "x.rdf",
            b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<rdf:RDF '
            b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            "rdf.xml.dtd",
            "DOCTYPE",
            2,
        ),
        (
            "x.rdf",
            '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r SYSTEM "http://e.org/x.dtd">\n<r/>'.encode(
                "utf-16"
            ),
            "rdf.xml.dtd",
            "DOCTYPE",
            2,
        ),
        ("b.ttl", b'@prefix ex: <http://e.org/> .\nex:a ex:p "x" \nex:b .\n', "rdf.syntax", "syntax", 3),
        ("b.txt", b"just some words\n", "rdf.format.unknown", "format", 1),
    ],
)
def test_hostile_or_broken_rdf_is_refused(name: str, data: bytes, code: str, field: str, line: int) -> None:
    result = run_source(data, "rdf", name=name)
    assert result.rdf == []
    [diag] = [d for d in result.diagnostics if d.severity == "error"]
    assert (diag.code, diag.field, diag.line, diag.file) == (code, field, line, name)


def test_size_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    long_literal = b'@prefix ex: <http://e.org/> .\nex:a ex:p "' + b"x" * 200 + b'" .\n'
    monkeypatch.setattr(rdf_module, "MAX_LITERAL_CHARS", 100)
    [diag] = run_source(long_literal, "rdf", name="l.ttl").diagnostics
    assert (diag.code, diag.field, diag.line) == ("rdf.literal.too-long", "literal", 2)
    long_iri = b"<http://e.org/" + b"a" * 200 + b"> <http://e.org/p> <http://e.org/o> .\n"
    monkeypatch.setattr(rdf_module, "MAX_IRI_CHARS", 100)
    [diag] = run_source(long_iri, "rdf", name="l.nt").diagnostics
    assert (diag.code, diag.field, diag.line) == ("rdf.iri.too-long", "iri", 1)
    monkeypatch.setattr(rdf_module, "MAX_RDF_FILE_BYTES", 10)
    [diag] = run_source(TTL, "rdf", name="a.ttl").diagnostics
    assert (diag.code, diag.field) == ("rdf.file.too-large", "file")
    assert "MAX_RDF_FILE_BYTES" in diag.message
