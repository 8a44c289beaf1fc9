"""The build's graph digest: what decides that a graph is unchanged and is not written again."""

from __future__ import annotations

import hashlib

from kgpub.pipeline import digest


def _sorted_lines_digest(text: str) -> str:
    """The definition written out plainly: sha256 of the sorted non-empty lines joined by newlines."""
    lines = sorted(line for line in text.split("\n") if line)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_digest_ignores_order_and_empty_lines_and_equals_its_definition() -> None:
    a = '<http://x/a> <http://x/p> "1" .\n<http://x/b> <http://x/p> "2" .\n'
    b = '<http://x/b> <http://x/p> "2" .\n\n<http://x/a> <http://x/p> "1" .\n\n'
    assert digest(a) == digest(b) == _sorted_lines_digest(a)
    for text in ("", "\n", "\n\n\n", "x .", a + a, "\n" + a.replace("\n", "\n\n")):
        assert digest(text) == _sorted_lines_digest(text), repr(text)


def test_digest_changes_with_a_statement() -> None:
    a = '<http://x/a> <http://x/p> "1" .\n'
    assert digest(a) != digest(a.replace('"1"', '"2"'))
    assert digest(a) != digest(a + a)  # a repeated line is kept (the text differs; the store may not)
