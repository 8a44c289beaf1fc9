"""Physical references: what pyoxigraph alone costs to parse and load the data kgpub produces.

Every kgpub stage that ends in RDF is bounded below by these figures. The N-Quads come from a
*minimal schema.org mapping written here, inside the bench* — it is the reference's input, not
kgpub's mapping (which lives in ``kgpub.mapping`` and ``mappings/``). It has the same shape and
roughly the same density (≈ 25 quads per work): typed works with title, abstract, date, identifiers,
categories, unordered authors, one ordered authorship node per byline slot, persons, one named graph
per thousand works. Terms are built with pyoxigraph's ``NamedNode``/``Literal`` and their ``str()``,
so escaping is pyoxigraph's, never ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from bench.harness import Context, Stage, register
from kgpub.generator.world import World, person

BASE = "http://localhost:8080/id/"
SDO = "http://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
P = {
    name: f"<{SDO}{name}>"
    for name in (
        "name",
        "abstract",
        "datePublished",
        "identifier",
        "sameAs",
        "about",
        "author",
        "position",
        "ScholarlyArticle",
        "Person",
        "Role",
    )
}
AUTHORSHIP = "<http://localhost:8080/ns#authorship>"


def write_nquads(path: Path, works: int, seed: int = 0) -> int:
    """Write the reference N-Quads for the generator's works (same seed, same works); returns quads."""
    world = World(works, seed)
    named: set[int] = set()
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for w in world.iter_works():
            graph = f"<{BASE}graph/chunk-{w.index // 1000:05d}>"
            s = f"<{BASE}work/{w.key}>"
            quads = [
                (s, RDF_TYPE, P["ScholarlyArticle"]),
                (s, P["name"], str(Literal(w.title))),
                (s, P["abstract"], str(Literal(w.abstract))),
                (s, P["datePublished"], str(Literal(w.date.isoformat(), datatype=XSD_DATE))),
            ]
            if w.arxiv_id:
                quads.append((s, P["identifier"], str(Literal(f"arXiv:{w.arxiv_id}"))))
                quads.append((s, P["sameAs"], str(NamedNode(f"https://arxiv.org/abs/{w.arxiv_id}"))))
            if w.doi:
                quads.append((s, P["sameAs"], str(NamedNode(f"https://doi.org/{w.doi}"))))
            for c in w.categories:
                quads.append((s, P["about"], f"<{BASE}category/{c}>"))
            for pos, a in enumerate(w.authors, 1):
                who = f"<{BASE}person/p{a:07d}>"
                slot = f"<{BASE}work/{w.key}/author/{pos}>"
                quads += [
                    (s, P["author"], who),
                    (s, AUTHORSHIP, slot),
                    (slot, RDF_TYPE, P["Role"]),
                    (slot, P["position"], str(Literal(str(pos), datatype=XSD_INT))),
                    (slot, P["author"], who),
                ]
                if a not in named:
                    named.add(a)
                    p = person(seed, a)
                    quads += [(who, RDF_TYPE, P["Person"]), (who, P["name"], str(Literal(p.name)))]
                    slot_name = p.name
                else:
                    slot_name = person(seed, a).name
                quads.append((slot, P["name"], str(Literal(slot_name))))
            out.write("".join(f"{a} {b} {c} {graph} .\n" for a, b, c in quads))
            count += len(quads)
    return count


def _prepare(ctx: Context) -> dict[str, Any]:
    return {"nquads": str(ctx.nquads())}


def parse_nquads(state: dict[str, Any]) -> int:
    return sum(1 for _ in parse(path=state["nquads"], format=RdfFormat.N_QUADS))


def bulk_load_disk(state: dict[str, Any]) -> None:
    store = Store(str(Path(state["scratch"]) / "store"))
    store.bulk_load(path=state["nquads"], format=RdfFormat.N_QUADS)
    store.flush()


def bulk_load_memory(state: dict[str, Any]) -> None:
    Store().bulk_load(path=state["nquads"], format=RdfFormat.N_QUADS)


register(
    Stage(
        "nquads-parse",
        kgpub=None,
        reference=parse_nquads,
        prepare=_prepare,
        reference_label="pyoxigraph.parse (N-Quads)",
        description="reference only: pyoxigraph parses the reference N-Quads, counting quads",
    )
)
register(
    Stage(
        "nquads-bulk-load",
        kgpub=None,
        reference=bulk_load_disk,
        prepare=_prepare,
        reference_label="Store(path).bulk_load + flush",
        description="reference only: pyoxigraph bulk_load of the reference N-Quads into an on-disk store",
    )
)
register(
    Stage(
        "nquads-bulk-load-memory",
        kgpub=None,
        reference=bulk_load_memory,
        prepare=_prepare,
        reference_label="Store().bulk_load (in memory)",
        description="reference only: pyoxigraph bulk_load of the reference N-Quads into memory",
    )
)
