"""The work page: byline in order, dates with precision, identifiers, topics, code flag, venue."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgpub import related as precomputed
from kgpub.related import CO_WORKS_PER_AUTHOR, SHOWN, TOPIC_ROWS, UNTITLED
from kgpub.store import Store
from kgpub.web import iris
from kgpub.web.describe import Description
from kgpub.web.headers import identifiers
from kgpub.web.listings import built_part
from kgpub.web.render.values import (
    Link,
    date_value,
    entity_link,
    identifier_link,
    is_true,
    literal_text,
)

# LATERAL makes the engine walk from the entity outwards: as a plain join it hash-joins every
# FeedListing (or every schema:author link) of the graph with the entity's few statements, since
# the planner does not see the substituted $e (45 ms at 10k works, ten times that at 100k)
LISTINGS = """PREFIX kgpub: <https://w3id.org/kgpub/ns#>
PREFIX schema: <http://schema.org/>
SELECT $e ?l ?p ?o ?label WHERE { ?l ?x $e LATERAL { ?l a kgpub:FeedListing . ?l ?p ?o FILTER(!isBlank(?o))
  LATERAL { OPTIONAL { ?o schema:name ?label } } } } ORDER BY ?l ?p ?o LIMIT 200"""
CANDIDATES = """PREFIX kgpub: <https://w3id.org/kgpub/ns#> PREFIX schema: <http://schema.org/>
SELECT DISTINCT $e ?o ?t WHERE { ?m kgpub:candidateWork $e , ?o FILTER(?o != $e && isIRI(?o))
  OPTIONAL { ?o schema:name ?t } } ORDER BY ?o LIMIT 20"""
# Related works follow the rule of kgpub.related, which computes them for every work of a snapshot
# at build time; these queries answer when a snapshot has no such part (a remote store, an older
# build). Two queries, not one UNION: pyoxigraph plans a UNION followed by a join badly (full
# scans). Grouped there, ranked here: pyoxigraph's ORDER BY over the groups costs more than the
# join and the grouping together. Titles come in a third query over the few works picked.
# Each author's co-works are read up to CO_WORKS_PER_AUTHOR (the store's order): at 100,000
# generated works some persons have a thousand works or more, and counting all of them for each of
# their works' pages cost 90 ms a page. An author under the bound lists all their works, so a
# co-work sharing one of them is found, and its prolific co-authors are then checked exactly; a
# co-work sharing only prolific authors can be missed or ranked by the shares seen (the list shows
# eight, most shared first).
RELATED_BY_AUTHOR = """PREFIX schema: <http://schema.org/>
SELECT $e ?a ?w WHERE { $e schema:author ?a LATERAL { SELECT ?a ?w WHERE { ?w schema:author ?a } LIMIT %d } }"""
RELATED_BY_AUTHOR %= CO_WORKS_PER_AUTHOR
AUTHORED = """PREFIX schema: <http://schema.org/>
SELECT ?w ?a WHERE { VALUES (?w ?a) { %s } ?w schema:author ?a }"""
RELATED_BY_TOPIC = """PREFIX schema: <http://schema.org/>
SELECT $e ?w WHERE { $e schema:about ?c LATERAL { ?w schema:about ?c FILTER(?w != $e && isIRI(?w)) } } LIMIT %d"""
RELATED_BY_TOPIC %= TOPIC_ROWS
# every name, the least shown (as kgpub.related and the topic lists do): SAMPLE picks any one
TITLES = """PREFIX schema: <http://schema.org/>
SELECT ?w ?t WHERE { VALUES ?w { %s } ?w schema:name ?t FILTER(isLiteral(?t)) }"""


def byline(desc: Description) -> tuple[list[dict[str, Any]], bool]:
    """Authors in byline order from the authorship nodes; (authors, ordered)."""
    slots = []
    for node in desc.objects(desc.iri, iris.KGPUB + "authorship"):
        pos = desc.first(node.value, iris.KGPUB + "position")
        try:
            position = int(pos.value) if pos is not None else 10**6
        except ValueError:
            position = 10**6
        printed = literal_text(desc.first(node.value, iris.KGPUB + "printedName"))
        person = desc.first(node.value, iris.KGPUB + "person")
        if isinstance(person, ox.NamedNode):
            link = entity_link(desc, person.value, printed)
        else:
            link = Link(printed or "(unnamed)", None)
        slots.append({"position": position, "printed": printed, "link": link})
    if slots:
        slots.sort(key=lambda s: (s["position"], s["link"].label))  # type: ignore[union-attr]
        return slots, True
    authors = [entity_link(desc, a.value) for a in desc.objects(desc.iri, iris.SCHEMA + "author")]
    authors.sort(key=lambda a: a.label)
    return [{"position": None, "printed": None, "link": a} for a in authors], False


def _listings(store: Store, iri: str) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in store.query(LISTINGS, substitutions={"e": ox.NamedNode(iri)}):
        item = found.setdefault(row["l"].value, {"iri": row["l"].value, "props": {}})
        item["props"].setdefault(row["p"].value, row["o"])
        if row["label"] is not None:
            item.setdefault("labels", {})[row["o"].value] = row["label"].value
    out = []
    for item in sorted(found.values(), key=lambda i: str(i["iri"])):
        props = item["props"]
        org = props.get(iris.KGPUB + "organisation") or props.get(iris.KGPUB + "organization")
        out.append(
            {
                "link": Link("feed listing", iris.link_for(item["iri"]), item["iri"], "listing"),
                "code": is_true(props.get(iris.KGPUB + "hasCode")),
                "score": literal_text(props.get(iris.KGPUB + "score")),
                "captured": date_value(props.get(iris.KGPUB + "capturedOn")),
                "date": date_value(props.get(iris.DCT + "date")),
                "inferred": is_true(props.get(iris.KGPUB + "yearInferred")),
                "org": Link(
                    item.get("labels", {}).get(org.value, iris.compact(org.value)),
                    iris.link_for(org.value),
                    org.value,
                    "organization",
                )
                if org
                else None,
            }
        )
    return out


def related_works(store: Store, iri: str) -> list[Link]:
    """Works sharing authors (most shared first), then works sharing a topic: from the snapshot's
    related-works part when a build wrote one, else asked of the store (:func:`live_related_works`)."""
    part = built_part(store, "related")
    if part is None:
        return live_related_works(store, iri)
    return [Link(title, iris.link_for(w), w, "work") for w, title in precomputed.lookup(part, iri)]


def live_related_works(store: Store, iri: str) -> list[Link]:
    """:func:`related_works` by querying the store, the rule of :mod:`kgpub.related`."""
    node = {"e": ox.NamedNode(iri)}
    window: dict[str, list[ox.NamedNode]] = {}  # author -> co-works read (up to the bound)
    for r in store.query(RELATED_BY_AUTHOR, substitutions=node):
        window.setdefault(r["a"].value, []).append(r["w"])
    shares: dict[str, set[str]] = {}
    works: dict[str, ox.NamedNode] = {}
    for author, found in window.items():
        for w in found:
            if isinstance(w, ox.NamedNode) and w.value != iri:
                shares.setdefault(w.value, set()).add(author)
                works[w.value] = w
    prolific = [a for a, found in window.items() if len(found) >= CO_WORKS_PER_AUTHOR]
    complete = {w for a, found in window.items() if len(found) < CO_WORKS_PER_AUTHOR for w in found}
    pairs = [(w, a) for w in complete if isinstance(w, ox.NamedNode) and w.value != iri
             for a in prolific if a not in shares[w.value]]  # fmt: skip
    if pairs:  # the prolific co-authors of co-works found through a complete list
        values = " ".join(f"({w} {ox.NamedNode(a)})" for w, a in pairs)
        for r in store.query(AUTHORED % values):
            shares[r["w"].value].add(r["a"].value)
    shared = {w: (len(authors), works[w]) for w, authors in shares.items()}
    # most shared authors first, then by IRI
    by_author = [w for _, (_, w) in sorted(shared.items(), key=lambda kv: (-kv[1][0], kv[0]))[:SHOWN]]
    by_topic: list[tuple[str, ox.NamedNode]] = []
    if len(by_author) < SHOWN:  # else the list is full (most works): topics would not show
        # the first 40 (work, shared topic) pairs the engine finds, then the 8 first works by IRI
        by_topic = sorted({r["w"].value: r["w"] for r in store.query(RELATED_BY_TOPIC, substitutions=node)}.items())
    picked = list({w.value: w for w in by_author + [w for _, w in by_topic[:SHOWN]]}.values())[:SHOWN]
    if not picked:
        return []
    values = " ".join(str(w) for w in picked)  # IRIs the store returned, serialised by pyoxigraph
    titles: dict[str, str] = {}
    for r in store.query(TITLES % values):
        w, title = r["w"].value, r["t"].value
        if w not in titles or title < titles[w]:
            titles[w] = title
    return [Link(titles.get(w.value, UNTITLED), iris.link_for(w.value), w.value, "work") for w in picked]


def candidates(store: Store, iri: str) -> list[Link]:
    """Works a curator may merge with this one (a kgpub:MergeCandidate names both)."""
    return [
        Link(r["t"].value if r["t"] is not None else iris.compact(r["o"].value), iris.link_for(r["o"].value),
             r["o"].value, "work")
        for r in store.query(CANDIDATES, substitutions={"e": ox.NamedNode(iri)})
    ]  # fmt: skip


def citation_tags(
    title: str, authors: list[dict[str, Any]], dates: dict[str, Any], desc: Description
) -> list:
    """Highwire Press ``citation_*`` tags, authors in byline order."""
    tags: list[tuple[str, str]] = [("citation_title", title)]
    tags += [("citation_author", a["printed"] or a["link"].label) for a in authors]
    when = dates.get("published") or dates.get("created")
    if when is not None:
        tags.append(("citation_publication_date", when.iso.replace("-", "/")))
    doi, arxiv = identifiers(desc)
    if doi:
        tags.append(("citation_doi", doi.split("doi.org/", 1)[1]))
    if arxiv:
        arxiv_id = arxiv.rsplit("/abs/", 1)[1]
        tags.append(("citation_technical_report_number", f"arXiv:{arxiv_id}"))
        tags.append(("citation_pdf_url", f"https://arxiv.org/pdf/{arxiv_id}"))
    return tags


def context(store: Store, desc: Description) -> dict[str, Any]:
    e = desc.iri
    title = literal_text(desc.first(e, iris.SCHEMA + "name")) or "(untitled work)"
    authors, ordered = byline(desc)
    dates = {
        "published": date_value(desc.first(e, iris.SCHEMA + "datePublished")),
        "created": date_value(desc.first(e, iris.SCHEMA + "dateCreated")),
        "listed": date_value(desc.first(e, iris.KGPUB + "dateListed")),
    }
    topics = [entity_link(desc, t.value) for t in desc.objects(e, iris.SCHEMA + "about")]
    topics.sort(key=lambda t: t.label)
    venue = literal_text(desc.first(e, iris.KGPUB + "venue"))
    part_of = desc.first(e, iris.SCHEMA + "isPartOf")
    listings = _listings(store, e)
    related = related_works(store, e)
    neighbours = [a["link"] for a in authors if a["link"].iri][:10] + topics[:6] + related[:6]
    return {
        "title": title,
        "authors": authors,
        "ordered": ordered,
        "truncated": is_true(desc.first(e, iris.KGPUB + "bylineTruncated")),
        "abstract": literal_text(desc.first(e, iris.SCHEMA + "abstract")),
        "dates": dates,
        "identifiers": [identifier_link(o.value) for o in desc.objects(e, iris.SCHEMA + "sameAs")],
        "topics": topics,
        "venue": venue
        or (entity_link(desc, part_of.value).label if isinstance(part_of, ox.NamedNode) else None),
        "code": is_true(desc.first(e, iris.KGPUB + "hasCode")) or any(item["code"] for item in listings),
        "listings": listings,
        "year_inferred": is_true(desc.first(e, iris.KGPUB + "yearInferred")),
        "flags": sorted(o.value for o in desc.objects(e, iris.KGPUB + "flag")),
        "unresolved": sorted(o.value for o in desc.objects(e, iris.KGPUB + "categoryUnresolved")),
        "candidates": candidates(store, e),
        "related": related,
        "citation": citation_tags(title, authors, dates, desc),
        "neighbours": neighbours,
    }
