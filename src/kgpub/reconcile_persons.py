"""Person clustering: explicit person records and printed byline names → person entities.

A printed name is evidence only when it normalises to exactly the same name as another; a name that
is merely compatible ("G. Suh" / "Gang Suh") is reported as a :class:`PersonAmbiguity`. ORCID and
profile URL merge records outright, and two records with different strong identifiers are never
merged through a shared name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgpub.identity import PERSON_RANKS, Identity, person_identities
from kgpub.names import NameParts, compatible, is_not_a_name, name_key, parse_name
from kgpub.records import ParseResult


@dataclass(slots=True)
class PersonEntity:
    identity: Identity
    names: list[str]  # printed names, sorted
    records: list[tuple[str, str]]  # (source name, local id) of its person records
    member_identities: list[Identity]
    key: str = ""  # identity.key, kept (it is read in every inner loop)

    def __post_init__(self) -> None:
        self.key = self.identity.key

    @property
    def redirect_keys(self) -> list[str]:
        return sorted({i.key for i in self.member_identities} - {self.key})


@dataclass(frozen=True, slots=True)
class PersonAmbiguity:
    """Names that could denote one person or several: not merged, listed for a curator."""

    persons: tuple[str, ...]  # person keys
    names: tuple[str, ...]  # printed names
    reason: str


@dataclass(slots=True)
class PersonIndex:
    entities: list[PersonEntity]
    ambiguities: list[PersonAmbiguity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _by_name: dict[str, PersonEntity] = field(default_factory=dict)
    _by_record: dict[tuple[str, str], PersonEntity] = field(default_factory=dict)

    def for_name(self, printed: str) -> PersonEntity | None:
        """The person a printed name denotes (None for "et al." and empty names)."""
        return self._by_name.get(name_key(printed)) if not is_not_a_name(printed) else None

    def of_record(self, source: str, local_id: str) -> PersonEntity | None:
        return self._by_record.get((source, local_id))


def printed_names(result: ParseResult) -> list[str]:
    """Every name a source prints for a person, in source order."""
    names: list[str] = []
    for w in result.works:
        if w.byline is not None:
            names.extend(w.byline.names)
        names.extend(w.extra_authors)
    if result.source.subject:
        names.append(result.source.subject)
    return names


class PersonClusterer:
    """Clusters persons from sources given one at a time: keeps per person record its reference
    and name, per printed name its normalised key, nothing else of the records."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.nodes: dict[str, Identity] = {}  # node id → its own identity
        self.printed: dict[str, set[str]] = defaultdict(set)  # node id → printed names
        self.recs: dict[str, tuple[str, str, str]] = {}  # record node → (source, local id, name)
        self.aliases: dict[str, list[Identity]] = {}
        self.parent: dict[str, str] = {}

    def add(self, r: ParseResult) -> None:
        nodes, parent = self.nodes, self.parent
        for p in r.persons:
            node = f"rec:{r.source.name}#{p.local_id}"
            ids = person_identities(p.orcid, p.profile_url, name_key(p.name))
            nodes[node] = ids[0]
            self.aliases[node] = ids[1:-1]  # a profile URL beside an ORCID: its IRI may have been published
            self.recs[node] = (r.source.name, p.local_id, p.name)
            self.printed[node].add(p.name)
            parent[node] = node
        for name in printed_names(r):
            if is_not_a_name(name):
                self.notes.append(f"{r.source.name}: {name!r} is not a person name; not linked")
                continue
            node = "name:" + name_key(name)
            if node not in nodes:
                nodes[node] = Identity(PERSON_RANKS["name"], node)
                parent[node] = node
            self.printed[node].add(name)

    def _find(self, x: str) -> str:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def finish(self) -> PersonIndex:
        nodes, recs, find, union = self.nodes, self.recs, self._find, self._union
        strong: dict[str, str] = {}
        for node, ident in sorted(nodes.items()):
            if node.startswith("rec:") and ident.rank < PERSON_RANKS["name"]:
                union(node, strong.setdefault(ident.identifier, node))

        ambiguities: list[PersonAmbiguity] = []
        by_key: dict[str, list[str]] = defaultdict(list)
        for node in sorted(recs):
            by_key[name_key(recs[node][2])].append(node)
        for key, rec_nodes in sorted(by_key.items()):
            roots = {find(n) for n in rec_nodes}
            strong_ids = {nodes[n].identifier for n in rec_nodes if nodes[n].rank < PERSON_RANKS["name"]}
            if len(roots) > 1 and len(strong_ids) > 1:
                ambiguities.append(
                    PersonAmbiguity(
                        tuple(sorted(nodes[n].key for n in rec_nodes)),
                        tuple(sorted({recs[n][2] for n in rec_nodes})),
                        "same printed name, different identifiers (ORCID / profile): not merged",
                    )
                )
                continue
            for n in rec_nodes:
                if "name:" + key in self.parent:
                    union(n, "name:" + key)
                union(n, rec_nodes[0])

        groups: dict[str, list[str]] = defaultdict(list)
        for node in sorted(nodes):
            groups[find(node)].append(node)
        entities: list[PersonEntity] = []
        index = PersonIndex(entities, ambiguities, self.notes)
        for members in groups.values():
            own = [nodes[n] for n in members] + [a for n in members for a in self.aliases.get(n, ())]
            entity = PersonEntity(
                min(own, key=Identity.sort_key),
                sorted({x for n in members for x in self.printed[n]}),
                [recs[n][:2] for n in members if n in recs],
                own,
            )
            entities.append(entity)
            for n in members:
                if n.startswith("name:"):
                    index._by_name[n[5:]] = entity
                else:
                    index._by_record[recs[n][:2]] = entity
        entities.sort(key=lambda e: e.identity.sort_key())
        ambiguities.extend(_compatible_names(entities))
        return index


