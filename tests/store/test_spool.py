"""The build's spool: graph texts on disk must digest, read back and load exactly as the texts would."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgpub.mapping.spool import GraphSpool, lines_digest, spooled
from kgpub.pipeline import digest
from kgpub.store import EmbeddedStore, snapshot
from tests.store.store_data import TRICKY, canonical, graph_iri, ntriples, quads_of, work_triples

EX = "http://example.org/"
_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_iri = st.builds(lambda s: ox.NamedNode(EX + s), st.text("abcé0/-_", max_size=8))
_subject = _iri | st.builds(lambda s: ox.BlankNode("b" + s), st.text("ab12", max_size=4))
_literal = (
    st.builds(ox.Literal, _text)
    | st.builds(lambda v, lang: ox.Literal(v, language=lang), _text, st.sampled_from(["en", "en-gb", "de"]))
    | st.builds(lambda v, dt: ox.Literal(v, datatype=dt), _text, _iri)
)
_triple = st.builds(ox.Triple, _subject, _iri, _iri | _literal | _subject)


def _lines(triples: list[ox.Triple]) -> list[str]:
    """Statements as the mapping holds them: one N-Triples line each, without the final `` .``."""
    return [line[:-2] for line in ntriples(triples).split("\n") if line]


def _text_of(lines: list[str]) -> str:
    return "".join(f"{line} .\n" for line in lines)


@given(st.lists(_triple, max_size=30))
def test_lines_digest_is_the_digest_of_the_text(triples: list[ox.Triple]) -> None:
    lines = _lines(triples)
    assert lines_digest(lines) == digest(_text_of(lines))


@given(st.lists(st.lists(_triple, max_size=10), min_size=1, max_size=4))
def test_a_graph_added_to_several_times_reads_and_digests_as_its_whole_text(
    tmp_path_factory: pytest.TempPathFactory, parts: list[list[ox.Triple]]
) -> None:
    spool = GraphSpool(tmp_path_factory.mktemp("spool"))
    whole: list[str] = []
    for part in parts:
        spool.add(EX + "g", _lines(part))
        whole.extend(_lines(part))
    text = _text_of(whole)
    assert spool[EX + "g"] == text
    assert spool.digest(EX + "g") == digest(text)
    assert spool.size(EX + "g") == len(text.encode("utf-8"))
    assert spool.statements == len(whole)
    for size in (1, 7, 64):
        blocks = list(spool.blocks(EX + "g", size))
        assert "".join(blocks) == text
        assert all(b.endswith("\n") for b in blocks)
    spool.remove()
    assert not spool.directory.exists()


def test_a_view_gives_only_its_graphs(tmp_path: Path) -> None:
    spool = spooled(tmp_path / "s", {EX + "a": _lines(TRICKY), EX + "b": [], EX + "c": _lines(work_triples("c", 2))})
    view = spool.subset([EX + "c", EX + "b"])
    assert list(view) == [EX + "c", EX + "b"] and len(view) == 2
    assert view[EX + "b"] == "" and list(view.blocks(EX + "b")) == []
    assert view[EX + "c"] == ntriples(work_triples("c", 2))
    with pytest.raises(KeyError):
        view[EX + "a"]


@pytest.mark.parametrize("load_bytes", [1 << 40, 300, 1])
def test_a_spool_loads_in_pieces_as_its_texts_load_whole(tmp_path: Path, monkeypatch, load_bytes: int) -> None:  # type: ignore[no-untyped-def]
    """Small LOAD_BYTES force a bulk_load per block, also in the middle of a graph whose later
    block is not plain (a comment): that graph must then be loaded the slow way, completely."""
    monkeypatch.setattr(snapshot, "BULK_BYTES", 0)
    monkeypatch.setattr(snapshot, "LOAD_BYTES", load_bytes)
    texts = {graph_iri("a"): _lines(work_triples("a", 30) + TRICKY), graph_iri("b"): _lines(work_triples("b", 4))}
    spool = spooled(tmp_path / "spool", texts)
    spool.add(graph_iri("b"), ["# a comment after a first block", *_lines(work_triples("b2", 2))])
    spool.add(graph_iri("empty"), [])
    blocks = spool.blocks
    monkeypatch.setattr(spool, "blocks", lambda graph: blocks(graph, 200))  # several blocks a graph
    expected = {g: spool[g] for g in spool}
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs(spool, spool.digests())
    assert {canonical(q) for q in store.db().quads_for_pattern(None, None, None)} == quads_of(expected)
    assert store.graph_digests() == {g: digest(t) for g, t in expected.items()}
    assert not list((tmp_path / "store" / "snapshots").glob("*.load.nq"))
