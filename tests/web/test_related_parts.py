"""Related works computed by the build (kgpub.related, a part of the snapshot's summary) are the
ones the live queries of the work page find, work for work, titles included: on the seed graph and
on a corpus made to reach every branch of the rule (authors past the window bound, statements
repeated in several graphs, blank-node works, works without a title or with several, topics with
more works than the rows read). A work page shows the stored list, and falls back to the queries
when the snapshot has none."""

from __future__ import annotations

import random
import shutil
from array import array
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub import packed, summary, summary_files
from kgpub.related import CO_WORKS_PER_AUTHOR, SHOWN, TOPIC_ROWS
from kgpub.store import EmbeddedStore
from kgpub.web import create_app, get_store
from kgpub.web.render.work import live_related_works, related_works
from tests.web.conftest import BASE, build_store

S = "http://schema.org/"
ID = BASE + "id/"
WORKS = "SELECT DISTINCT ?w WHERE { { ?w <http://schema.org/author> ?x } UNION { ?w <http://schema.org/about> ?x } }"


def _quad(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal, graph: int) -> ox.Quad:
    return ox.Quad(s, ox.NamedNode(S + p), o, ox.NamedNode(f"{BASE}graph/source/g{graph}"))


def corpus(seed: int) -> list[ox.Quad]:
    """Works by a few prolific authors (more works than the window) and many rare ones, some
    statements in two graphs, blank-node works, missing and conflicting titles, odd characters."""
    rnd = random.Random(seed)
    hubs = [ox.NamedNode(f"{ID}person/hub{i}") for i in range(3)]
    rare = [ox.NamedNode(f"{ID}person/p{i}") for i in range(60)]
    topics = [ox.NamedNode(f"https://w3id.org/kgpub/arxiv/cs.{c}") for c in ("LG", "AR", "CR", "DB")]
    quads = []
    for i in range(2 * CO_WORKS_PER_AUTHOR + 150):
        work: ox.NamedNode | ox.BlankNode = ox.NamedNode(f"{ID}work/w{rnd.randrange(10**6):06d}-{i}" +
                                                         ("é" if i % 37 == 0 else ""))  # fmt: skip
        if i % 53 == 0:
            work = ox.BlankNode(f"b{i}")
        graph = rnd.randrange(3)
        authors = rnd.sample(rare, rnd.choice((0, 1, 1, 2, 3)))
        authors += [h for k, h in enumerate(hubs) if rnd.random() < (0.9, 0.5, 0.25)[k]]
        for a in authors:
            quads.append(_quad(work, "author", a, graph))
            if rnd.random() < 0.1:  # the same statement from a second source
                quads.append(_quad(work, "author", a, graph + 1))
        for t in rnd.sample(topics, rnd.choice((0, 1, 2))):
            quads.append(_quad(work, "about", t, graph))
            if rnd.random() < 0.1:
                quads.append(_quad(work, "about", t, graph + 1))
        if i % 41 == 0:
            quads.append(_quad(work, "about", ox.Literal("a topic as text"), graph))
        names = rnd.choice(([], [f"Work {i}"], [f"Work {i}"], [f'Zeta "{i}",\ttab\nline', f"Alpha {i} ü"]))
        quads += [_quad(work, "name", ox.Literal(n), graph + k) for k, n in enumerate(names)]
    solo, rare_topic = ox.NamedNode(f"{ID}person/solo"), ox.NamedNode("https://w3id.org/kgpub/arxiv/cs.OS")
    for i in range(3):  # short lists: two co-works, then a topic of few works
        work = ox.NamedNode(f"{ID}work/solo{i}")
        quads += [_quad(work, "author", solo, 0), _quad(work, "about", rare_topic, 1)]
    quads.append(_quad(ox.NamedNode(f"{ID}work/topic-only"), "about", rare_topic, 2))
    return quads


def _compare(folder: Path) -> int:
    """Every work's related works from the part against the live queries (and a work the store
    does not hold); returns how many works have some."""
    store = EmbeddedStore(folder)
    part = summary_files.load(store, store.snapshot_id, "related", BASE)
    assert part is not None, "no related-works part beside the snapshot"
    app = create_app({"store": str(folder), "base": BASE})
    works = sorted(r["w"].value for r in store.query(WORKS) if isinstance(r["w"], ox.NamedNode))
    with app.test_request_context("/"):
        web = get_store(app)
        with_some = 0
        for w in [*works, ID + "work/not-there"]:
            live = [(link.iri, link.label) for link in live_related_works(web, w)]
            stored = [(link.iri, link.label) for link in related_works(web, w)]
            assert stored == live, w
            with_some += bool(live)
    return with_some


def test_the_seed_graph_s_related_works_are_the_live_ones(seed_store_dir: Path) -> None:
    assert _compare(seed_store_dir) > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_every_branch_of_the_rule_matches_the_live_queries(tmp_path: Path, seed: int) -> None:
    quads = corpus(seed)
    store = build_store(tmp_path / "s", quads)
    summary.write(store, BASE)
    part = summary_files.load(store, store.snapshot_id, "related", BASE)
    assert part is not None
    # the corpus reaches what the rule distinguishes: full lists, short ones, untitled works
    counts = [part["ends"][i] - (part["ends"][i - 1] if i else 0) for i in range(len(part["works"]))]
    assert SHOWN in counts and any(0 < c < SHOWN for c in counts)
    assert len(part["untitled"]) > 0
    assert sum(1 for q in quads if q.object == ox.NamedNode(ID + "person/hub0")) > CO_WORKS_PER_AUTHOR
    assert max(sum(1 for q in quads if q.object == t) for t in {q.object for q in quads
               if q.predicate.value == S + "about"}) > TOPIC_ROWS  # fmt: skip
    assert _compare(tmp_path / "s") > len(part["works"]) // 2


def test_a_work_page_shows_the_stored_list_and_falls_back_without_one(tmp_path: Path) -> None:
    store = build_store(tmp_path / "s", corpus(3))
    client = create_app({"store": str(tmp_path / "s"), "base": BASE}).test_client()
    work = next(w for w in summary.related_works(store)["works"] if w.startswith(ID + "work/w") and "é" not in w)
    path = "/id/work/" + work.rsplit("/", 1)[1] + ".html"
    first = client.get(path).get_data(as_text=True)  # no part yet: the live queries
    summary.write(store, BASE)
    file = summary_files.location(store, "related")
    assert file is not None and file.is_file()
    assert client.get(path).get_data(as_text=True) == first, "the part gives the page the live queries gave"
    # the page reads the part once it exists: a title changed in the file only shows
    header, fields = packed.read(file)
    i = list(fields["works"]).index(work)
    shown = fields["related"][fields["ends"][i - 1] if i else 0]
    titles = list(fields["titles"])
    titles[shown] = "Only in the stored part"
    untitled = [j for j in fields["untitled"] if j != shown]
    fields.update(titles=packed.Strings.of(titles), untitled=array("I", untitled))
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "s", copy, symlinks=True)
    (summary_files.location(EmbeddedStore(copy), "related")).write_bytes(packed.dump(header, fields))  # type: ignore[union-attr]
    html = create_app({"store": str(copy), "base": BASE}).test_client().get(path).get_data(as_text=True)
    assert "Only in the stored part" in html and "Only in the stored part" not in first
