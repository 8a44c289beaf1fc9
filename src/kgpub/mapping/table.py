"""The declarative mapping (``mappings/records.toml``), loaded once and compiled to fast rules.

Compiling means: CURIEs expanded and pre-written as ``<iri>`` text, each field rule turned into a
function from a record value to object terms, so the engine's inner loop only formats strings.
A mapping that names an unknown prefix, template or datatype fails loudly at load time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kgpub.errors import ConfigError
from kgpub.identity import normalise_doi
from kgpub.mapping import ntriples as nt
from kgpub.project import data_file

ObjectWriter = Callable[[Any], list[str]]
# value normalisers a field rule may name (`normalise = "doi"`): the mapping stays data, the code small
NORMALISERS: dict[str, Callable[[Any], Any]] = {
    "doi": normalise_doi,
    "lower": lambda v: str(v).lower(),
    "orcid": lambda v: str(v).strip().upper(),
}
_XSD = nt.XSD


@dataclass(frozen=True, slots=True)
class FieldRule:
    field: str
    predicate: str  # written "<iri>"
    objects: ObjectWriter


@dataclass(frozen=True, slots=True)
class RecordTable:
    types: tuple[str, ...]  # written "<iri>"
    fields: tuple[FieldRule, ...]
    structure: dict[str, str]  # name → written "<iri>"


@dataclass(frozen=True, slots=True)
class MappingTable:
    prefixes: dict[str, str]
    iris: dict[str, str]  # templates, {base} / {key} / {value}
    records: dict[str, RecordTable]  # "work", "person", ...
    counts: dict[str, str]  # profile count label → written "<iri>"

    def term(self, record: str, name: str) -> str:
        return self.records[record].structure[name]


def _expand(prefixes: dict[str, str], curie: str, where: str) -> str:
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in prefixes:
        raise ConfigError(
            f"{where}: {curie!r} is not a CURIE over a declared prefix",
            hint="declare the prefix in [prefixes] of mappings/records.toml",
        )
    return prefixes[prefix] + local


def _literal_writer(datatype: str | None) -> ObjectWriter:
    if datatype == _XSD + "integer":
        return lambda v: [nt.integer(v)]
    if datatype == _XSD + "boolean":
        return lambda v: [nt.boolean(bool(v))]
    if datatype == _XSD + "decimal":
        return lambda v: [nt.decimal(float(v))]
    if datatype == _XSD + "gYear":
        return lambda v: [nt.literal(f"{int(v):04d}", datatype)]
    if datatype == _XSD + "date":
        return lambda v: [nt.literal(v.isoformat(), datatype)]
    if datatype is None:
        return lambda v: [nt.literal(str(v))]
    raise ConfigError(f"datatype {datatype} has no writer in kgpub.mapping.table")


def _iri_writer(template: str) -> ObjectWriter:
    if template == "self":
        return lambda v: [nt.checked_iri(str(v))]
    return lambda v: [nt.iri(template.replace("{value}", nt.iri_segment(str(v))))]


def _compile_field(rule: dict[str, Any], prefixes: dict[str, str], iris: dict[str, str], where: str) -> FieldRule:
    try:
        name, predicate = rule["field"], rule["predicate"]
    except KeyError as exc:
        raise ConfigError(f"{where}: a field rule needs {exc.args[0]!r}") from None
    if "iri" in rule:
        if rule["iri"] != "self" and rule["iri"] not in iris:
            raise ConfigError(f"{where}: unknown IRI template {rule['iri']!r}", hint="add it to [iris]")
        one = _iri_writer("self" if rule["iri"] == "self" else iris[rule["iri"]])
    else:
        dt = rule.get("datatype")
        one = _literal_writer(_expand(prefixes, dt, where) if dt else None)
    norm = rule.get("normalise")
    if norm is not None:
        if norm not in NORMALISERS:
            raise ConfigError(f"{where}: unknown normaliser {norm!r}", hint="one of " + ", ".join(NORMALISERS))
        inner, fn = one, NORMALISERS[norm]

        def one(v: Any) -> list[str]:
            return inner(fn(v))

    objects = _each(one) if rule.get("each") else one
    return FieldRule(name, nt.iri(_expand(prefixes, predicate, where)), objects)


def _each(one: ObjectWriter) -> ObjectWriter:
    return lambda values: [o for v in values for o in one(v)]


def parse_table(data: dict[str, Any], origin: str = "mappings/records.toml") -> MappingTable:
    prefixes = dict(data.get("prefixes", {}))
    iris = dict(data.get("iris", {}))
    records: dict[str, RecordTable] = {}
    for name in ("work", "person", "organization", "profile", "listing", "source", "reconciliation"):
        section = data.get(name)
        if not isinstance(section, dict):
            raise ConfigError(f"{origin}: section [{name}] is missing")
        where = f"{origin} [{name}]"
        records[name] = RecordTable(
            tuple(nt.iri(_expand(prefixes, t, where)) for t in section.get("types", ())),
            tuple(_compile_field(r, prefixes, iris, where) for r in section.get("fields", ())),
            {
                k: nt.iri(_expand(prefixes, v, where))
                for k, v in section.get("structure", section).items()
                if isinstance(v, str)
            },
        )
    counts = {k: nt.iri(_expand(prefixes, v, origin)) for k, v in data.get("profile", {}).get("counts", {}).items()}
    return MappingTable(prefixes, iris, records, counts)


def load_table(path: Path | None = None) -> MappingTable:
    if path is None:
        return _default_table()
    try:
        return parse_table(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


@cache
def _default_table() -> MappingTable:
    return load_table(data_file("mappings", "records.toml"))
