"""Reconciliation on hand-built records that reproduce the seed situations."""

from __future__ import annotations

import random

from kgpub.identity import abstract_digest, hash_key
from kgpub.names import compatible, name_key, parse_name
from kgpub.reconcile import reconcile
from kgpub.records import ParseResult, PartialDate, Provenance, SourceDoc, WorkRecord

from .builders import FEED_TITLE_4, OWNER, TITLES, abstract, all_results, feed, listing, member_records, profile


def _entity_for(rec, n):
    digest = abstract_digest(abstract(n))
    results = all_results()
    found = [
        w for w in rec.works
        if any(x.abstract and abstract_digest(x.abstract) == digest for _, x in member_records(w, results))
    ]
    assert len(found) == 1
    return found[0]


def test_distinct_works_and_overlaps():
    rec = reconcile(all_results())
    assert len(rec.works) == 10
    multi = [w for w in rec.works if len({name for name, _ in w.members}) > 1]
    assert len(multi) == 5
    assert {len(w.members) for w in multi} == {2, 3}


def test_identical_abstract_after_whitespace_merges_and_strongest_key_survives():
    rec = reconcile(all_results())
    w1 = _entity_for(rec, 1)
    assert sorted(name for name, _ in w1.members) == ["listing.txt", "profile.txt"]
    assert w1.identity.identifier == "doi:10.1109/iccad.2019.1"  # DOI beats arXiv id beats abstract
    # the profile record's own abstract-keyed IRI, and the arXiv-keyed IRI the listing record would
    # have had without its DOI: both stay valid as redirects
    assert w1.redirect_keys == sorted(
        [hash_key("abstract:" + abstract_digest(abstract(1))), hash_key("arxiv:2301.00001")]
    )
    w30 = _entity_for(rec, 30)
    assert w30.identity.identifier == "arxiv:2303.00030"


def test_conflicting_titles_are_reported_per_source():
    rec = reconcile(all_results())
    w4 = _entity_for(rec, 4)
    conflicts = [c for c in rec.conflicts if c.entity == w4.key]
    assert [c.field for c in conflicts] == ["title"]
    values = dict(conflicts[0].values)
    assert values == {FEED_TITLE_4: ("feed.txt",), TITLES[4]: ("profile.txt",)}


def test_date_conflict_only_when_dates_disagree():
    doc_a = SourceDoc("a", "a.txt", "0" * 64, "records")
    doc_b = SourceDoc("b", "b.txt", "1" * 64, "records")
    prov = Provenance("a.txt", "0" * 64, 1, 1)

    def result(doc, date, title="T"):
        return ParseResult(
            doc, works=[WorkRecord("w", prov, title=title, doi="10.1/X", date=date, date_role="published")]
        )

    coarse = reconcile([result(doc_a, PartialDate(2022)), result(doc_b, PartialDate(2022, 5, 3))])
    assert coarse.conflicts == []
    clash = reconcile([result(doc_a, PartialDate(2022, 5)), result(doc_b, PartialDate(2022, 6), "T ")])
    assert [c.field for c in clash.conflicts] == ["date:published"]
    assert len(clash.works) == 1


def test_similar_titles_only_propose_a_merge():
    rec = reconcile(all_results())
    assert len(rec.works) == 10  # not merged
    [cand] = rec.candidates
    assert {cand.left_title, cand.right_title} == {TITLES[5], TITLES[70]}
    assert cand.similarity >= 0.85
    assert {cand.left, cand.right} == {_entity_for(rec, 5).key, _entity_for(rec, 70).key}


def test_person_names_normalise_and_ambiguous_names_are_reported():
    rec = reconcile(all_results())
    owner = rec.persons.for_name(OWNER)
    assert owner is not None
    for variant in ("Marta Ostrowska-Nuñez", "Ostrowska-Nunez, Marta", "MARTA OSTROWSKA NUNEZ"):
        assert rec.persons.for_name(variant) is owner
    assert owner.identity.identifier == "profile:https://example.org/r/marta"  # profile URL beats a name
    assert rec.persons.for_name("Ana Gomez") is rec.persons.for_name("Ana Gómez")
    assert rec.persons.for_name("Lee, Marta") is not owner
    suhs = {rec.persons.for_name(n).key for n in ("G. Suh", "G. Edward Suh", "Gang Suh")}
    assert len(suhs) == 3  # not merged silently …
    reported = [a for a in rec.ambiguities if set(a.persons) == suhs]
    assert len(reported) == 1  # … but reported together
    assert rec.persons.for_name("et al.") is None


