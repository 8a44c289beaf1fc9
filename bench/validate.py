"""Stage "validate": kgpub's SHACL engine on a built store against one pyshacl call, same shapes.

Both sides validate the same data — everything a kgpub build of the generated corpus published —
with the project's ``shapes/``. kgpub runs ``validate_store`` on the store (opened before the clock);
pyshacl gets the merged graph and the shapes already parsed into rdflib graphs (before the clock), so
both figures are validation alone. pyshacl is slow (minutes for a few hundred
works), so its side stops at ``REFERENCE_MAX`` works and is skipped by ``--quick``; kgpub's side runs
at every size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.build import built_store
from bench.harness import Context, Stage, register

REFERENCE_MAX = 300  # pyshacl took 240 s for 300 works on the (loaded) benchmark machine
_SH_RESULT = "http://www.w3.org/ns/shacl#result"


def merged_ntriples(ctx: Context) -> Path:
    """The union of the built store's graphs as N-Triples (cached beside the store)."""
    store_dir = built_store(ctx)
    path = store_dir.with_name(store_dir.name + "-merged.nt")
    if not path.is_file():
        from kgpub.store import EmbeddedStore

        store = EmbeddedStore(store_dir)
        seen: set[str] = set()
        for q in store.db().quads_for_pattern(None, None, None):
            seen.add(f"{q.subject} {q.predicate} {q.object} .\n")
        store.close()
        tmp = path.with_suffix(".part")
        tmp.write_text("".join(sorted(seen)), encoding="utf-8")
        tmp.replace(path)
    return path


def _prepare(ctx: Context) -> dict[str, Any]:
    args: dict[str, Any] = {"store": str(built_store(ctx))}
    if ctx.size <= REFERENCE_MAX:
        args["ntriples"] = str(merged_ntriples(ctx))
    return args


def _setup(args: dict[str, Any], side: str) -> dict[str, Any]:
    from kgpub.project import data_dir

    if side == "kgpub":
        from kgpub.store import EmbeddedStore

        store = EmbeddedStore(args["store"])
        store.db()  # open the snapshot before the clock starts
        return {**args, "opened": store}
    import rdflib

    from kgpub.validation.reference import shapes_turtle

    rdflib.NORMALIZE_LITERALS = False  # as kgpub.validation.reference does: lexical forms as written
    data, shapes = rdflib.Graph(), rdflib.Graph()
    data.parse(args["ntriples"], format="nt")
    shapes.parse(data=shapes_turtle(data_dir("shapes")), format="turtle")
    return {**args, "data": data, "shapes": shapes}


def kgpub_validate(state: dict[str, Any]) -> int:
    from kgpub.validation import validate_store

    return len(validate_store(state["opened"]).results)


def pyshacl_validate(state: dict[str, Any]) -> int:
    from pyshacl import validate
    from rdflib import URIRef

    _, report, _ = validate(state["data"], shacl_graph=state["shapes"], advanced=True, allow_warnings=True)
    return sum(1 for _ in report.objects(None, URIRef(_SH_RESULT)))


register(
    Stage(
        "validate",
        kgpub=kgpub_validate,
        reference=pyshacl_validate,
        prepare=_prepare,
        setup=_setup,
        reference_max_size=REFERENCE_MAX,
        slow_reference=True,
        kgpub_label="kgpub.validation.validate_store",
        reference_label="pyshacl.validate (one call, merged graph)",
        description=f"SHACL validation of a built store vs pyshacl on the same graph (pyshacl ≤ {REFERENCE_MAX:,})",
    )
)
