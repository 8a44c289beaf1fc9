"""The triple patterns a validation query reads, for deciding which entities a change can affect.

An incremental build re-validates only the focus nodes whose results a change can alter. Which ones
those are follows from the patterns each compiled check matches (:mod:`kgpub.validation.dependencies`):
this module reads them out of the query text. It understands the SPARQL the compiler writes and the
``sh:select`` subset the shapes use (groups, OPTIONAL, UNION, MINUS, FILTER / BIND with EXISTS,
sub-selects, predicate, inverse, sequence, alternative and ``*``/``+``/``?`` paths). Anything else
(VALUES, GRAPH, SERVICE, blank-node syntax, negated property sets) raises :class:`Unanalysable`,
and the build validates everything instead: a pattern read wrongly would leave a result stale.

Variables of a sub-select that it does not project are renamed apart, so that a sub-select's own
``?org`` is not mistaken for a join with an outer ``?org``. UNION branches are flattened into one
set of patterns: that can only add join paths, never remove one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from kgpub.validation.sparql_lexer import Unanalysable, path_predicates, path_text, tokens

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_UNSUPPORTED = {"VALUES", "GRAPH", "SERVICE"}


@dataclass(frozen=True, slots=True)
class Atom:
    """One triple pattern: each term is ``?name`` (a variable) or an N-Triples constant. ``closure``
    holds the predicates of a ``*``/``+``/``?`` path (its ``predicate`` is then the SPARQL path)."""

    subject: str
    predicate: str
    object: str
    closure: frozenset[str] = frozenset()
    choices: frozenset[tuple[int, int]] = frozenset()  # (UNION, branch) pairs the atom lies in
    nest: tuple[int, ...] = ()  # the OPTIONAL / EXISTS / MINUS groups it lies in, outermost first

    def renamed(self, name: Callable[[str], str]) -> Atom:
        return replace(self, subject=name(self.subject), predicate=name(self.predicate), object=name(self.object))

    def sparql(self) -> str:
        return f"{self.subject} {self.predicate} {self.object} ."


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = tokens(text)
        self.i = 0
        self.prefixes: dict[str, str] = {}
        self.atoms: list[Atom] = []
        self.aliases: dict[str, str] = {}
        self.fresh = 0
        self.nest: list[int] = []
        self.groups = 0

    # -- tokens ------------------------------------------------------------------------------
    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def word(self, k: int = 0) -> str:
        kind, value = self.peek(k)
        return value.upper() if kind == "word" else ""

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise Unanalysable(f"expected {value!r} near token {self.i}")

    def new_var(self) -> str:
        self.fresh += 1
        return f"?_k{self.fresh}"

    # -- query -------------------------------------------------------------------------------
    def query(self) -> list[Atom]:
        while self.word() in ("PREFIX", "BASE"):
            self.take()
            if self.word(-1) == "BASE":
                raise Unanalysable("BASE")
            name, iri = self.take()[1], self.take()[1]
            self.prefixes[name] = iri[1:-1]
        self.select()
        if self.aliases:
            def same(term: str) -> str:
                while term in self.aliases:
                    term = self.aliases[term]
                return term

            return [a.renamed(same) for a in self.atoms]
        return self.atoms

    def select(self) -> set[str] | None:
        """Parses ``SELECT … WHERE { … } modifiers``; returns the projected variables (None: ``*``)."""
        if self.word() != "SELECT":
            raise Unanalysable("only SELECT queries are analysed")
        self.take()
        projected: set[str] | None = set()
        depth = 0
        while not (self.peek()[1] == "{" or (self.word() == "WHERE" and depth == 0)):
            kind, value = self.take()
            if kind == "end":
                raise Unanalysable("SELECT without WHERE")
            depth += {"(": 1, ")": -1}.get(value, 0)
            if value == "*" and depth == 0:
                projected = None
            elif kind == "var" and projected is not None and (depth == 0 or self.word(-2) == "AS"):
                projected.add(value)
        if self.word() == "WHERE":
            self.take()
        self.group()
        depth = 0
        while self.peek()[0] != "end" and not (self.peek()[1] == "}" and depth == 0):
            value = self.take()[1]
            depth += {"(": 1, ")": -1}.get(value, 0)
            if value.upper() == "EXISTS":
                raise Unanalysable("EXISTS in a solution modifier")
        return projected

    def group(self) -> None:
        self.expect("{")
        while self.peek()[1] != "}":
            kind, value = self.peek()
            up = value.upper() if kind == "word" else ""
            if kind == "end":
                raise Unanalysable("unbalanced braces")
            if value == "{":
                self.union()
            elif value == ".":
                self.take()
            elif up in ("OPTIONAL", "MINUS"):
                self.take()
                self.nested()
            elif up == "UNION":
                raise Unanalysable("UNION without a group before it")
            elif up == "BIND" and [t[1].upper() for t in self.toks[self.i + 1 : self.i + 6]][::2] == ["(", "AS", ")"]:
                self.aliases[self.toks[self.i + 4][1]] = self.toks[self.i + 2][1]  # BIND(?x AS ?y)
                self.i += 6
            elif up in ("FILTER", "BIND"):
                self.take()
                self.expression()
            elif up in _UNSUPPORTED or up == "SELECT":
                raise Unanalysable(up)
            else:
                self.triples()
        self.take()

    def union(self) -> None:
        """``{ … } UNION { … } …``: each branch's atoms are tagged with (union, branch)."""
        ranges = []
        while True:
            start = len(self.atoms)
            if self.word(1) == "SELECT":
                self.take()
                self.subselect()
                self.expect("}")
            else:
                self.group()
            ranges.append((start, len(self.atoms)))
            if self.word() != "UNION":
                break
            self.take()
        if len(ranges) > 1:
            self.groups += 1
            for branch, (start, end) in enumerate(ranges):
                self.atoms[start:end] = [
                    replace(a, choices=a.choices | {(self.groups, branch)}) for a in self.atoms[start:end]
                ]

    def nested(self) -> None:
        """An OPTIONAL, MINUS or EXISTS group: its atoms match only together with the outer ones."""
        self.groups += 1
        self.nest.append(self.groups)
        self.group()
        self.nest.pop()

    def subselect(self) -> None:
        before, start = len(self.atoms), self.fresh
        projected = self.select()
        if projected is None:
            return
        renamed = f"__s{start}_{self.i}"

        def local(term: str) -> str:
            return term + renamed if term.startswith("?") and term not in projected else term

        self.atoms[before:] = [a.renamed(local) for a in self.atoms[before:]]

    def expression(self) -> None:
        """A FILTER / BIND expression: only the patterns of its EXISTS groups are reads."""
        if self.word() == "NOT" and self.word(1) == "EXISTS":
            self.take()
        if self.word() == "EXISTS":
            self.take()
            self.nested()
            return
        if self.peek()[1] != "(":
            self.take()  # FILTER regex(...): a function name first
            if self.peek()[1] != "(":
                raise Unanalysable("FILTER without parentheses")
        depth = 0
        while True:
            kind, value = self.peek()
            if kind == "end":
                raise Unanalysable("unbalanced parentheses")
            if value.upper() == "EXISTS" and kind == "word":
                self.take()
                self.nested()
                if depth == 0:
                    return
                continue
            self.take()
            depth += {"(": 1, ")": -1}.get(value, 0)
            if depth == 0 and value == ")":
                return

    # -- triples -----------------------------------------------------------------------------
    def term(self) -> str:
        kind, value = self.take()
        if kind in ("var", "iri"):
            return value
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix + ":" not in self.prefixes and prefix not in self.prefixes:
                raise Unanalysable(f"undeclared prefix in {value}")
            return "<" + self.prefixes.get(prefix + ":", self.prefixes.get(prefix, "")) + local + ">"
        if kind == "str":
            if self.peek()[1] == "@":
                self.take()
                value += "@" + self.take()[1]
                while self.peek()[1] == "-":
                    value += self.take()[1] + self.take()[1]
            elif self.peek()[1] == "^^":
                self.take()
                value += "^^" + self.term()
            return value
        if kind == "num" or value in ("true", "false"):
            return value
        raise Unanalysable(f"unsupported term {value!r}")

    def triples(self) -> None:
        subject = self.term()
        while True:
            path = self.path_alternative()
            while True:
                obj = self.term()
                self.emit(subject, path, obj)
                if self.peek()[1] != ",":
                    break
                self.take()
            if self.peek()[1] != ";":
                return
            while self.peek()[1] == ";":
                self.take()
            if self.peek()[1] in (".", "}"):
                return

    # A path is a nested tuple: ("p", term) | ("inv", path) | ("seq", [paths]) | ("alt", [paths])
    # | ("closure", path, "*"|"+"|"?")
    def path_alternative(self) -> tuple:
        return self._joined("|", "alt", self.path_sequence)

    def path_sequence(self) -> tuple:
        return self._joined("/", "seq", self.path_element)

    def _joined(self, separator: str, kind: str, part: Callable[[], tuple]) -> tuple:
        """``part`` (separator part)*: the part alone, or (kind, [parts])."""
        items = [part()]
        while self.peek()[1] == separator:
            self.take()
            items.append(part())
        return items[0] if len(items) == 1 else (kind, items)

    def path_element(self) -> tuple:
        kind, value = self.peek()
        if value == "^":
            self.take()
            return ("inv", self.path_element())
        if value == "(":
            self.take()
            inner = self.path_alternative()
            self.expect(")")
        elif value == "a" and kind == "word":
            self.take()
            inner = ("p", _RDF_TYPE)
        elif kind in ("iri", "pname", "var"):
            inner = ("p", self.term())
        else:
            raise Unanalysable(f"unsupported predicate {value!r}")
        if self.peek()[1] in ("*", "+", "?") and self.peek()[0] == "punct":
            return ("closure", inner, self.take()[1])
        return inner

    def emit(self, s: str, path: tuple, o: str) -> None:
        tag = path[0]
        if tag == "p":
            self.atoms.append(Atom(s, path[1], o, nest=tuple(self.nest)))
        elif tag == "inv":
            self.emit(o, path[1], s)
        elif tag == "alt":
            for item in path[1]:
                self.emit(s, item, o)
        elif tag == "seq":
            terms = [s] + [self.new_var() for _ in path[1][1:]] + [o]
            for k, item in enumerate(path[1]):
                self.emit(terms[k], item, terms[k + 1])
        else:
            preds = frozenset(path_predicates(path[1]))
            if any(p.startswith("?") for p in preds):
                raise Unanalysable("a variable inside a closure path")
            self.atoms.append(Atom(s, path_text(path), o, preds, nest=tuple(self.nest)))


def read_atoms(query: str) -> list[Atom]:
    """Every triple pattern ``query`` can match, with ``$x`` written ``?x``."""
    return _Parser(query).query()
