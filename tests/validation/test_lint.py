"""Shape lint: validators silently ignore a term they do not know, so a misspelt ``sh:minCuont``
would make a rule vanish without a sound. Every ``sh:`` IRI used in shapes/ is checked against the
SHACL vocabulary (W3C Recommendation, 2017: the terms of its shacl.ttl, written here as data), and
every rule carries what a curator needs: a severity and a message."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.project import data_dir
from kgpub.validation import load_shapes

SH = "http://www.w3.org/ns/shacl#"
KGPUB = "https://w3id.org/kgpub/ns#"

_VOCABULARY = """
Shape NodeShape PropertyShape ValidationReport ValidationResult AbstractResult Severity Info Warning
Violation NodeKind BlankNode BlankNodeOrIRI BlankNodeOrLiteral IRI IRIOrLiteral Literal ConstraintComponent
Parameter Parameterizable Validator SPARQLAskValidator SPARQLSelectValidator PrefixDeclaration
SPARQLExecutable SPARQLAskExecutable SPARQLSelectExecutable SPARQLConstructExecutable SPARQLUpdateExecutable
SPARQLConstraint SPARQLTarget SPARQLTargetType SPARQLFunction SPARQLRule Function Target TargetType
PropertyGroup Rule TripleRule JSConstraint JSExecutable JSFunction JSLibrary JSRule JSTarget JSTargetType
JSValidator ResultAnnotation SPARQLValuesDeriver
targetClass targetNode targetObjectsOf targetSubjectsOf message severity deactivated conforms result
focusNode resultMessage resultSeverity resultPath sourceConstraint sourceConstraintComponent sourceShape
value detail shapesGraph suggestedShapesGraph shapesGraphWellFormed entailment path inversePath
alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath parameter labelTemplate optional validator
nodeValidator propertyValidator class datatype nodeKind minCount maxCount minExclusive minInclusive
maxExclusive maxInclusive minLength maxLength pattern flags languageIn uniqueLang equals disjoint lessThan
lessThanOrEquals not and or xone node property qualifiedValueShape qualifiedValueShapesDisjoint
qualifiedMinCount qualifiedMaxCount closed ignoredProperties hasValue in name description order group
defaultValue sparql select ask construct update prefixes declare prefix namespace returnType
resultAnnotation annotationProperty annotationValue annotationVarName this filterShape nodes intersection
union expression rule condition subject predicate object target js jsFunctionName jsLibrary jsLibraryURL
AndConstraintComponent ClassConstraintComponent ClosedConstraintComponent DatatypeConstraintComponent
DisjointConstraintComponent EqualsConstraintComponent ExpressionConstraintComponent
HasValueConstraintComponent InConstraintComponent JSConstraintComponent LanguageInConstraintComponent
LessThanConstraintComponent LessThanOrEqualsConstraintComponent MaxCountConstraintComponent
MaxExclusiveConstraintComponent MaxInclusiveConstraintComponent MaxLengthConstraintComponent
MinCountConstraintComponent MinExclusiveConstraintComponent MinInclusiveConstraintComponent
MinLengthConstraintComponent NodeConstraintComponent NodeKindConstraintComponent NotConstraintComponent
OrConstraintComponent PatternConstraintComponent PropertyConstraintComponent
QualifiedMaxCountConstraintComponent QualifiedMinCountConstraintComponent SPARQLConstraintComponent
UniqueLangConstraintComponent XoneConstraintComponent
"""
SHACL_TERMS = frozenset(_VOCABULARY.split())

SHAPE_FILES = sorted(data_dir("shapes").glob("*.ttl"))


def _sh_terms(path: Path) -> set[str]:
    found = set()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(SH):
                found.add(term.value[len(SH) :])
    return found


def test_there_are_shape_files() -> None:
    assert {p.name for p in SHAPE_FILES} >= {"work.ttl", "agents.ttl", "sources.ttl"}


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_every_sh_term_is_in_the_shacl_vocabulary(path: Path) -> None:
    unknown = _sh_terms(path) - SHACL_TERMS
    assert not unknown, f"{path.name}: not SHACL terms (misspelt?): {sorted(unknown)}"


def test_the_lint_catches_a_misspelling(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> sh:minCuont 1 .\n")
    assert _sh_terms(bad) - SHACL_TERMS == {"minCuont"}


def test_every_shape_loads_in_the_engine() -> None:
    roots = load_shapes()
    assert len(roots) >= 10
    classes = {v.value for r in roots for kind, v in r.targets if kind == "targetClass"}
    for cls in (
        "http://schema.org/ScholarlyArticle",
        "http://schema.org/Person",
        "http://schema.org/Organization",
        "https://w3id.org/kgpub/ns#Authorship",
        "https://w3id.org/kgpub/ns#ProfileSnapshot",
        "https://w3id.org/kgpub/ns#FeedListing",
        "http://www.w3.org/2004/02/skos/core#Concept",
        "https://w3id.org/kgpub/ns#SourceDocument",
    ):
        assert cls in classes, f"no shape targets {cls}"


def test_every_rule_has_a_message_for_curators() -> None:
    for root in load_shapes():
        for shape in (root, *root.properties):
            for c in shape.constraints:
                messages = c.message or shape.messages
                assert messages, f"{shape.label} sh:{c.name} has no sh:message"
                assert len(messages[0]) > 40, f"{shape.label}: message too short to tell a curator what to do"


def test_property_shapes_state_their_severity() -> None:
    """SHACL does not inherit severity from the node shape: each property shape says its own."""
    severity = ox.NamedNode(SH + "severity")
    path = ox.NamedNode(SH + "path")
    for file in SHAPE_FILES:
        quads = list(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))
        with_path = {q.subject for q in quads if q.predicate == path}
        with_severity = {q.subject for q in quads if q.predicate == severity}
        assert with_path <= with_severity, f"{file.name}: property shapes without sh:severity"


def test_kgpub_terms_in_shapes_are_declared_by_the_ontology() -> None:
    """A misspelt kgpub: property (``kgpub:snapshotof``) would make a rule check nothing."""
    ontology = data_dir("ontology") / "kgpub.ttl"
    if not ontology.is_file():
        pytest.skip("ontology/kgpub.ttl is not in this checkout")
    declared = {
        q.subject.value.removeprefix(KGPUB)
        for q in ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(KGPUB)
    }
    for path in SHAPE_FILES:
        used = set(re.findall(r"kgpub:([A-Za-z][A-Za-z0-9]*)", path.read_text(encoding="utf-8")))
        assert used - declared == set(), f"{path.name}: kgpub terms the ontology does not declare"
