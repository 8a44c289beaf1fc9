"""Which focus nodes a change of the data can affect: the bound for an incremental validation.

A check's result for a focus node F can only change if a triple one of its patterns matched (or
failed to match, under NOT EXISTS / OPTIONAL) for F was added or removed. For each pattern of each
check (:mod:`kgpub.validation.patterns`) this module keeps the join paths that lead from ``?this``
to the pattern; given the changed triples it evaluates each path backwards from the changed triple
to the focus nodes, on the data as it will be published. That is sound for removals too: in a lost
derivation, the first removed triple along a path from ``?this`` has a path prefix that is still
there. So the bound follows the patterns, not the graph:

* a title edit touches the work alone; a person's changed work list reaches the person through
  ``?this schema:author ?value`` only if the person's type changed (``sh:class``), and the profile
  snapshot through ``?this kgpub:snapshotOf ?person . ?work schema:author ?person`` (stated counts);
* a DOI added anywhere reaches every work holding that DOI through ``?this kgpub:doi ?id``;
* a pattern no path joins to ``?this`` (a check reading the whole graph), a change inside a
  ``*``/``+`` path (``rdfs:subClassOf``), a blank node, or a literal focus node cannot be bounded:
  :class:`Unbounded` says why, and the build validates everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgpub.validation import vocab
from kgpub.validation.compile import SCOPE, Check
from kgpub.validation.patterns import Atom, Unanalysable, read_atoms

THIS = "?this"
_REPORT_PREDICATES = {f"<{vocab.RDF}first>", f"<{vocab.RDF}rest>", "<https://w3id.org/kgpub/ns#shapesDigest>"}
_MAX_ALTERNATIVES = 256
_CHUNK = 400


class Unbounded(Exception):
    """The change can affect focus nodes this analysis cannot enumerate: validate everything."""


@dataclass(frozen=True, slots=True)
class _Rule:
    """Changed triples matching ``atom`` affect the focus nodes reached by ``chain`` from the
    triple's term at ``position`` (bound to ``end``); an empty chain: that term is the focus."""

    atom: Atom
    position: int  # 0 subject, 1 predicate, 2 object
    end: str
    chain: tuple[str, ...]


@dataclass
class Dependencies:
    rules: list[_Rule] = field(default_factory=list)
    unbounded: list[tuple[Atom, str]] = field(default_factory=list)  # (atom, why) if a change matches
    closures: dict[str, str] = field(default_factory=dict)  # predicate -> check that walks it with * or +
    atoms: list[Atom] = field(default_factory=list)  # every pattern of every check

    def reads_report(self) -> str | None:
        """Why a check could match a statement of a validation report (an sh: or list predicate, a
        report or result type, any predicate at all), or None: then the published report graph
        beside the data changes no result, and the data need not be copied without it."""
        report_types = {f"<{vocab.SH}ValidationReport>", f"<{vocab.SH}ValidationResult>"}
        for a in self.atoms:
            p = a.predicate
            if a.closure:
                if a.object in report_types or any(x.startswith(f"<{vocab.SH}") for x in a.closure):
                    return a.sparql()
            elif (
                _is_var(p)
                or p.startswith(f"<{vocab.SH}")
                or p in _REPORT_PREDICATES
                or (p == f"<{vocab.RDF}type>" and a.object in report_types)
            ):
                return a.sparql()
        return None

    def affected(self, changed: Iterable[ox.Triple | ox.Quad], run: Callable[[str], Any]) -> set[ox.NamedNode]:
        """Focus nodes whose results ``changed`` triples can alter; ``run`` evaluates SPARQL on the
        merged view of the data about to be published. Raises :class:`Unbounded`."""
        direct: set[Any] = set()
        pending: dict[tuple[str, tuple[str, ...]], set[Any]] = {}
        by_predicate: dict[str, list[_Rule]] = {}
        for rule in self.rules:
            by_predicate.setdefault(rule.atom.predicate if not _is_var(rule.atom.predicate) else "", []).append(rule)
        for t in changed:
            terms = (t.subject, t.predicate, t.object)
            if any(isinstance(x, ox.BlankNode) for x in terms):
                raise Unbounded("a changed statement has a blank node (its identity across builds is unknown)")
            p = str(t.predicate)
            if p in self.closures:
                raise Unbounded(f"{vocab_name(p)} changed, which {self.closures[p]} follows transitively")
            for atom, why in self.unbounded:
                if _matches(atom, terms):
                    raise Unbounded(why)
            for rule in by_predicate.get(p, []) + by_predicate.get("", []):
                if not _matches(rule.atom, terms):
                    continue
                term = terms[rule.position]
                if rule.chain:
                    pending.setdefault((rule.end, rule.chain), set()).add(term)
                else:
                    direct.add(term)
        for (end, chain), terms_ in pending.items():
            ordered = sorted(terms_, key=str)
            for i in range(0, len(ordered), _CHUNK):
                values = " ".join(str(x) for x in ordered[i : i + _CHUNK])
                query = f"SELECT DISTINCT ?this WHERE {{ VALUES {end} {{ {values} }} {' '.join(chain)} }}"
                direct.update(row["this"] for row in run(query))
        odd = [x for x in direct if not isinstance(x, ox.NamedNode)]
        if odd:
            raise Unbounded(f"a focus node that is not an IRI may be affected ({odd[0]})")
        return direct