def test_name_parsing():
    assert name_key("Lee, Hsien-Hsin S.") == name_key("Hsien-Hsin S Lee") == "hsien hsin s lee"
    assert parse_name("Ludwig van Beethoven").family == "van beethoven"
    assert name_key("Smith, Jr., John") != ""
    assert compatible(parse_name("H.-H. S. Lee"), parse_name("Hsien-Hsin Sean Lee"))
    assert not compatible(parse_name("Gang Suh"), parse_name("Gil Suh"))
    assert not compatible(parse_name("G. Suh"), parse_name("G. Sun"))


def test_listing_subject_is_author_of_every_listing_work():
    rec = reconcile(all_results())
    owner = rec.persons.for_name(OWNER)
    listing_works = {rec.work_of("listing.txt", w.local_id).key for w in listing().works}
    derived = {w for w, p, src in rec.derived_authors if p == owner.key and src == "listing.txt"}
    assert derived == listing_works


def test_order_independent():
    base = reconcile(all_results())
    for seed in range(3):
        shuffled = [profile(), listing(), feed()]
        random.Random(seed).shuffle(shuffled)
        for r in shuffled:
            random.Random(seed).shuffle(r.works)
        again = reconcile(shuffled)
        assert [w.key for w in again.works] == [w.key for w in base.works]
        assert again.redirects == base.redirects
        assert sorted(p.key for p in again.persons.entities) == sorted(p.key for p in base.persons.entities)
        assert again.conflicts == base.conflicts and again.candidates == base.candidates


def test_adding_a_source_keeps_published_iris():
    before = reconcile([profile(), feed()])
    after = reconcile(all_results())
    survivors = {w.key for w in after.works}
    redirects = {k for (kind, k) in after.redirects if kind == "work"}
    for w in before.works:  # every IRI published before still resolves: as itself or as a redirect
        assert w.key in survivors | redirects
    for p in before.persons.entities:
        assert p.key in {q.key for q in after.persons.entities} | {k for (kind, k) in after.redirects}


def test_titles_left_out_of_the_candidate_search_are_counted_in_a_note():
    doc = SourceDoc("r", "r.jsonl", "2" * 64, "records")

    def works(titles: list[str]) -> ParseResult:
        return ParseResult(
            doc,
            works=[WorkRecord(f"w{i}", Provenance("r.jsonl", "2" * 64, i, i), title=t) for i, t in enumerate(titles)],
        )

    # every title's words are shared by all 250 titles (> MAX_BLOCK): no block is small enough
    crowded = reconcile([works([f"deep graph learning study {i}" for i in range(250)])])
    [note] = [n for n in crowded.notes if n.startswith("merge candidates:")]
    assert note.startswith("merge candidates: 250 of 250 titles were not compared")
    few = reconcile([works([f"deep graph learning study {i}" for i in range(20)])])
    assert not [n for n in few.notes if n.startswith("merge candidates:")]
    assert len(few.candidates) > 0  # the small block was compared


def test_the_build_summary_carries_what_reconcile_and_mapping_noted(tmp_path):
    import json

    from kgpub.config import load_config
    from kgpub.pipeline import build

    lines = [{"type": "work", "id": f"w{i}", "title": f"deep graph learning study {i}"} for i in range(250)]
    (tmp_path / "works.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    config = load_config(overrides={"store": str(tmp_path / "store")})
    summary = build([tmp_path / "works.jsonl"], config=config, progress=False)
    assert any(n.startswith("merge candidates: 250 of 250") for n in summary.mapping_notes)
    assert "note: merge candidates: 250 of 250" in summary.to_text()
