"""Which files to read, and what the manifest says about each.

A build names files, folders and/or a TOML manifest. Folders are read recursively (hidden files and
``*.toml`` skipped); a ``kgpub.sources.toml`` or ``manifest.toml`` inside a named folder is used as
its manifest. Every source ends up as a :class:`SourceSpec` with a stable display ``name``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kgpub.errors import ConfigError, SourceError
from kgpub.records import SOURCE_KINDS, SourceKind

MANIFEST_NAMES = ("kgpub.sources.toml", "manifest.toml")
_KEYS = {"path", "kind", "captured", "subject", "graph"}


@dataclass(frozen=True, slots=True)
class SourceSpec:
    path: Path
    name: str
    kind: SourceKind | None = None
    captured: dt.date | None = None
    subject: str | None = None
    graph: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    sources: tuple[SourceSpec, ...]
    base: str | None = None
    path: Path | None = None


def _date(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: captured must be a date like 2026-11-21, got {value!r}") from None


def read_manifest(path: Path) -> Manifest:
    """Parse a manifest; every error names the manifest, the source entry and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"manifest not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML manifest: {exc}") from None
    unknown = set(data) - {"base", "source"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {sorted(unknown)}", hint="allowed: base, [[source]]")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    specs = []
    for i, entry in enumerate(entries, 1):
        where = f"{path}: [[source]] #{i}"
        if not isinstance(entry, dict) or "path" not in entry:
            raise ConfigError(f"{where}: missing field 'path'")
        extra = set(entry) - _KEYS
        if extra:
            raise ConfigError(f"{where}: unknown field(s) {sorted(extra)}", hint="allowed: " + ", ".join(sorted(_KEYS)))
        kind = entry.get("kind")
        if kind is not None and kind not in SOURCE_KINDS:
            raise ConfigError(f"{where}: field 'kind' is {kind!r}", hint="one of: " + ", ".join(SOURCE_KINDS))
        file = (path.parent / str(entry["path"])).resolve()
        if not file.is_file():
            raise ConfigError(f"{where}: field 'path': no such file {file}")
        for key in ("path", "kind", "subject", "graph"):
            if key in entry and not isinstance(entry[key], str):
                raise ConfigError(f"{where}: field {key!r} must be a string, got {entry[key]!r}")
        if "graph" in entry:
            _iri(entry["graph"], f"{where}: field 'graph'")
        specs.append(
            SourceSpec(
                path=file,
                name=str(entry["path"]),
                kind=kind,
                captured=_date(entry.get("captured"), where),
                subject=entry.get("subject"),
                graph=entry.get("graph"),
            )
        )
    base = data.get("base")
    if base is not None:
        if not isinstance(base, str) or not base.endswith("/"):
            raise ConfigError(f"{path}: 'base' must be an IRI ending in '/', got {base!r}")
        _iri(base, f"{path}: 'base'")
    return Manifest(tuple(specs), base=base or None, path=path)


def _iri(value: str, where: str) -> None:
    """Graph names and the base become IRIs in the store: refuse what is not one, here, by name."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(value)
    except ValueError as exc:
        raise ConfigError(f"{where} is not an absolute IRI: {value!r} ({exc})",
                          hint="e.g. https://example.org/graph/mine") from None


def _folder_files(folder: Path) -> Iterable[Path]:
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if file.is_file() and not any(part.startswith(".") for part in rel.parts) and file.suffix != ".toml":
            if file.name.lower() not in {"readme", "readme.md", "readme.txt", "license", "license.md"}:
                yield file


def collect(paths: Iterable[Path], manifest: Path | None = None) -> Manifest:
    """Resolve command-line paths and an optional manifest into one list of sources (no duplicates)."""
    specs: dict[Path, SourceSpec] = {}
    base: str | None = None
    manifests: list[Path] = [manifest] if manifest else []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [p / n for n in MANIFEST_NAMES if (p / n).is_file()]
            if found:
                manifests.append(found[0])
                continue
            for file in _folder_files(p):
                specs.setdefault(file.resolve(), SourceSpec(file.resolve(), file.relative_to(p).as_posix()))
        elif p.is_file():
            if p.suffix == ".toml":
                manifests.append(p)
            else:
                specs.setdefault(p.resolve(), SourceSpec(p.resolve(), p.name))
        else:
            raise SourceError(f"no such file or folder: {p}")
    for m in manifests:
        parsed = read_manifest(m)
        base = base or parsed.base
        for spec in parsed.sources:
            specs[spec.path] = spec  # the manifest's description wins over a bare path
    return Manifest(tuple(sorted(specs.values(), key=lambda s: s.name)), base=base)
