"""A compiled yes/no check of mappings/records.schema.json, so valid lines skip jsonschema.

``jsonschema``'s ``iter_errors`` walks the schema afresh for every line (reference resolution,
validator objects per keyword and per item): about 0.7 ms for a typical work line, most of a
records file's parse time. Almost every line is valid, and for a valid line the only answer that
matters is "no errors". This module compiles the same schema once into nested Python closures
that answer exactly that question; :func:`kgpub.sources.records_schema.read_line` runs the full
``iter_errors`` only when a line fails it, so every diagnostic is still jsonschema's own.

The check must never say "valid" where jsonschema would report an error (a diagnostic would be
lost); saying "invalid" for a valid line only costs time. So each keyword follows jsonschema's
Draft 2020-12 semantics (``re.search`` for ``pattern``, ``1.0`` is an integer, ``True`` is not,
keywords ignore instances of other types), and any keyword or ``$ref`` this compiler does not
know compiles to "invalid": the slow, exact path. ``UNSUPPORTED`` lists what was met that way; a
test keeps it empty for the shipped schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "examples", "default"})
UNSUPPORTED: set[str] = set()  # keywords (or refs) that made a sub-schema fall back to jsonschema


def _never(_value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
}


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = root.get("$defs", {})
        self.compiled: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        name = ref.removeprefix("#/$defs/")
        if ref == name or name not in self.defs or "/" in name:
            UNSUPPORTED.add(f"$ref {ref}")
            return _never
        if name not in self.compiled:
            self.compiled[name] = _never  # a recursive reference falls back to jsonschema
            self.compiled[name] = self.schema(self.defs[name])
        return self.compiled[name]

    def schema(self, schema: Any) -> Check:
        if schema is True:
            return lambda _v: True
        if not isinstance(schema, dict):
            UNSUPPORTED.add(f"schema {schema!r}")
            return _never
        found = (self.keyword(k, v, schema) for k, v in schema.items() if k not in ANNOTATIONS)
        checks = [c for c in found if c is not None]
        return lambda value: all(check(value) for check in checks)

    def keyword(self, key: str, arg: Any, schema: dict[str, Any]) -> Check | None:
        """One keyword's test, applied (like jsonschema) only to instances of the types it concerns."""
        if key == "type" and isinstance(arg, str) and arg in _TYPES:
            return _TYPES[arg]
        if key in ("minLength", "maxLength") and isinstance(arg, int):
            low, high = (arg, None) if key == "minLength" else (0, arg)
            return lambda v: not isinstance(v, str) or (len(v) >= low and (high is None or len(v) <= high))
        if key == "pattern" and isinstance(arg, str):
            search = re.compile(arg).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if key in ("minimum", "maximum") and _is_number(arg):
            if key == "minimum":
                return lambda v: not _is_number(v) or v >= arg
            return lambda v: not _is_number(v) or v <= arg
        if key in ("const", "enum"):
            allowed = [arg] if key == "const" else arg
            if isinstance(allowed, list) and all(isinstance(a, str) for a in allowed):
                options = frozenset(allowed)
                return lambda v: isinstance(v, str) and v in options
        if key in ("maxItems", "maxProperties") and isinstance(arg, int):
            kind = list if key == "maxItems" else dict
            return lambda v: not isinstance(v, kind) or len(v) <= arg
        if key == "items":
            item = self.schema(arg)
            return lambda v: not isinstance(v, list) or all(item(x) for x in v)
        if key == "required" and isinstance(arg, list):
            names = tuple(arg)
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if key == "properties" and isinstance(arg, dict):
            props = {name: self.schema(sub) for name, sub in arg.items()}
            return lambda v: not isinstance(v, dict) or all(c(v[n]) for n, c in props.items() if n in v)
        if key == "additionalProperties" and "patternProperties" not in schema:
            known = frozenset(schema.get("properties", {}))
            extra = self.schema(arg) if arg is not False else _never
            return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
        if key == "propertyNames":
            name = self.schema(arg)
            return lambda v: not isinstance(v, dict) or all(name(k) for k in v)
        if key == "$ref" and isinstance(arg, str):
            return self.ref(arg)
        if key == "$defs":
            return None  # compiled on demand through $ref
        UNSUPPORTED.add(key)
        return _never


def compile_definitions(root: dict[str, Any], names: tuple[str, ...]) -> dict[str, Check]:
    """One check per named ``$defs`` entry of ``root``: True only if jsonschema finds no error."""
    compiler = _Compiler(root)
    return {name: compiler.ref(f"#/$defs/{name}") for name in names}
