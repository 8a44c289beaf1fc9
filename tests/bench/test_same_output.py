"""bench.same_output: the check that a speed change publishes the same data. Its comparison must
see through blank-node labels (the report's are random) and nothing else."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from bench.same_output import _content_labelled, compare, graphs_of

REPORT = """@prefix sh: <http://www.w3.org/ns/shacl#> .
[] a sh:ValidationReport ; sh:result
  [ sh:focusNode <http://x/a> ; sh:resultMessage "m1" ; sh:resultPath [ sh:inversePath <http://x/p> ] ] ,
  [ sh:focusNode <http://x/b> ; sh:resultMessage "m2" ] .
"""


def _triples(turtle: str) -> list[tuple[object, object, object]]:
    return [(t.subject, t.predicate, t.object) for t in ox.parse(turtle.encode(), ox.RdfFormat.TURTLE)]


def test_blank_nodes_are_named_by_content_so_two_parses_compare_equal() -> None:
    first, second = _triples(REPORT), _triples(REPORT)
    assert {str(t[0]) for t in first if isinstance(t[0], ox.BlankNode)} != {
        str(t[0]) for t in second if isinstance(t[0], ox.BlankNode)
    }  # the parser picked other labels
    assert sorted(_content_labelled(first)) == sorted(_content_labelled(second))


def test_a_changed_value_inside_a_nested_blank_node_is_a_difference() -> None:
    changed = REPORT.replace("<http://x/p>", "<http://x/q>")
    old = {"g": sorted(_content_labelled(_triples(REPORT)))}
    new = {"g": sorted(_content_labelled(_triples(changed)))}
    [problem] = compare(old, new, show=20)
    assert problem.startswith("graph g: 9 vs 9 quads")
    assert "+ _:" in problem and "inversePath> <http://x/q> ." in problem  # the changed statement is shown


def test_a_graph_on_one_side_only_and_a_repeated_result_are_differences() -> None:
    one = sorted(_content_labelled(_triples(REPORT)))
    assert compare({"g": one}, {}) == ["graph g only in the old build"]
    doubled = REPORT.replace(' "m2" ] .', ' "m2" ] , [ sh:focusNode <http://x/b> ; sh:resultMessage "m2" ] .')
    two = sorted(_content_labelled(_triples(doubled)))
    assert len(two) > len(one) and compare({"g": one}, {"g": two})


def test_graphs_of_reads_the_current_snapshot(tmp_path: Path) -> None:
    from kgpub.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "s")
    store.replace_graphs({"http://x/g": '<http://x/a> <http://x/p> "1" .\n'}, {"http://x/g": "d"})
    assert graphs_of(tmp_path / "s") == {"<http://x/g>": ['<http://x/a> <http://x/p> "1" .']}
