"""Stages of the build: parse + map, the whole build, and the store write alone, each beside pyoxigraph.

The N-Quads every reference here reads are *kgpub's own mapping output* for the generated corpus
(``MappedDataset.nquads()``, written once per size), so kgpub and its reference handle the same
quads: the ratio is what parsing the sources, reconciling and mapping (or writing snapshots,
validating) costs above what pyoxigraph needs to parse or bulk-load the result.

A store built by kgpub from the corpus is also cached per size (:func:`built_store`): the
validation, endpoint and page stages read it, so they measure the data a real build publishes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.harness import Context, Stage, _code_digest, register

BASE = "http://localhost:8080/"
_KGPUB = ("kgpub.generator", "kgpub.sources", "kgpub.mapping", "kgpub.reconcile", "kgpub.pipeline")
SUMMARY_MODULES = ("kgpub.summary", "kgpub.summary_files", "kgpub.related")  # what a snapshot summary depends on


def parse_and_map(corpus: Path, base: str = BASE) -> Any:
    """kgpub's parse + map of a corpus folder (its manifest lists the sources): a MappedDataset."""
    from kgpub import sources
    from kgpub.mapping import map_dataset

    found = sources.collect([corpus])
    return map_dataset([sources.load(spec) for spec in found.sources], base)


def mapped_nquads(ctx: Context) -> Path:
    """kgpub's mapping of this size's corpus as one N-Quads file (cached; the references' input)."""
    path = ctx.workdir / f"kgpub-{ctx.size}-s{ctx.seed}-{_code_digest(*_KGPUB)}.nq"
    if not path.is_file():
        tmp = path.with_suffix(".part")
        tmp.write_text(parse_and_map(ctx.corpus()).nquads(), encoding="utf-8")
        tmp.replace(path)
    return path


def config_for(store: Path) -> Any:
    """A build configuration that reads no file and no environment: only the store and the base."""
    from kgpub.config import load_config

    return load_config(None, environ={}, overrides={"store": str(store), "base": BASE})


def built_store(ctx: Context) -> Path:
    """A store directory holding kgpub's full build of this size's corpus (cached, built once).

    ``KGPUB_BENCH_STORE_<size>=folder`` names a store already built from this size's corpus (a
    100k build takes long and its cache key changes with every edit of the pipeline or the store):
    it is used as it is, after the build's last step (the snapshot summary) if it predates it or
    lacks a part (a summary written before the search index was packed)."""
    from kgpub import summary, summary_files
    from kgpub.pipeline import build
    from kgpub.store import EmbeddedStore

    given = os.environ.get(f"KGPUB_BENCH_STORE_{ctx.size}")
    if given:
        folder = Path(given)
        if not (folder / "complete").is_file():
            raise SystemExit(f"KGPUB_BENCH_STORE_{ctx.size}={given}: not a complete build (no 'complete' file)")
        store = EmbeddedStore(folder)
        if any(summary_files.load(store, store.snapshot_id, part, BASE) is None for part in summary.PARTS):
            summary.write(store, BASE)
        store.close()
        return folder
    folder = ctx.workdir / f"store-{ctx.size}-s{ctx.seed}-{_code_digest(*_KGPUB, 'kgpub.store', *SUMMARY_MODULES)}"
    if not (folder / "complete").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        build([ctx.corpus()], config=config_for(folder), progress=False)
        (folder / "complete").write_text("built\n", encoding="utf-8")
    return folder


def _prepare(ctx: Context) -> dict[str, Any]:
    return {"corpus": str(ctx.corpus()), "nquads": str(mapped_nquads(ctx)), "works": ctx.truth()["works"]}


def _setup_graphs(args: dict[str, Any], side: str) -> dict[str, Any]:
    """The store-only kgpub side gets the mapped graphs in memory first (untimed)."""
    if side == "kgpub":
        return {**args, "graphs": parse_and_map(Path(args["corpus"])).graphs}
    return args


def kgpub_parse_map(state: dict[str, Any]) -> int:
    return sum(text.count("\n") for text in parse_and_map(Path(state["corpus"])).graphs.values())


def oxigraph_parse(state: dict[str, Any]) -> int:
    return sum(1 for _ in ox.parse(path=state["nquads"], format=ox.RdfFormat.N_QUADS))


def kgpub_build(state: dict[str, Any]) -> dict[str, float]:
    """The build; its output is where the time went (the pipeline's own step timings) and the quads."""
    from kgpub.pipeline import build

    summary = build([Path(state["corpus"])], config=config_for(Path(state["scratch"]) / "store"), progress=False)
    return {"quads": summary.quads, **{f"{k} s": round(v, 3) for k, v in summary.timings.items()}}


def kgpub_store_write(state: dict[str, Any]) -> int:
    from kgpub.pipeline import digest
    from kgpub.store import EmbeddedStore

    graphs: dict[str, str] = state["graphs"]
    with EmbeddedStore(Path(state["scratch"]) / "store").writer() as w:
        w.replace_graphs(graphs, {g: digest(t) for g, t in graphs.items()})
    return sum(t.count("\n") for t in graphs.values())


def oxigraph_bulk_load(state: dict[str, Any]) -> None:
    store = ox.Store(str(Path(state["scratch"]) / "store"))
    store.bulk_load(path=state["nquads"], format=ox.RdfFormat.N_QUADS)
    store.flush()


register(
    Stage(
        "parse-map",
        kgpub=kgpub_parse_map,
        reference=oxigraph_parse,
        prepare=_prepare,
        kgpub_label="kgpub.sources.load + mapping.map_dataset",
        reference_label="pyoxigraph.parse of the mapped N-Quads",
        description="parse + reconcile + map the generated corpus vs pyoxigraph parsing the resulting quads",
    )
)
register(
    Stage(
        "build",
        kgpub=kgpub_build,
        reference=oxigraph_bulk_load,
        prepare=_prepare,
        kgpub_label="kgpub.pipeline.build (with validation)",
        reference_label="Store(path).bulk_load of the mapped N-Quads",
        description="records → published store (parse, map, write, validate) vs pyoxigraph bulk_load",
    )
)
register(
    Stage(
        "store-write",
        kgpub=kgpub_store_write,
        reference=oxigraph_bulk_load,
        prepare=_prepare,
        setup=_setup_graphs,
        kgpub_label="EmbeddedStore.writer().replace_graphs + publish",
        reference_label="Store(path).bulk_load of the same quads",
        description="the build's store write alone (no parse, no validation) vs pyoxigraph bulk_load",
    )
)
