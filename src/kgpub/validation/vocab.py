"""The SHACL terms kgpub's engine understands, and the prefixes its reports print.

The engine refuses any ``sh:`` term on a shape that is not listed here as supported: a validator
that skips a constraint it does not know (or a misspelt one) reports "conforms" for data it never
checked, and a curator would trust it.
"""

from __future__ import annotations

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")


def sh(local: str) -> ox.NamedNode:
    return ox.NamedNode(SH + local)


VIOLATION = sh("Violation")
WARNING = sh("Warning")
INFO = sh("Info")
SEVERITIES = (VIOLATION, WARNING, INFO)
SEVERITY_NAMES = {VIOLATION: "Violation", WARNING: "Warning", INFO: "Info"}

# Targets the engine turns into focus-node patterns.
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")

# Constraint parameters, each with the constraint component it belongs to.
COMPONENTS = {
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "class": "ClassConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
}

# Other sh: predicates a shape may carry: structure, report text, and non-validating annotations.
STRUCTURE = ("path", "property", "severity", "message", "deactivated", "flags")
ANNOTATIONS = ("name", "description", "order", "group", "defaultValue")
SUPPORTED_SHAPE_PREDICATES = frozenset((*TARGETS, *COMPONENTS, *STRUCTURE, *ANNOTATIONS))

# Predicates inside a sh:path expression and inside a sh:SPARQLConstraint / prefix declaration.
PATH_PREDICATES = ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")
SPARQL_PREDICATES = frozenset(
    ("select", "prefixes", "message", "deactivated", "declare", "prefix", "namespace")
)

NODE_KINDS = {
    "IRI": "isIRI(?value)",
    "BlankNode": "isBlank(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
    "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}

# Datatypes whose lexical form SPARQL can check by casting (an ill-formed literal fails sh:datatype).
CASTABLE = frozenset(
    XSD + local
    for local in (
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "date",
        "dateTime",
        "time",
        "gYear",
        "gYearMonth",
        "duration",
    )
)

PREFIXES = {
    "schema": "http://schema.org/",
    "kgpub": "https://w3id.org/kgpub/ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "kgs": "https://w3id.org/kgpub/shapes#",
}


def compact(iri: str) -> str:
    """A prefixed name for reports, or the IRI in angle brackets when no prefix fits."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and iri[len(ns) :].replace("_", "a").replace("-", "a").isalnum():
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"
