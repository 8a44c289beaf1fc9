"""Named queries: ``sparql/*.rq`` files with a metadata header, run with typed, bound parameters.

A header is a block of ``#`` comment lines at the top of the file::

    # title: Works of a person
    # description: The person's works, newest first.
    # param: person type=iri class=http://schema.org/Person required -- the person
    # param: since type=date -- only works dated on or after this day
    # formats: json, csv, html

Parameters are parsed by type and bound as RDF terms through pyoxigraph's ``substitutions``: the
query text is never changed by a value, so no value can change the query's structure. The only text
kgpub appends is ``LIMIT``/``OFFSET`` with integers it formatted itself.

Two rules follow from pyoxigraph's substitution semantics: a parameter must be projected in the
``SELECT`` clause (checked when the file is read), and an optional parameter is tested with
``COALESCE(expr-using-?param, true)`` rather than ``BOUND(?param)`` (a substituted variable is not
``BOUND`` inside the pattern).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgpub.errors import UsageError
from kgpub.project import data_dir
from kgpub.store import Store

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "integer", "date", "year", "string", "category")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
MAX_STRING = 500


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    cls: str | None = None  # for type=iri: the class the entity must have
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    formats: tuple[str, ...] = ("json", "csv", "html")
    path: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _parse_param(spec: str, where: str) -> Param:
    spec, _, help_text = spec.partition("--")
    words = spec.split()
    if not words or not _NAME.match(words[0]):
        raise ValueError(f"{where}: a param line starts with a lower-case name: {spec!r}")
    opts: dict[str, Any] = {"name": words[0], "help": help_text.strip(), "type": "string"}
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq and key == "required":
            opts["required"] = True
        elif key == "type" and value in TYPES:
            opts["type"] = value
        elif key == "class":
            opts["cls"] = value
        elif key == "default":
            opts["default"] = value
        elif key in ("min", "max"):
            opts["minimum" if key == "min" else "maximum"] = int(value)
        else:
            raise ValueError(f"{where}: unknown param option {word!r} (types: {', '.join(TYPES)})")
    return Param(**opts)


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file; a malformed header raises ValueError naming file and line."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.startswith("#"):
            break
        key, colon, value = line[1:].strip().partition(":")
        if not colon:
            continue
        key = key.strip().lower()
        if key == "param":
            params.append(_parse_param(value.strip(), f"{path.name}:{lineno}"))
        else:
            meta[key] = value.strip()
    if "title" not in meta:
        raise ValueError(f"{path.name}:1: a named query needs a '# title:' header line")
    _check_projection(path.name, text, params)
    formats = tuple(f.strip() for f in meta.pop("formats", "json, csv, html").split(",") if f.strip())
    return NamedQuery(
        name=path.stem, title=meta.pop("title"), description=meta.pop("description", ""), text=text,
        params=tuple(params), formats=formats, path=path, extra=meta,
    )


def _check_projection(filename: str, text: str, params: list[Param]) -> None:
    """pyoxigraph binds substitutions only for projected variables (SEP-0007): require it."""
    match = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\b|\{)", text, re.I | re.S)
    if match is None or match.group(1).strip() == "*":
        return
    projected = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", match.group(1)))
    for param in params:
        if param.name not in projected:
            raise ValueError(f"{filename}: parameter {param.name!r} must be projected in SELECT (SEP-0007 binding)")


@cache
def _load_all(folder: str) -> dict[str, NamedQuery]:
    return {p.stem: parse_named_query(p) for p in sorted(Path(folder).glob("*.rq"))}


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries shipped in ``sparql/`` (read once per process)."""
    return _load_all(str(folder or data_dir("sparql")))


def get_named_query(name: str) -> NamedQuery:
    found = named_queries().get(name)
    if found is None:
        raise UsageError(f"no named query {name!r}", hint="GET /queries lists them")
    return found


def _bad(param: Param, why: str) -> UsageError:
    return UsageError(f"parameter {param.name!r}: {why}", hint=param.help or None)


def bind_value(param: Param, raw: str, store: Store | None = None) -> ox.NamedNode | ox.Literal:
    """Parse one raw value by the parameter's type into an RDF term (400 naming the parameter)."""
    if len(raw) > MAX_STRING:
        raise _bad(param, f"longer than {MAX_STRING} characters")
    if param.type == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
            raise _bad(param, "must be an absolute http(s) IRI")
        node = ox.NamedNode(raw)
        if param.cls and store is not None:
            ask = "ASK { ?e a ?c }"
            found = store.query(ask, substitutions={"e": node, "c": ox.NamedNode(param.cls)})
            if not bool(found):
                raise _bad(param, f"no entity {raw} of class {param.cls}")
        return node
    if param.type in ("integer", "year"):
        try:
            value = int(raw, 10)
        except ValueError:
            raise _bad(param, f"must be an integer, got {raw!r}") from None
        if param.minimum is not None and value < param.minimum:
            raise _bad(param, f"must be ≥ {param.minimum}")
        if param.maximum is not None and value > param.maximum:
            raise _bad(param, f"must be ≤ {param.maximum}")
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + ("gYear" if param.type == "year" else "integer")))
    if param.type == "date":
        try:
            return ox.Literal(dt.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except ValueError:
            raise _bad(param, f"must be a date like 2023-01-31, got {raw!r}") from None
    if param.type == "category":
        if not re.fullmatch(r"[a-z-]{2,10}(\.[A-Za-z-]{2,10})?", raw):
            raise _bad(param, f"must be an arXiv category such as cs.LG, got {raw!r}")
        return ox.NamedNode("https://w3id.org/kgpub/arxiv/" + raw)
    if any(ord(c) < 32 for c in raw):
        raise _bad(param, "control characters are not allowed")
    return ox.Literal(raw)


def bind(query: NamedQuery, values: Mapping[str, str], store: Store | None = None) -> dict[str, Any]:
    """All parameters of a query as substitutions; unknown or missing ones are 400s."""
    known = {p.name for p in query.params}
    unknown = sorted(set(values) - known)
    if unknown:
        raise UsageError(f"unknown parameter(s) {unknown} for query {query.name!r}",
                         hint="parameters: " + (", ".join(sorted(known)) or "none"))
    subs: dict[str, Any] = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None or raw == "":
            if param.required:
                raise _bad(param, "is required")
            continue
        subs[param.name] = bind_value(param, raw, store)
    return subs


def paged_text(query: NamedQuery, limit: int, offset: int) -> str:
    """The query text with a page window; asks one row more to learn whether a next page exists."""
    return f"{query.text.rstrip()}\nLIMIT {int(limit) + 1}\nOFFSET {int(offset)}\n"
