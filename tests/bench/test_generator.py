"""The synthetic corpus: deterministic, counted right, and in the formats the seeds show."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from kgpub.generate import main
from kgpub.generator import generate
from kgpub.generator.corpus import CHUNK, chunks
from kgpub.generator.world import World, person
from kgpub.sources.detect import detect_kind
from kgpub.sources.manifest import read_manifest

from .conftest import SEEDS
from .formats import (
    ARXIV_ID,
    ARXIV_LINE,
    CREATED,
    FEED_HEADER,
    PROFILE_BLOCK,
    feed_items,
    listing_blocks,
    profile_blocks,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("corpus"), 2500, seed=7, broken_rate=0.01)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("clean"), 2500, seed=3, broken_rate=0.0)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = _digest(generate(tmp_path / "a", 1200, seed=11).out_dir)
    b = _digest(generate(tmp_path / "b", 1200, seed=11).out_dir)
    c = _digest(generate(tmp_path / "c", 1200, seed=12).out_dir)
    assert a == b
    assert len(a) > 10
    assert a["records/works-0000.jsonl"] != c["records/works-0000.jsonl"]


def test_manifest_lists_exactly_the_written_sources(corpus) -> None:  # type: ignore[no-untyped-def]
    manifest = read_manifest(corpus.manifest)
    assert [(s.name, s.kind) for s in manifest.sources] == corpus.files
    on_disk = {p.relative_to(corpus.out_dir).as_posix() for p in corpus.out_dir.rglob("*") if p.is_file()}
    assert on_disk == {rel for rel, _ in corpus.files} | {"kgpub.sources.toml", "ground-truth.json"}
    for spec in manifest.sources:
        assert spec.captured == dt.date(2026, 11, 21)
        assert (spec.subject is not None) == (spec.kind == "arxiv-listing")
        assert detect_kind(spec.path, spec.path.read_bytes()) == spec.kind
    assert json.loads(corpus.truth.read_text()) == json.loads(json.dumps(corpus.to_json()))


def _appearances(corpus) -> tuple[Counter[str], dict[str, set[str]], list[tuple[str, int, str]]]:  # type: ignore[no-untyped-def]
    """Read every written file back: items per kind, files per abstract, and the defects seen."""
    items: Counter[str] = Counter()
    files_of: dict[str, set[str]] = {}
    defects: list[tuple[str, int, str]] = []
    for rel, kind in corpus.files:
        text = (corpus.out_dir / rel).read_text(encoding="utf-8")
        abstracts: list[str] = []
        if kind == "feed":
            for n, (header, _byline, abstract) in feed_items(text):
                m = FEED_HEADER.match(header)
                assert m, f"{rel}:{n}: bad feed header {header!r}"
                date = m["date"] if "," in m["date"] else f"{m['date']}, 2026"
                mon, day, year = date.replace(",", "").split()
                try:
                    dt.date(int(year), MONTHS.index(mon) + 1, int(day))
                except ValueError:
                    defects.append((rel, n, "feed.bad-date"))
                abstracts.append(abstract)
                items[kind] += 1
        elif kind == "profile":
            claimed, blocks = profile_blocks(text)
            assert claimed == len(blocks)
            for b in blocks:
                if b["abstract"] is None:
                    defects.append((rel, int(str(b["start"])), "profile.truncated-block"))
                else:
                    abstracts.append(str(b["abstract"]))
                items[kind] += 1
        elif kind == "arxiv-listing":
            for b in listing_blocks(text):
                m = ARXIV_LINE.match(str(b["ident"]))
                assert m, b["ident"]
                if not ARXIV_ID.match(m["id"]):
                    defects.append((rel, int(str(b["start"])), "listing.bad-arxiv-id"))
                if b["created"] is None:
                    defects.append((rel, int(str(b["start"])), "listing.truncated-block"))
                abstracts.append(str(b["abstract"]))
                items[kind] += 1
        else:
            for n, line in enumerate(text.splitlines(), 1):
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    defects.append((rel, n, "records.truncated-line"))
                    items[kind] += 1
                    continue
                if obj["type"] != "work":
                    continue
                items[kind] += 1
                abstracts.append(obj["abstract"])
                if "arxiv_id" in obj and not ARXIV_ID.match(obj["arxiv_id"]):
                    defects.append((rel, n, "records.bad-arxiv-id"))
                try:
                    dt.date.fromisoformat(obj["date"])
                except ValueError:
                    defects.append((rel, n, "records.bad-date"))
        for a in abstracts:
            files_of.setdefault(a, set()).add(rel)
    return items, files_of, defects


def test_clean_corpus_counts_match_what_was_written(clean) -> None:  # type: ignore[no-untyped-def]
    items, files_of, defects = _appearances(clean)
    assert defects == [] and clean.broken == []
    assert items == clean.appearances
    assert len(files_of) == clean.works == 2500  # one abstract per distinct work, identical across files
    assert sum(1 for files in files_of.values() if len(files) > 1) == clean.repeated
    assert 0.03 * clean.works < clean.repeated < 0.2 * clean.works
    persons = [
        json.loads(line)
        for rel, kind in clean.files
        if kind == "records"
        for line in (clean.out_dir / rel).read_text(encoding="utf-8").splitlines()
    ]
    persons = [p for p in persons if p["type"] == "person"]
    assert len(persons) == clean.persons
    assert len({p["id"] for p in persons}) == clean.persons  # each person written once


def test_records_profiles_refer_to_lines_of_their_own_file(clean) -> None:  # type: ignore[no-untyped-def]
    snapshots = 0
    for rel, kind in clean.files:
        if kind != "records":
            continue
        lines = [json.loads(line) for line in (clean.out_dir / rel).read_text(encoding="utf-8").splitlines()]
        ids = {(o["type"], o["id"]) for o in lines}
        assert len(ids) == len(lines)  # ids unique per type within the file
        for o in lines:
            assert None not in o.values()  # absent fields are left out, never null
            if o["type"] == "profile":
                snapshots += 1
                assert ("person", o["person"]) in ids
                assert o["works"] and all(("work", w) in ids for w in o["works"])
    assert snapshots == clean.profiles - sum(1 for _, k in clean.files if k == "profile") > 0


def test_records_follow_the_records_schema_when_it_is_present(clean) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    from kgpub.project import data_dir

    schema_file = data_dir("mappings") / "records.schema.json"
    if not schema_file.is_file():
        pytest.skip("mappings/records.schema.json is not on this branch yet")
    validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    for rel, kind in clean.files:
        if kind == "records":
            for n, line in enumerate((clean.out_dir / rel).read_text(encoding="utf-8").splitlines(), 1):
                errors = [e.message for e in validator.iter_errors(json.loads(line))]
                assert not errors, f"{rel}:{n}: {errors[:2]}"


def test_every_defect_is_in_the_ground_truth_and_nowhere_else(corpus) -> None:  # type: ignore[no-untyped-def]
    items, _files_of, defects = _appearances(corpus)
    assert items == corpus.appearances
    truth = sorted((b.file, b.line, b.defect) for b in corpus.broken)
    assert sorted(defects) == truth
    assert len({d for _, _, d in truth}) >= 4  # several kinds of damage, not one


def test_feed_items_follow_the_seed_rules(corpus) -> None:  # type: ignore[no-untyped-def]
    seed = feed_items((SEEDS / "002_0a1e0ee302e8cf04.txt").read_text(encoding="utf-8"))
    assert all(FEED_HEADER.match(lines[0]) for _, lines in seed)  # the rule holds for the real feed
    flags: Counter[str] = Counter()
    known = {person(corpus.seed, i).name for i in range(World(corpus.works, corpus.seed).persons)}
    for rel, kind in corpus.files:
        if kind != "feed":
            continue
        for _, (header, byline, _abstract) in feed_items((corpus.out_dir / rel).read_text(encoding="utf-8")):
            m = FEED_HEADER.match(header)
            assert m
            flags.update(k for k in ("score", "flag") if m[k])
            flags["no-year"] += "," not in m["date"]
            body = byline.split(" · ")[0]
            flags["et-al"] += body.endswith(" et al.")
            printed = body.removesuffix(" et al.")
            assert any(printed.endswith(n) for n in known), byline  # the byline ends in a person's name
            assert "et al." not in body.removesuffix(" et al.")  # "et al." is never a name
            flags["org"] += " · " in byline
    assert all(flags[k] > 0 for k in ("score", "flag", "no-year", "et-al", "org")), flags


def test_profile_and_listing_blocks_follow_the_seed_rules(corpus) -> None:  # type: ignore[no-untyped-def]
    claimed, blocks = profile_blocks((SEEDS / "000_7d670b394354372b.txt").read_text(encoding="utf-8"))
    assert claimed == len(blocks) == 6
    assert all(b["abstract"] for b in blocks)
    seed_listing = listing_blocks((SEEDS / "001_b920d80493c3ff62.txt").read_text(encoding="utf-8"))
    assert len(seed_listing) == 7 and all(CREATED.match(str(b["created"])) for b in seed_listing)
    for rel, kind in corpus.files:
        if kind == "profile":
            text = (corpus.out_dir / rel).read_text(encoding="utf-8")
            assert text.startswith("Researcher profile\n\n")
            for b in profile_blocks(text)[1]:
                assert PROFILE_BLOCK.match(str(b["header"]))


def test_names_have_the_shapes_real_bylines_have() -> None:
    names = [person(5, i).name for i in range(3000)]
    assert any("-" in n.split()[0] for n in names)  # hyphenated given name
    assert any(any(p in n.split() for p in ("van", "de", "von", "da")) for n in names)  # particles
    assert any("'" in n for n in names)
    assert any(not n.isascii() for n in names)
    assert any(len(part) == 2 and part.endswith(".") for n in names for part in n.split())  # initials
    assert person(5, 42) == person(5, 42)


def test_authorship_is_power_law() -> None:
    world = World(20000, seed=1)
    per_person: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    for w in world.iter_works():
        per_person.update(w.authors)
        sizes[len(w.authors)] += 1
        assert len(set(w.authors)) == len(w.authors)
    assert set(sizes) == set(range(1, 13))
    assert sizes[2] > sizes[5] > sizes[12]
    productivity = Counter(per_person.values())
    assert productivity[1] > productivity[2] > productivity[5]  # most persons author few works
    top = per_person.most_common(1)[0][1]
    assert 20 < top < 0.02 * sum(per_person.values())  # a few are prolific, none dominates


def test_works_stream_and_memory_stays_bounded(tmp_path: Path) -> None:
    world = World(10, seed=0)
    assert inspect.isgenerator(world.iter_works())
    assert inspect.isgenerator(chunks(World(2500, seed=0)))
    assert [len(c) for c in chunks(World(2500, seed=0))] == [CHUNK, CHUNK, 500]
    peaks = []
    for n in (2000, 8000):
        tracemalloc.start()
        generate(tmp_path / str(n), n, seed=2)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0]  # four times the works, about the same peak


def test_command_line_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out"), "--works", "300", "--seed", "4"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["works"] == 300
    assert report == {
        **json.loads((tmp_path / "out" / "ground-truth.json").read_text()),
        "broken": report["broken"],
    }
    with pytest.raises(SystemExit):
        main([str(tmp_path / "bad"), "--works", "0"])
