"""Compatible-name groups reported to curators: every group's members are pairwise compatible, and
every compatible pair is in some group (compatibility is not transitive: "J. Smith" fits both
"John Smith" and "Jane Smith", who are not one person)."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from kgpub.names import compatible, parse_name
from kgpub.reconcile_persons import _cliques


def _pairs(edges: set[tuple[str, str]]) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for a, b in edges:
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return pairs


def test_a_hub_name_does_not_join_incompatible_names() -> None:
    names = ["J. Smith", "John Smith", "Jane Smith", "John A. Smith"]
    edges = {(a, b) for a, b in combinations(names, 2) if compatible(parse_name(a), parse_name(b))}
    assert ("John Smith", "Jane Smith") not in edges and ("Jane Smith", "John Smith") not in edges
    groups = {frozenset(g) for g in _cliques(_pairs(edges))}
    assert groups == {
        frozenset({"J. Smith", "John Smith", "John A. Smith"}),
        frozenset({"J. Smith", "Jane Smith"}),
    }


keys = st.sampled_from([f"p{i}" for i in range(9)])


@given(st.sets(st.tuples(keys, keys).filter(lambda e: e[0] != e[1]), max_size=30))
def test_groups_are_cliques_that_cover_every_pair(edges: set[tuple[str, str]]) -> None:
    pairs = _pairs(edges)
    groups = _cliques(pairs)
    for group in groups:
        assert len(group) >= 2 and list(group) == sorted(set(group))
        assert all(b in pairs[a] for a, b in combinations(group, 2)), group
    covered = {frozenset(p) for g in groups for p in combinations(g, 2)}
    assert covered == {frozenset(e) for e in edges}
    assert _cliques(pairs) == groups  # deterministic