def vocab_name(iri: str) -> str:
    from kgpub.validation.vocab import compact

    return compact(iri.strip("<>"))


def _is_var(term: str) -> bool:
    return term.startswith("?")


def _matches(atom: Atom, terms: Sequence[Any]) -> bool:
    """IRI constants must be equal; variables and literal constants match anything (a literal
    constant's spelling in a query need not be the stored one: matching it loosely only widens)."""
    for want, got in zip((atom.subject, atom.predicate, atom.object), terms, strict=True):
        if want.startswith("<") and not atom.closure and want != str(got):
            return False
    return not atom.closure


def _disjuncts(atoms: Sequence[Atom]) -> list[list[Atom]]:
    """The atoms of each UNION-free alternative: one branch of every UNION (a derivation of a
    result matches the atoms of one alternative)."""
    unions: dict[int, set[int]] = {}
    for a in atoms:
        for union, branch in a.choices:
            unions.setdefault(union, set()).add(branch)
    picks: list[dict[int, int]] = [{}]
    for union, branches in sorted(unions.items()):
        picks = [{**p, union: b} for p in picks for b in sorted(branches)]
        if len(picks) > _MAX_ALTERNATIVES:
            raise Unanalysable(f"more than {_MAX_ALTERNATIVES} UNION alternatives")
    out = []
    for pick in picks:
        chosen = [a for a in atoms if all(pick[u] == b for u, b in a.choices)]
        if chosen not in out:
            out.append(chosen)
    return out


Tree = tuple[dict[str, tuple[Atom, ...]], dict[Atom, str]]  # var -> atoms from ?this; edge -> its near end


def _ends(a: Atom) -> list[str]:
    return [x for x in (a.subject, a.predicate, a.object) if _is_var(x)]


def _grow(tree: Tree, allowed: Sequence[Atom]) -> Tree:
    """Breadth-first spanning tree from ?this over ``allowed``, extending ``tree``."""
    paths, near = dict(tree[0]), dict(tree[1])
    while True:
        added: list[tuple[str, tuple[Atom, ...], Atom, str]] = []
        for a in allowed:
            if a in near:
                continue
            reached = sorted((x for x in _ends(a) if x in paths), key=lambda x: len(paths[x]))
            fresh = [x for x in _ends(a) if x not in paths]
            if reached and fresh:
                added.extend((y, (*paths[reached[0]], a), a, reached[0]) for y in fresh)
        if not added:
            return paths, near
        for var, path, a, end in added:
            if var not in paths:
                paths[var] = path
                near.setdefault(a, end)


def _alternative_rules(atoms: Sequence[Atom]) -> Iterable[tuple[Atom, str | None, tuple[Atom, ...]]]:
    """(atom, end variable, path from ?this to it) for each atom; end None: nothing joins it.

    The paths form one tree per OPTIONAL/EXISTS/MINUS nesting, each extending its parent's, and a
    path uses only atoms of the atom's own group or enclosing ones: whenever the atom matches in a
    derivation, so do the atoms on its path, and the first changed atom on any path has the path's
    prefix as its own path (what makes evaluating them on the new data enough)."""
    nests = sorted({a.nest[:k] for a in atoms for k in range(len(a.nest) + 1)} | {()}, key=len)
    trees: dict[tuple[int, ...], Tree] = {}
    for nest in nests:
        parent = trees[nest[:-1]] if nest else ({THIS: ()}, {})
        trees[nest] = _grow(parent, [a for a in atoms if a.nest == nest[: len(a.nest)] and not a.closure])
    for a in atoms:
        paths, near = trees[a.nest]
        if THIS in _ends(a):
            yield a, THIS, ()
            continue
        if a in near:
            yield a, near[a], paths[near[a]]
            continue
        reached = sorted((x for x in _ends(a) if x in paths), key=lambda x: len(paths[x]))
        yield (a, reached[0], paths[reached[0]]) if reached else (a, None, ())


def analyse(checks: Sequence[Check]) -> Dependencies:
    """The rules of every check; a check whose query cannot be read makes every change unbounded."""
    deps = Dependencies()
    seen: set[_Rule] = set()
    for check in checks:
        name = f"shape {check.shape.label} ({check.shape.file})"
        try:
            atoms = read_atoms(check.query.replace(SCOPE, ""))
            deps.atoms.extend(atoms)
            for alternative in _disjuncts(atoms):
                for atom, end, chain in _alternative_rules(alternative):
                    if atom.closure:
                        deps.closures.update({p: name for p in atom.closure})
                        continue
                    core = Atom(atom.subject, atom.predicate, atom.object)
                    if end is None:
                        deps.unbounded.append((core, f"{name} reads {core.sparql()} for every focus node"))
                        continue
                    position = (atom.subject, atom.predicate, atom.object).index(end)
                    rule = _Rule(core, position, end, tuple(a.sparql() for a in chain))
                    if rule not in seen:
                        seen.add(rule)
                        deps.rules.append(rule)
        except Unanalysable as exc:
            deps.atoms.append(Atom("?s", "?p", "?o"))
            deps.unbounded.append((Atom("?s", "?p", "?o"), f"{name}: its query cannot be analysed ({exc})"))
    return deps
