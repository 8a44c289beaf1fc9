"""Reading SHACL shapes (Turtle) into the small model the compiler works from.

Every ``sh:`` predicate on a shape must be one the engine implements: anything else (``sh:or``, a
misspelt ``sh:minCuont``) stops loading with an error naming the file and the shape, because a
constraint that is silently skipped reports data as valid that was never checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path as FsPath

import pyoxigraph as ox

from kgpub.errors import ConfigError
from kgpub.validation import vocab
from kgpub.validation.vocab import SH, sh

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class ShapePath:
    """A SHACL property path: a predicate, or an operator over sub-paths."""

    kind: str  # predicate | inverse | sequence | alternative | zeroOrMore | oneOrMore | zeroOrOne
    iri: str | None = None
    items: tuple[ShapePath, ...] = ()

    def sparql(self, name=lambda iri: f"<{iri}>") -> str:  # type: ignore[no-untyped-def]
        """The SPARQL 1.1 property path; ``name`` writes predicate IRIs (prefixed names for text)."""
        if self.kind == "predicate":
            return str(name(self.iri))
        inner = [item.sparql(name) for item in self.items]
        if self.kind == "inverse":
            return f"^{inner[0]}"
        if self.kind == "sequence":
            return "(" + "/".join(inner) + ")"
        if self.kind == "alternative":
            return "(" + "|".join(inner) + ")"
        suffix = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[self.kind]
        return f"({inner[0]}){suffix}"

    def text(self) -> str:
        """Readable form for reports, with prefixed names."""
        return self.sparql(vocab.compact)

    def turtle(self) -> str:
        """The path as a Turtle term, for sh:resultPath in a report."""
        if self.kind == "predicate":
            return f"<{self.iri}>"
        inner = [item.turtle() for item in self.items]
        if self.kind == "sequence":
            return "( " + " ".join(inner) + " )"
        if self.kind == "alternative":
            return f"[ <{SH}alternativePath> ( " + " ".join(inner) + " ) ]"
        local = {"inverse": "inversePath"}.get(self.kind, self.kind + "Path")
        return f"[ <{SH}{local}> {inner[0]} ]"


@dataclass(frozen=True, slots=True)
class Constraint:
    """One constraint parameter of a shape (for sh:sparql: one SPARQL constraint node)."""

    name: str  # local name of the parameter: "minCount", "pattern", "sparql", ...
    value: Term
    items: tuple[Term, ...] = ()  # sh:in members
    flags: str = ""  # sh:flags beside sh:pattern
    select: str = ""  # sh:select of a SPARQL constraint
    prefixes: str = ""  # PREFIX lines from its sh:prefixes declarations
    message: tuple[str, ...] = ()  # sh:message of a SPARQL constraint (overrides the shape's)

    @property
    def component(self) -> ox.NamedNode:
        return sh(vocab.COMPONENTS[self.name])


@dataclass(slots=True)
class Shape:
    node: ox.NamedNode | ox.BlankNode
    file: str
    severity: ox.NamedNode = vocab.VIOLATION
    targets: list[tuple[str, Term]] = field(default_factory=list)
    path: ShapePath | None = None
    messages: tuple[str, ...] = ()
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    deactivated: bool = False

    @property
    def label(self) -> str:
        if isinstance(self.node, ox.NamedNode):
            return vocab.compact(self.node.value)
        return f"_:{self.node.value}"


class _Graph:
    """The parsed shapes files, with the look-ups the reader needs."""

    def __init__(self, files: Iterable[FsPath]) -> None:
        self.store = ox.Store()
        self.file_of: dict[str, str] = {}
        for path in files:
            graph = ox.NamedNode(path.resolve().as_uri())
            try:
                self.store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
            except SyntaxError as exc:
                raise ConfigError(f"{path}: not valid Turtle: {exc}") from None
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                self.file_of.setdefault(str(quad.subject), path.name)

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        if isinstance(subject, ox.Literal):
            return []
        return [q.object for q in self.store.quads_for_pattern(subject, predicate, None)]  # type: ignore[misc]

    def one(self, subject: Term, local: str) -> Term | None:
        found = self.objects(subject, sh(local))
        if len(found) > 1:
            raise self.error(subject, f"sh:{local} given {len(found)} times; give it once")
        return found[0] if found else None

    def pairs(self, subject: Term) -> list[tuple[ox.NamedNode, Term]]:
        if isinstance(subject, ox.Literal):
            return []
        return [(q.predicate, q.object) for q in self.store.quads_for_pattern(subject, None, None)]  # type: ignore[misc]

    def rdf_list(self, head: Term) -> list[Term]:
        items: list[Term] = []
        while head != vocab.RDF_NIL:
            first = self.objects(head, vocab.RDF_FIRST)
            rest = self.objects(head, vocab.RDF_REST)
            if len(first) != 1 or len(rest) != 1:
                raise self.error(head, "malformed RDF list (each cell needs one rdf:first and one rdf:rest)")
            items.append(first[0])
            head = rest[0]
        return items

    def error(self, subject: Term, message: str) -> ConfigError:
        where = self.file_of.get(str(subject), "shapes")
        return ConfigError(f"{where}: shape {subject}: {message}")


def _read_path(g: _Graph, node: Term) -> ShapePath:
    if isinstance(node, ox.NamedNode):
        return ShapePath("predicate", node.value)
    if isinstance(node, ox.Literal):
        raise g.error(node, "sh:path must be an IRI or a path expression, not a literal")
    if g.objects(node, vocab.RDF_FIRST):
        return ShapePath("sequence", items=tuple(_read_path(g, item) for item in g.rdf_list(node)))
    pairs = [(p, o) for p, o in g.pairs(node) if p.value.startswith(SH)]
    if len(pairs) != 1 or pairs[0][0].value[len(SH) :] not in vocab.PATH_PREDICATES:
        raise g.error(node, "unsupported path expression (use an IRI, a list, or one sh:*Path)")
    local, target = pairs[0][0].value[len(SH) :], pairs[0][1]
    if local == "alternativePath":
        return ShapePath("alternative", items=tuple(_read_path(g, item) for item in g.rdf_list(target)))
    kind = "inverse" if local == "inversePath" else local[: -len("Path")]
    return ShapePath(kind, items=(_read_path(g, target),))


def _messages(values: list[Term]) -> tuple[str, ...]:
    """Messages with English or untagged first: the report shows the first one."""
    lits = [v for v in values if isinstance(v, ox.Literal)]
    lits.sort(key=lambda lit: (lit.language not in (None, "en"), lit.value))
    return tuple(lit.value for lit in lits)


def _prefix_block(g: _Graph, constraint: Term) -> str:
    lines = []
    for holder in g.objects(constraint, sh("prefixes")):
        for decl in g.objects(holder, sh("declare")):
            prefix, namespace = g.one(decl, "prefix"), g.one(decl, "namespace")
            if prefix is None or namespace is None:
                raise g.error(holder, "sh:declare needs sh:prefix and sh:namespace")
            lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
    return "\n".join(sorted(set(lines)))


def _read_sparql(g: _Graph, node: Term) -> Constraint | None:
    for predicate, _ in g.pairs(node):
        local = predicate.value[len(SH) :]
        if predicate.value.startswith(SH) and local not in vocab.SPARQL_PREDICATES:
            raise g.error(node, f"sh:{local} is not supported in a SPARQL constraint")
    if g.one(node, "deactivated") == ox.Literal("true", datatype=ox.NamedNode(vocab.XSD + "boolean")):
        return None
    select = g.one(node, "select")
    if select is None:
        raise g.error(node, "SPARQL constraint without sh:select (sh:ask is not supported)")
    text = select.value
    if any(word in text.upper().split() for word in ("PREFIX", "BASE")):
        raise g.error(node, "declare prefixes with sh:prefixes, not PREFIX inside sh:select")
    for unsupported in ("$currentShape", "$shapesGraph", "?currentShape", "?shapesGraph"):
        if unsupported in text:
            raise g.error(node, f"{unsupported} is not supported in sh:select")
    return Constraint(
        "sparql",
        node,
        select=text,
        prefixes=_prefix_block(g, node),
        message=_messages(g.objects(node, sh("message"))),
    )


def _read_shape(g: _Graph, node: ox.NamedNode | ox.BlankNode, nested: bool) -> Shape:
    shape = Shape(node, g.file_of.get(str(node), "shapes"))
    pending_flags = ""
    for predicate, value in g.pairs(node):
        if not predicate.value.startswith(SH):
            continue
        local = predicate.value[len(SH) :]
        if local not in vocab.SUPPORTED_SHAPE_PREDICATES:
            raise g.error(
                node,
                f"sh:{local} is not supported by kgpub's validation engine (or is misspelt); "
                "supported: " + ", ".join(sorted(vocab.SUPPORTED_SHAPE_PREDICATES)),
            )
        if local in vocab.TARGETS:
            shape.targets.append((local, value))
        elif local == "path":
            shape.path = _read_path(g, value)
        elif local == "severity":
            if value not in vocab.SEVERITIES:
                raise g.error(node, f"sh:severity must be sh:Violation, sh:Warning or sh:Info, not {value}")
            shape.severity = value  # type: ignore[assignment]
        elif local == "deactivated":
            shape.deactivated = isinstance(value, ox.Literal) and value.value == "true"
        elif local == "flags":
            pending_flags = value.value
        elif local == "in":
            shape.constraints.append(Constraint("in", value, items=tuple(g.rdf_list(value))))
        elif local == "sparql":
            constraint = _read_sparql(g, value)
            if constraint is not None:
                shape.constraints.append(constraint)
        elif local in vocab.COMPONENTS:
            shape.constraints.append(Constraint(local, value))
    shape.messages = _messages(g.objects(node, sh("message")))
    if pending_flags:
        shape.constraints = [
            Constraint(c.name, c.value, flags=pending_flags) if c.name == "pattern" else c
            for c in shape.constraints
        ]
    for prop in g.objects(node, sh("property")):
        if nested:
            raise g.error(node, "a property shape inside a property shape is not supported")
        if isinstance(prop, ox.Literal):
            raise g.error(node, "sh:property must point to a shape node")
        child = _read_shape(g, prop, nested=True)
        if child.path is None:
            raise g.error(prop, "property shape without sh:path")
        shape.properties.append(child)
    if nested and shape.targets:
        raise g.error(node, "targets on a property shape reached through sh:property are not supported")
    return shape


def load_shapes(shapes_dir: str | FsPath | None = None) -> list[Shape]:
    """The top-level shapes (those with targets) of every ``*.ttl`` file in ``shapes_dir``
    (default: the project's shapes/), with their property shapes attached."""
    if shapes_dir is None:
        from kgpub.project import data_dir

        shapes_dir = data_dir("shapes")
    files = sorted(FsPath(shapes_dir).glob("*.ttl"))
    if not files:
        raise ConfigError(f"no shapes (*.ttl) found in {shapes_dir}")
    g = _Graph(files)
    rdfs_class = ox.NamedNode(vocab.RDFS + "Class")
    roots: list[Shape] = []
    for target in vocab.TARGETS:
        for quad in g.store.quads_for_pattern(None, sh(target), None):
            if not any(s.node == quad.subject for s in roots):
                roots.append(_read_shape(g, quad.subject, nested=False))  # type: ignore[arg-type]
    referenced = {q.object for q in g.store.quads_for_pattern(None, sh("property"), None)}
    for kind in ("NodeShape", "PropertyShape"):
        for quad in g.store.quads_for_pattern(None, vocab.RDF_TYPE, sh(kind)):
            node = quad.subject
            if not isinstance(node, ox.NamedNode | ox.BlankNode):
                continue
            if g.objects(node, vocab.RDF_TYPE).count(rdfs_class):
                raise g.error(
                    node,
                    "implicit class targets (a shape that is also an rdfs:Class) are not "
                    "supported; add sh:targetClass",
                )
            if node not in referenced and not any(s.node == node for s in roots):
                raise g.error(
                    node, "shape has no target and is not used by another shape: it would check nothing"
                )
    for root in roots:
        if root.path is not None and root.properties:
            raise g.error(root.node, "a shape with sh:path cannot also have sh:property")
    return sorted(roots, key=lambda s: str(s.node))