def cluster_persons(results: list[ParseResult]) -> PersonIndex:
    clusterer = PersonClusterer()
    for r in results:
        clusterer.add(r)
    return clusterer.finish()


def _compatible_names(entities: list[PersonEntity]) -> list[PersonAmbiguity]:
    """Different persons whose names could be the same person ("G. Suh" / "G. Edward Suh")."""
    # bucket by family name and first initial: only those can be compatible (a name without
    # given names is compatible with every name of its family)
    buckets: dict[tuple[str, str], list[tuple[str, NameParts]]] = defaultdict(list)
    for e in entities:
        for printed in e.names:
            parts = parse_name(printed)
            if parts.family:
                buckets[(parts.family, parts.given[0][0] if parts.given else "")].append((e.key, parts))
    pairs: dict[str, set[str]] = defaultdict(set)
    for (family, initial), items in buckets.items():
        others = items if initial == "" else items + buckets.get((family, ""), [])
        if len({k for k, _ in others}) < 2:
            continue
        for i, (ka, pa) in enumerate(items):
            for kb, pb in others[i + 1 :]:
                if ka != kb and compatible(pa, pb):
                    pairs[ka].add(kb)
                    pairs[kb].add(ka)
    names = {e.key: e.names for e in entities}
    return [
        PersonAmbiguity(
            group,
            tuple(sorted({n for k in group for n in names[k]})),
            "compatible names (initials / middle names): may be one person or several",
        )
        for group in _cliques(pairs)
    ]


def _cliques(pairs: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Cover every compatible pair by groups whose members are all pairwise compatible.

    Compatibility is not transitive: "J. Smith" fits "John Smith" and "Jane Smith", who cannot be
    one person. A group joined through such a hub would claim every member may be every other (and
    its results grow with the square of the group: 374,246 of 400,985 SHACL results at 100,000
    generated works), so each reported group is a clique, grown greedily from a pair not yet
    covered in sorted order (deterministic; a pair may appear in two groups, never in none)."""
    covered: set[tuple[str, str]] = set()
    groups: list[tuple[str, ...]] = []
    for a in sorted(pairs):
        for b in sorted(pairs[a]):
            if a > b or (a, b) in covered:
                continue
            group = [a, b]
            for c in sorted((pairs[a] & pairs[b]) - {a, b}):
                if all(c in pairs[m] for m in group):
                    group.append(c)
            group.sort()
            covered.update((x, y) for i, x in enumerate(group) for y in group[i + 1 :])
            groups.append(tuple(group))
    return groups
