"""Checking one line of a records file against the documented contract (mappings/records.schema.json).

Kept apart from the parser so that the rules a line must meet — size, nesting, JSON, ``type``, the
schema — read in one place, and so that other tools (a validator command, tests) can reuse them.
Limits are checked before the JSON parser sees a line, so no line can make it recurse deeply or
allocate without bound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jsonschema

from kgpub.project import data_file
from kgpub.sources.records_precheck import Check, compile_definitions

SCHEMA_FILE = "records.schema.json"
MAX_LINE_CHARS = 1_000_000  # one record per line; a longer line is refused before parsing
MAX_NESTING_DEPTH = 16  # the format needs 3 levels; deeper nesting is refused before parsing
TYPES = ("work", "person", "profile")
REQUIRED = {"work": {"type", "id"}, "person": {"type", "id", "name"}, "profile": {"type", "id", "person"}}
DOC_HINT = "see docs/records-format.md and mappings/records.schema.json"


@dataclass(frozen=True, slots=True)
class LineProblem:
    code: str
    message: str
    field: str | None
    fatal: bool  # the line cannot become a record
    hint: str = DOC_HINT


@dataclass(slots=True)
class LineReading:
    """A line's object with its bad optional fields removed (None when the line is unusable)."""

    record: dict[str, Any] | None
    problems: list[LineProblem] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # top-level fields removed as invalid


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(data_file("mappings", SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@cache
def prechecks() -> dict[str, Check]:
    """Per record type, a compiled yes/no form of the schema: a line it passes has no schema error,
    so only the lines it fails pay for ``iter_errors`` (which gives the diagnostics)."""
    return compile_definitions(_schema(), TYPES)


@cache
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    """One validator per record type, each rooted at that type's definition for precise errors."""
    schema = _schema()
    out = {}
    for kind in TYPES:
        sub = {k: v for k, v in schema.items() if k != "oneOf"}
        sub["$ref"] = f"#/$defs/{kind}"
        out[kind] = jsonschema.Draft202012Validator(sub)
    return out


def nesting_depth(line: str) -> int:
    """Deepest ``[``/``{`` nesting outside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def field_name(error: jsonschema.ValidationError) -> str:
    """The field a schema error is about, as ``authors[1]`` or ``counts.works``."""
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        return ".".join(filter(None, [path, missing[0] if missing else ""]))
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [p for p in error.instance if p not in allowed]
        return ".".join(filter(None, [path, extra[0] if extra else ""]))
    return path or "(record)"


def read_line(line: str) -> LineReading:
    """Bounds, JSON, ``type`` and schema checks for one line."""
    if len(line) > MAX_LINE_CHARS:
        msg = f"line has {len(line)} characters, more than MAX_LINE_CHARS = {MAX_LINE_CHARS}"
        return LineReading(
            None, [LineProblem("records.line.too-long", msg, None, True, "split or shorten it")]
        )
    # fewer opening brackets than the limit cannot nest deeper: the character scan is then skipped
    if line.count("[") + line.count("{") > MAX_NESTING_DEPTH and nesting_depth(line) > MAX_NESTING_DEPTH:
        msg = f"JSON nested deeper than MAX_NESTING_DEPTH = {MAX_NESTING_DEPTH} levels"
        return LineReading(None, [LineProblem("records.line.too-deep", msg, None, True)])
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at column {exc.colno}"
        return LineReading(
            None, [LineProblem("records.json.syntax", msg, None, True, "one JSON object per line")]
        )
    if not isinstance(obj, dict):
        msg = f"a line must be a JSON object, got {type(obj).__name__}"
        return LineReading(None, [LineProblem("records.json.not-object", msg, None, True)])
    kind = obj.get("type")
    if kind not in TYPES:
        msg = f"type is {kind!r}; expected one of {', '.join(TYPES)}"
        return LineReading(None, [LineProblem("records.type.unknown", msg, "type", True)])
    reading = LineReading(obj)
    if prechecks()[kind](obj):
        reading.record = dict(obj)
        return reading
    for error in sorted(validators()[kind].iter_errors(obj), key=lambda e: list(map(str, e.path))):
        name = field_name(error)
        top = name.split(".")[0].split("[")[0]
        fatal = top in REQUIRED[kind]
        hint = (
            "the line cannot become a record without it; " if fatal else "kept without this field; "
        ) + DOC_HINT
        reading.problems.append(LineProblem("records.field.invalid", error.message[:200], name, fatal, hint))
        reading.dropped.add(top)
    if any(p.fatal for p in reading.problems):
        reading.record = None
    else:
        reading.record = {k: v for k, v in obj.items() if k not in reading.dropped}
    return reading
