"""The per-snapshot summary (home figures, search index, sitemap paths): written beside the
snapshot by a build, read back by every web worker instead of scanning the graph, kept and removed
together with its snapshot."""

from __future__ import annotations

import json
import re
import shutil
from array import array
from pathlib import Path

from kgpub import packed, summary, summary_files
from kgpub.packed import Strings
from kgpub.store import EmbeddedStore
from kgpub.web import create_app
from tests.web.conftest import BASE, build_store, fixture_quads


def _files(store: EmbeddedStore) -> dict[str, Path]:
    snap = store.current_snapshot()
    assert snap is not None
    found = {part: summary_files.location(store, part) for part in summary.PARTS}
    assert all(f is not None and f.name.startswith(snap.name + ".") for f in found.values())
    return found  # type: ignore[return-value]


def test_a_build_writes_the_summary_and_the_home_page_reads_it(seed_store_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(seed_store_dir, folder, symlinks=True)
    store = EmbeddedStore(folder)
    files = _files(store)
    assert all(f.is_file() for f in files.values()), "the pipeline wrote every part beside the snapshot"
    home = json.loads(files["home"].read_text())
    assert home["base"] == BASE and home["value"]["stats"]["quads"] == store.stats().quads
    # the page shows what the file says, not a recount: change the figure in the file only
    home["value"]["stats"]["classes"]["http://schema.org/ScholarlyArticle"] = 987
    files["home"].write_text(json.dumps(home))
    client = create_app({"store": str(folder), "base": BASE}).test_client()
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<span class="n">987</span><span class="what">works</span>', html)
    # the search index comes from its file too (packed): a word only the file holds is found
    header, fields = packed.parse(files["search"].read_bytes())
    assert header == {"version": summary_files.VERSION, "base": BASE, "part": "search"}
    vocabulary = list(fields["vocabulary"])
    at = sorted([*vocabulary, "zzqx"]).index("zzqx")
    vocabulary.insert(at, "zzqx")
    offsets = list(fields["offsets"])
    offsets.insert(at + 1, offsets[at])  # an empty run for the new word …
    flat = list(fields["flat"])
    flat.insert(offsets[at], 0)  # … holding entry 0
    offsets[at + 1 :] = [o + 1 for o in offsets[at + 1 :]]
    fields.update(vocabulary=Strings.of(vocabulary), flat=array("I", flat), offsets=array("I", offsets))
    files["search"].write_bytes(packed.dump(header, fields))
    html = client.get("/search?q=zzqx").get_data(as_text=True)
    assert "1 result " in html and summary_files.load(store, store.snapshot_id, "search", BASE) is not None


def test_a_snapshot_without_summary_gets_one_from_its_first_reader(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store", fixture_quads())
    files = _files(store)
    assert not any(f.exists() for f in files.values())
    client = create_app({"store": str(tmp_path / "store"), "base": BASE}).test_client()
    assert client.get("/").status_code == 200
    assert "/id/person/p1" in client.get("/search?q=quinn").get_data(as_text=True)
    assert files["home"].is_file() and files["search"].is_file()
    assert summary_files.load(store, store.snapshot_id, "search", BASE) is not None
    # a file computed for another base is not used by an app serving another base
    assert summary_files.load(store, store.snapshot_id, "search", "http://example.org/") is None
    other = create_app({"store": str(tmp_path / "store"), "base": "http://example.org/"}).test_client()
    assert "http://example.org/id/person/p1" not in other.get("/search?q=quinn").get_data(as_text=True)


def test_summary_files_live_and_go_with_their_snapshot(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store", fixture_quads())
    first = _files(store)
    client = create_app({"store": str(tmp_path / "store"), "base": BASE}).test_client()
    client.get("/")
    assert first["home"].is_file()
    g = BASE + "graph/source/s009"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    triple = f"<{BASE}id/work/w9> {rdf_type} <http://schema.org/ScholarlyArticle> .\n"
    store.replace_graphs({g: triple}, {g: "d9"})
    assert first["home"].is_file(), "the previous snapshot keeps its summary"
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<span class="n">5</span><span class="what">works</span>', html)
    second = _files(store)
    assert second["home"].is_file() and second["home"] != first["home"]
    store.replace_graphs({g: triple.replace("w9", "w10")}, {g: "d10"})
    assert not first["home"].exists(), "removed with the snapshot it describes"
    assert second["home"].is_file()

