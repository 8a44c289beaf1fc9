"""Incremental validation in `kgpub build`: after one source changes, the published report equals a
full validation of the same final data (result keys, messages and source attribution), the build
says it validated incrementally, a shapes change forces a full run, and an unchanged rebuild writes
nothing. Real builds of a generated corpus into temporary embedded stores."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.config import load_config
from kgpub.generator import generate
from kgpub.pipeline import BuildSummary, build
from kgpub.store import open_store
from kgpub.validation import validate_store, validation_graph
from kgpub.validation.engine import runner_for
from kgpub.validation.provenance import attach_sources
from kgpub.validation.published import SHAPES_DIGEST, read_published, shapes_digest

BASE = "http://localhost:8080/"
VGRAPH = validation_graph(BASE)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    generate(out, works=300, seed=3)
    return out


@pytest.fixture
def corpus(pristine: Path, tmp_path: Path) -> Path:
    shutil.copytree(pristine, tmp_path / "c")
    return tmp_path / "c"


def _build(corpus: Path, store: Path) -> BuildSummary:
    config = load_config(None, environ={}, overrides={"store": str(store), "base": BASE})
    return build([corpus], config=config, progress=False)


def _final_data(store_dir: Path) -> ox.Store:
    """The published data without the report graph: what a full validation of it reads."""
    db = open_store(str(store_dir)).db()  # type: ignore[attr-defined]
    mem = ox.Store()
    mem.extend(q for q in db.quads_for_pattern(None, None, None, None) if q.graph_name != ox.NamedNode(VGRAPH))
    return mem


def _rows(results) -> set[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return {(r.key, r.message, r.sources) for r in results}


_SHAPE = """PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?g (COUNT(DISTINCT ?rep) AS ?reports) (SAMPLE(?c) AS ?conforms) (COUNT(DISTINCT ?r) AS ?linked)
  (COUNT(?odd) AS ?others) WHERE { GRAPH ?g {
  { ?rep a sh:ValidationReport ; sh:conforms ?c } UNION { ?_rep sh:result ?r }
  UNION { ?s ?p ?o FILTER(!STRSTARTS(STR(?p), STR(sh:)) && ?p != rdf:type && ?p != rdf:first && ?p != rdf:rest
                          && ?p != <https://w3id.org/kgpub/ns#shapesDigest>) BIND(1 AS ?odd) } } }
GROUP BY ?g"""
_SHAPE = _SHAPE.replace("rdf:", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#").replace(
    "#type", "#type>").replace("#first", "#first>").replace("#rest", "#rest>")


def assert_report_is_full(store_dir: Path) -> None:
    data = _final_data(store_dir)
    published = read_published(open_store(str(store_dir)), VGRAPH)
    assert published.report is not None, published.problem
    full = validate_store(data)
    shape = next(iter(open_store(str(store_dir)).query(_SHAPE, substitutions={"g": ox.NamedNode(VGRAPH)})))
    assert (int(shape["reports"].value), int(shape["linked"].value)) == (1, len(published.report.results))
    assert int(shape["others"].value) == 0  # no statement beside the report, its results and the digest
    assert shape["conforms"].value == str(full_conforms := validate_store(data).conforms).lower(), full_conforms
    got = _rows(attach_sources(runner_for(data), published.report.results))
    want = _rows(full.results)
    assert got - want == set(), f"results published that a full validation does not give: {sorted(got - want)[:5]}"
    assert want - got == set(), f"results a full validation gives that were not published: {sorted(want - got)[:5]}"


# -- the edits --------------------------------------------------------------------------------------
def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _works_file(corpus: Path) -> Path:
    return corpus / "records" / "works-0000.jsonl"


def edit_title(corpus: Path) -> None:
    lines = _lines(_works_file(corpus))
    k = next(i for i, line in enumerate(lines) if '"title":"' in line)
    lines[k] = lines[k].replace('"title":"', '"title":"Revised: ', 1)
    _write(_works_file(corpus), lines)


def add_broken_record(corpus: Path) -> None:
    bad = {"type": "work", "id": "wbroken", "title": "", "authors": ["et al."], "doi": "not a doi",
           "arxiv_id": "99.bad", "date": "2025-02-30"}
    _write(_works_file(corpus), [*_lines(_works_file(corpus)), json.dumps(bad)])


def remove_source(corpus: Path) -> None:
    manifest = corpus / "kgpub.sources.toml"
    blocks = manifest.read_text(encoding="utf-8").split("[[source]]")
    kept = [b for b in blocks if "listings/" not in b]
    assert len(kept) < len(blocks)
    manifest.write_text("[[source]]".join(kept), encoding="utf-8")


def _a_work_with(corpus: Path, field: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in map(json.loads, _lines(_works_file(corpus))) if r.get("type") == "work" and r.get(field))


def duplicate_doi_elsewhere(corpus: Path) -> None:
    """A work in another source with the DOI of an existing work but its own arXiv id."""
    work = _a_work_with(corpus, "doi")
    twin = {"type": "work", "id": "wtwin", "title": "A different paper", "authors": ["Ada Twin"],
            "doi": work["doi"], "arxiv_id": "2401.99999", "date": "2024-01-05"}
    persons = corpus / "records" / "persons.jsonl"
    _write(persons, [*_lines(persons), json.dumps(twin)])


def change_profile_count(corpus: Path) -> None:
    lines = _lines(_works_file(corpus))
    k = next(i for i, line in enumerate(lines) if '"type":"profile"' in line)
    record = json.loads(lines[k])
    record["counts"]["works"] = 0 if record["counts"]["works"] > 1 else 40
    lines[k] = json.dumps(record)
    _write(_works_file(corpus), lines)
    for page in (corpus / "profiles").glob("*.txt"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("works\n", "1works\n", 1), encoding="utf-8")


def change_work_list(corpus: Path) -> None:
    """A person joins the byline of a work in another source (their work count changes)."""
    page = next((corpus / "profiles").glob("*.txt"))
    name = _lines(page)[2].strip()  # the profile page's person: their stated count is checked
    assert name
    feed = next((corpus / "feeds").glob("*.txt"))
    lines = _lines(feed)
    header = re.compile(r"^[0-9.]*[A-Z]{2}[A-Z][a-z]{2} [0-9]")  # "CRFeb 16, 2021": a byline follows
    k = next(
        i + 1 for i, line in enumerate(lines[:-1])
        if header.match(line) and name not in lines[i + 1] and not lines[i + 1].endswith("et al.")
    )
    lines[k] = lines[k] + ", " + name
    _write(feed, lines)


def organisation_as_author(corpus: Path) -> None:
    """A byline naming an organisation some other record holds (a join on the name literal)."""
    persons = map(json.loads, _lines(corpus / "records" / "persons.jsonl"))
    org = next(a for r in persons for a in r.get("affiliations", []))
    work = {"type": "work", "id": "worg", "title": "Work by an institute", "authors": [org, "Bo Person"],
            "date": "2023-03-01", "arxiv_id": "2303.00001"}
    _write(_works_file(corpus), [*_lines(_works_file(corpus)), json.dumps(work)])


def remove_person(corpus: Path) -> None:
    persons = corpus / "records" / "persons.jsonl"
    lines = _lines(persons)
    _write(persons, lines[1:])


EDITS: dict[str, Callable[[Path], None]] = {
    "title": edit_title,
    "broken-record": add_broken_record,
    "remove-source": remove_source,
    "duplicate-doi": duplicate_doi_elsewhere,
    "profile-count": change_profile_count,
    "work-list": change_work_list,
    "organisation-author": organisation_as_author,
    "remove-person": remove_person,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rebuild_after_one_edit_publishes_the_full_report(corpus: Path, tmp_path: Path, edit: str) -> None:
    store = tmp_path / "store"
    first = _build(corpus, store)
    assert any("validation: full" in n for n in first.notes)
    EDITS[edit](corpus)
    second = _build(corpus, store)
    assert second.graphs_written + second.graphs_removed > 0
    assert any(n.startswith("validation: incremental") for n in second.notes), second.notes
    assert_report_is_full(store)
    counts = read_published(open_store(str(store)), VGRAPH).report.counts()  # type: ignore[union-attr]
    assert {k: v for k, v in counts.items() if v} == dict(second.validation)


def test_edits_one_after_another_stay_equal_to_full(corpus: Path, tmp_path: Path) -> None:
    """Merges accumulate: each rebuild merges into a report that was itself merged."""
    store = tmp_path / "store"
    _build(corpus, store)
    for name in sorted(EDITS, key=lambda n: (n == "remove-source", n)):  # the listing goes last
        EDITS[name](corpus)
        summary = _build(corpus, store)
        assert any(n.startswith("validation: incremental") for n in summary.notes), (name, summary.notes)
        assert_report_is_full(store)


def test_focus_follows_the_change_not_the_graph(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    _build(corpus, store)
    edit_title(corpus)
    summary = _build(corpus, store)
    note = next(n for n in summary.notes if n.startswith("validation: incremental"))
    focus = int(note.split(", ")[1].split()[0])
    works = summary.entities.get("work", summary.entities.get("works", 0))
    assert 0 < focus < 10 < works, note


def test_unchanged_rebuild_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    _build(corpus, store)
    before = open_store(str(store)).snapshot_id  # type: ignore[attr-defined]
    again = _build(corpus, store)
    assert again.graphs_written == again.graphs_removed == 0
    assert open_store(str(store)).snapshot_id == before  # type: ignore[attr-defined]
    assert any("nothing written" in n for n in again.notes)


def _record_digest(store_dir: Path, value: str) -> None:
    """Make the published report look as if other shapes had made it (its recorded digest)."""
    store = open_store(str(store_dir))
    text = "".join(
        f"{t.subject} {t.predicate} {t.object} .\n"
        for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH $g { ?s ?p ?o } }",
                             substitutions={"g": ox.NamedNode(VGRAPH)})
        if t.predicate != SHAPES_DIGEST
    ) + f"<{VGRAPH}> {SHAPES_DIGEST} {ox.Literal(value)} .\n"
    store.replace_graphs({VGRAPH: text}, {VGRAPH: "other"})


def test_shapes_change_forces_a_full_validation(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    _build(corpus, store)
    _record_digest(store, "0" * 64)
    unchanged_sources = _build(corpus, store)  # no source changed, but the report is stale
    assert any("validation: full (the shapes" in n for n in unchanged_sources.notes), unchanged_sources.notes
    assert read_published(open_store(str(store)), VGRAPH).digest == shapes_digest()
    _record_digest(store, "1" * 64)
    edit_title(corpus)
    edited = _build(corpus, store)
    assert any("validation: full (the shapes" in n for n in edited.notes), edited.notes
    assert_report_is_full(store)


def test_shapes_digest_covers_every_shapes_file(tmp_path: Path) -> None:
    from kgpub.project import data_dir

    shutil.copytree(data_dir("shapes"), tmp_path / "shapes")
    before = shapes_digest(tmp_path / "shapes")
    assert before == shapes_digest(data_dir("shapes"))
    work = tmp_path / "shapes" / "work.ttl"
    work.write_text(work.read_text(encoding="utf-8").replace("sh:minLength 1", "sh:minLength 2", 1), encoding="utf-8")
    assert shapes_digest(tmp_path / "shapes") != before


def test_a_build_too_large_for_memory_validates_on_disk_with_the_same_results(corpus: Path, tmp_path: Path) -> None:
    """validation_memory_statements = 0: every full validation runs on the build's own snapshot."""
    in_memory = _build(corpus, tmp_path / "mem")
    config = load_config(None, environ={}, overrides={"store": str(tmp_path / "disk"), "base": BASE,
                                                      "validation_memory_statements": 0})
    on_disk = build([corpus], config=config, progress=False)
    assert any("on disk" in n for n in on_disk.notes) and not any("on disk" in n for n in in_memory.notes)
    assert on_disk.validation == in_memory.validation and on_disk.validation["Violation"] > 0
    assert_report_is_full(tmp_path / "disk")
    add_broken_record(corpus)  # a rebuild of the on-disk-validated store still validates incrementally
    again = build([corpus], config=config, progress=False)
    assert any("incremental" in n for n in again.notes)
    assert_report_is_full(tmp_path / "disk")
