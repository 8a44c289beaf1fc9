"""Substitutions for a remote store: one ``VALUES`` row placed inside the query's WHERE pattern.

The SPARQL protocol has no parameters, so a remote store binds variables by text. The terms are
written by pyoxigraph (``str()`` of a term), never pasted from input. Where the block goes matters:
first inside the WHERE group, so that filters, grouping and LIMIT see the bindings (as pyoxigraph's
own substitutions do). A WHERE group that *is* a sub-select (``WHERE { SELECT … }``) cannot take a
``VALUES`` beside the bare ``SELECT`` (a syntax error on the server), so there the sub-select is
wrapped in its own group and joined with the row; the row is also placed inside the sub-select
when the sub-select projects the variable plainly, so the server does not compute it for every
value first.

The scanner skips strings, IRIs and comments, so a brace or ``WHERE`` inside them does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from kgpub.errors import UsageError
from kgpub.store.base import Term

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WHERE = re.compile(r"WHERE\b", re.I)
_SELECT = re.compile(r"\s*SELECT\b", re.I)


def _string_end(text: str, pos: int) -> int:
    """Index just past the string literal starting at ``pos`` (all four SPARQL quote forms)."""
    quote = text[pos]
    if text.startswith(quote * 3, pos):
        end = text.find(quote * 3, pos + 3)
        while end != -1 and text[end - 1] == "\\":
            end = text.find(quote * 3, end + 1)
        return len(text) if end == -1 else end + 3
    i = pos + 1
    while i < len(text) and text[i] not in (quote, "\n"):
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _structure(sparql: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of every character outside strings, IRIs and comments, from ``start``."""
    i, n = start, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            i = _string_end(sparql, i)
            continue
        if c == "#":
            nl = sparql.find("\n", i)
            i = n if nl == -1 else nl + 1
            continue
        if c == "<":
            m = _IRI.match(sparql, i)
            if m:
                i = m.end()
                continue
        yield i, c
        i += 1


def pattern_start(sparql: str) -> int | None:
    """Index just inside the brace that opens the query's WHERE pattern, or None (no pattern).

    A CONSTRUCT template (the first group, before WHERE) is not mistaken for the pattern."""
    depth, saw_where, first_group = 0, False, None
    for i, c in _structure(sparql):
        if c == "{":
            if depth == 0:
                if saw_where:
                    return i + 1
                first_group = i + 1 if first_group is None else first_group
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in "wW" and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "?$:_")):
            if _WHERE.match(sparql, i):
                saw_where = True
    head = sparql.lstrip().upper()
    return None if saw_where or head.startswith("CONSTRUCT") else first_group


def _group_end(sparql: str, inside: int) -> int:
    """Index of the brace closing the group whose content starts at ``inside``."""
    depth = 0
    for i, c in _structure(sparql, inside):
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
    return len(sparql)


def _projects(subselect: str, names: list[str]) -> bool:
    """Whether a sub-select's SELECT clause lists every one of ``names`` plainly (or is ``*``)."""
    at = pattern_start(subselect)
    clause = subselect[: at if at is not None else len(subselect)]
    clause = clause[: m.start()] if (m := _WHERE.search(clause)) else clause
    if re.search(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", clause, re.I):
        return True
    for name in names:
        bare = re.escape(name[1:])
        if not re.search(rf"(?<![\w)])[?$]{bare}\b", clause) or re.search(rf"AS\s+[?$]{bare}\b", clause, re.I):
            return False
    return True


def _insert(sparql: str, block: str, names: list[str]) -> str:
    at = pattern_start(sparql)
    if at is None:
        return f"{sparql}\n{block}"
    if not _SELECT.match(sparql, at):
        return f"{sparql[:at]} {block} {sparql[at:]}"
    end = _group_end(sparql, at)
    inner = sparql[at:end]
    if _projects(inner, names):
        inner = _insert(inner, block, names)
    return f"{sparql[:at]} {block} {{ {inner} }} {sparql[end:]}"


def with_values(sparql: str, substitutions: Mapping[str, Term] | None) -> str:
    """The query with ``substitutions`` bound as one VALUES row (see the module docstring)."""
    if not substitutions:
        return sparql
    names, terms = [], []
    for name, term in substitutions.items():
        if isinstance(term, ox.BlankNode):
            raise UsageError(f"cannot bind ?{name} to a blank node on a remote store (VALUES forbids them)")
        names.append(str(ox.Variable(name)))
        terms.append(str(term))
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    return _insert(sparql, block, names)
