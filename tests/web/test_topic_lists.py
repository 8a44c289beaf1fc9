"""Topic pages list a topic's works from the snapshot's topic lists (kgpub.summary.topics, written
by the build): the same works in the same order as the SPARQL definition they replace (newest
date of the three date properties first, undated last, then IRI), paged 50 at a time."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from kgpub import summary_files
from kgpub.config import load_config
from kgpub.generator import generate
from kgpub.pipeline import build
from kgpub.store import open_store
from kgpub.web import create_app

BASE = "http://localhost:8080/"
# the per-request query topic pages ran before (ordering and dates are what the lists must keep)
TOPIC_WORKS = """PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#>
SELECT $e ?w (MAX(STR(?d)) AS ?date) WHERE { ?w schema:about $e
  OPTIONAL { { ?w schema:datePublished ?d } UNION { ?w schema:dateCreated ?d } UNION { ?w kgpub:dateListed ?d } } }
GROUP BY $e ?w ORDER BY DESC(?date) ?w"""
TITLES = "SELECT $w ?t WHERE { $w <http://schema.org/name> ?t }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("topics")
    generate(root / "corpus", works=400, seed=5)
    config = load_config(None, environ={}, overrides={"store": str(root / "store"), "base": BASE})
    build([root / "corpus"], config=config, progress=False)
    return root / "store"


def test_every_topic_list_matches_the_sparql_definition(built: Path) -> None:
    store = open_store(str(built))
    part = summary_files.load(store, store.snapshot_id, "topics", BASE)  # type: ignore[attr-defined]
    assert part is not None, "the build wrote no topic lists"
    assert list(part["topics"]) == sorted(part["topics"]) and len(part["topics"]) > 5
    start = 0
    for at, topic in enumerate(part["topics"]):
        end = part["ends"][at]
        got = [(part["works"][i], part["dates"][i] or None, part["titles"][i]) for i in part["members"][start:end]]
        start = end
        rows = list(store.query(TOPIC_WORKS, substitutions={"e": ox.NamedNode(topic)}))
        want = [(r["w"].value, r["date"].value if r["date"] is not None else None) for r in rows]
        assert [(w, d) for w, d, _ in got] == want, topic
        for w, _, title in got:
            names = sorted(r["t"].value for r in store.query(TITLES, substitutions={"w": ox.NamedNode(w)}))
            assert title == (names[0] if names else ""), w


def test_a_topic_page_shows_its_works_fifty_a_page(built: Path) -> None:
    store = open_store(str(built))
    part = summary_files.load(store, store.snapshot_id, "topics", BASE)  # type: ignore[attr-defined]
    assert part is not None
    sizes = [part["ends"][i] - (part["ends"][i - 1] if i else 0) for i in range(len(part["topics"]))]
    at = max(range(len(sizes)), key=sizes.__getitem__)
    topic, total = part["topics"][at], sizes[at]
    assert total > 50, "the corpus needs a topic with more than one page"
    first = part["ends"][at - 1] if at else 0
    client: FlaskClient = create_app({"store": str(built), "base": BASE}).test_client()
    path = "/id/topic/" + topic.rsplit("/", 1)[-1]
    for page in (1, 2):
        html = client.get(f"{path}.html?page={page}").get_data(as_text=True)
        assert f'<span class="count">{total}</span>' in html
        html = html.split('<ol class="worklist">', 1)[1].split("</ol>", 1)[0]
        expected = [part["works"][i] for i in part["members"][first + 50 * (page - 1) : first + min(total, 50 * page)]]
        positions = [html.find(w.rsplit("/", 1)[-1]) for w in expected]
        assert html.count("<li>") == len(expected)
        assert all(p >= 0 for p in positions), "a work of this page is missing"
        assert positions == sorted(positions), "works out of order"
