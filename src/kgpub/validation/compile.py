"""SHACL shapes → SPARQL queries that return exactly the violating (focus, value) pairs.

Why SPARQL: run on pyoxigraph, the same checks take seconds where an rdflib-based validator takes
minutes, and pyoxigraph's REGEX is linear-time, so a hostile value cannot make ``sh:pattern``
backtrack for ever. Each query has a ``#SCOPE#`` marker where the engine puts a restriction of the
focus nodes (incremental runs); a full run removes it.

Every query projects ``?this`` (focus node) and, where SHACL defines one, ``?value``. Value-type
constraints of one shape share a query: each row carries ``?fails``, the indexes (in
:attr:`Check.constraints`) of the constraints its value violates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgpub.errors import ConfigError
from kgpub.validation import vocab
from kgpub.validation.shapes import Constraint, Shape

SCOPE = "#SCOPE#"
_TYPE = f"<{vocab.RDF}type>"
_SUBCLASS = f"<{vocab.RDFS}subClassOf>"
_COUNTS = ("minCount", "maxCount", "hasValue")


@dataclass(frozen=True, slots=True)
class Check:
    """One query and how to read its rows back into validation results."""

    shape: Shape  # the shape the results name as sh:sourceShape
    kind: str  # "values" | "count" | "sparql"
    query: str
    constraints: tuple[Constraint, ...]


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal, shape: Shape, what: str) -> str:
    if isinstance(node, ox.BlankNode):
        raise ConfigError(
            f"{shape.file}: shape {shape.label}: {what} must be an IRI or literal, not a blank node"
        )
    return str(node)


def focus_pattern(shape: Shape, subclasses: bool) -> str:
    """A pattern binding ``?this`` to every focus node of ``shape``.

    Not deduplicated: a node typed in several source graphs comes once per graph in the merged
    view. Every query below is insensitive to that (COUNT(DISTINCT), NOT EXISTS) or returns
    duplicate rows that the engine collapses; a DISTINCT sub-select here would cost more than the
    duplicates do."""
    class_path = f"{_TYPE}/{_SUBCLASS}*" if subclasses else _TYPE
    parts = []
    for kind, value in shape.targets:
        term = _term(value, shape, "sh:" + kind)
        if kind == "targetClass":
            parts.append(f"{{ ?this {class_path} {term} }}")
        elif kind == "targetNode":
            parts.append(f"{{ VALUES ?this {{ {term} }} }}")
        elif kind == "targetSubjectsOf":
            parts.append(f"{{ ?this {term} ?_t }}")
        else:
            parts.append(f"{{ ?_t {term} ?this }}")
    return SCOPE + " " + " UNION ".join(parts)


def _lexical_ok(datatype: str) -> str:
    if datatype in vocab.CASTABLE:
        return f" && COALESCE(isLiteral(<{datatype}>(STR(?value))), false)"
    return ""


def _condition(c: Constraint, shape: Shape, subclasses: bool) -> str:
    """A SPARQL expression that is true exactly when ``?value`` violates ``c`` (never an error)."""
    if c.name == "datatype":
        dt = _term(c.value, shape, "sh:datatype")
        typed = f"isLiteral(?value) && sameTerm(DATATYPE(?value), {dt}){_lexical_ok(c.value.value)}"
        return f"!COALESCE({typed}, false)"
    if c.name == "class":
        cls = _term(c.value, shape, "sh:class")
        path = f"{_TYPE}/{_SUBCLASS}*" if subclasses else _TYPE
        return f"NOT EXISTS {{ ?value {path} {cls} }}"
    if c.name == "nodeKind":
        local = c.value.value[len(vocab.SH) :] if c.value.value.startswith(vocab.SH) else ""
        if local not in vocab.NODE_KINDS:
            raise ConfigError(f"{shape.file}: shape {shape.label}: unknown sh:nodeKind {c.value}")
        return "!" + vocab.NODE_KINDS[local]
    if c.name == "pattern":
        _check_regex(c, shape)
        regex = f"REGEX(STR(?value), {ox.Literal(c.value.value)}, {ox.Literal(c.flags)})"
        return f"(isBlank(?value) || !COALESCE({regex}, false))"
    if c.name == "in":
        if not c.items:
            return "true"
        return (
            "!(" + " || ".join(f"sameTerm(?value, {_term(i, shape, 'sh:in member')})" for i in c.items) + ")"
        )
    if c.name in ("minLength", "maxLength"):
        op = "<" if c.name == "minLength" else ">"
        return f"(isBlank(?value) || STRLEN(STR(?value)) {op} {_integer(c, shape)})"
    if c.name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        op = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[c.name]
        return f"!COALESCE(?value {op} {_term(c.value, shape, 'sh:' + c.name)}, false)"
    if c.name == "hasValue":  # on a node shape: the focus node itself must be the value
        return f"!sameTerm(?value, {_term(c.value, shape, 'sh:hasValue')})"
    raise ConfigError(f"{shape.file}: shape {shape.label}: sh:{c.name} cannot be compiled")


def _integer(c: Constraint, shape: Shape) -> int:
    try:
        n = int(c.value.value)
    except ValueError:
        n = -1
    if n < 0 or not isinstance(c.value, ox.Literal):
        raise ConfigError(f"{shape.file}: shape {shape.label}: sh:{c.name} must be a non-negative integer")
    return n


def _check_regex(c: Constraint, shape: Shape) -> None:
    if not isinstance(c.value, ox.Literal) or set(c.flags) - set("imsxq"):
        raise ConfigError(
            f"{shape.file}: shape {shape.label}: sh:pattern needs a string and flags from 'imsxq'"
        )
    probe = f'SELECT (REGEX("", {ox.Literal(c.value.value)}, {ox.Literal(c.flags)}) AS ?ok) {{}}'
    row = next(iter(ox.Store().query(probe)))  # type: ignore[arg-type]
    if row["ok"] is None:
        raise ConfigError(
            f"{shape.file}: shape {shape.label}: sh:pattern {c.value.value!r} is not a valid regex"
        )


def _value_check(shape: Shape, focus: str, values: list[Constraint], subclasses: bool) -> Check:
    """One pass over the value nodes; ``?fails`` lists the indexes of the constraints violated."""
    reach = f"?this {shape.path.sparql()} ?value ." if shape.path else "BIND(?this AS ?value)"
    flags = ", ".join(f'IF({_condition(c, shape, subclasses)}, "{i} ", "")' for i, c in enumerate(values))
    query = (
        f"SELECT ?this ?value ?fails WHERE {{\n  {focus}\n  {reach}\n"
        f'  BIND(CONCAT({flags}, "") AS ?fails)\n  FILTER(?fails != "")\n}}'
    )
    return Check(shape, "values", query, tuple(values))


def _count_check(shape: Shape, focus: str, c: Constraint) -> Check | None:
    path = shape.path.sparql()  # type: ignore[union-attr]
    if c.name == "hasValue":
        body = f"FILTER NOT EXISTS {{ ?this {path} {_term(c.value, shape, 'sh:hasValue')} }}"
        return Check(shape, "count", f"SELECT ?this WHERE {{\n  {focus}\n  {body}\n}}", (c,))
    n = _integer(c, shape)
    if c.name == "minCount":
        if n == 0:
            return None
        if n == 1:
            query = f"SELECT ?this WHERE {{\n  {focus}\n  FILTER NOT EXISTS {{ ?this {path} ?_v }}\n}}"
        else:
            query = (
                f"SELECT ?this WHERE {{\n  {focus}\n  OPTIONAL {{ ?this {path} ?_v }}\n}}"
                f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {n})"
            )
    elif n == 0:
        query = f"SELECT ?this WHERE {{\n  {focus}\n  ?this {path} ?_v .\n}}"
    elif n == 1:  # two different values: cheaper than grouping every focus node
        query = (
            f"SELECT ?this WHERE {{\n  {focus}\n  ?this {path} ?_a , ?_b .\n  FILTER(!sameTerm(?_a, ?_b))\n}}"
        )
    else:
        query = (
            f"SELECT ?this WHERE {{\n  {focus}\n  ?this {path} ?_v .\n}}"
            f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {n})"
        )
    return Check(shape, "count", query, (c,))


def _sparql_check(shape: Shape, focus: str, c: Constraint) -> Check:
    inner = c.select
    if shape.path is not None:
        inner = inner.replace("$PATH", shape.path.sparql())
    brace = inner.find("{")
    if brace < 0:
        raise ConfigError(f"{shape.file}: shape {shape.label}: sh:select has no WHERE clause")
    inner = inner[: brace + 1] + " " + SCOPE + " " + inner[brace + 1 :]  # pre-bind: restrict $this early
    query = f"{c.prefixes}\nSELECT * WHERE {{\n  {focus}\n  {{ {inner} }}\n}}"
    return Check(shape, "sparql", query, (c,))


def compile_shape(root: Shape, subclasses: bool) -> list[Check]:
    """Every query needed to validate ``root`` and its property shapes."""
    if root.deactivated:
        return []
    focus = focus_pattern(root, subclasses)
    checks: list[Check] = []
    for shape in (root, *root.properties):
        if shape.deactivated:
            continue
        values = [c for c in shape.constraints if c.name not in (*_COUNTS, "sparql")]
        if shape.path is None:
            values += [c for c in shape.constraints if c.name == "hasValue"]
        if values:
            checks.append(_value_check(shape, focus, values, subclasses))
        for c in shape.constraints:
            if c.name in ("minCount", "maxCount") and shape.path is None:
                raise ConfigError(f"{shape.file}: shape {shape.label}: sh:{c.name} needs a property shape")
            if c.name in _COUNTS and shape.path is not None:
                check = _count_check(shape, focus, c)
                if check is not None:
                    checks.append(check)
            elif c.name == "sparql":
                checks.append(_sparql_check(shape, focus, c))
    return checks
