"""Where a snapshot's summary parts (:mod:`kgpub.summary`) live, and how they are read and written.

Each part is a file beside its snapshot (``<snapshot>.<part>.json``, or ``.bin`` for a part packed
by :mod:`kgpub.packed`), which the store keeps and removes together with the snapshot. A file is
written atomically, names the base IRI it was computed for and the layout version, and one that
does not match (another base, another version, cut short) reads as absent: the reader then computes
the part again or, for a part only a build computes, does without it. Stores without snapshot files
(a remote server) have no location for them.
"""

from __future__ import annotations

import base64
import json
import os
from array import array
from pathlib import Path
from typing import Any

from kgpub import packed
from kgpub.store import Store

# parts kept as a packed file (kgpub.packed), not JSON: read on a first search, topic or work page
PACKED = {"search", "topics", "related"}
VERSION = 1  # of the file layout: a file of another version is recomputed


def part_path(store: Store, snapshot: str | None, part: str) -> Path | None:
    """Where ``part`` of this snapshot's summary lives; None when the store has no snapshot files."""
    current = getattr(store, "current_snapshot", None)
    snap = current() if callable(current) else None
    if snapshot is None or not isinstance(snap, Path) or snap.name != snapshot:
        return None
    return snap.with_name(f"{snap.name}.{part}.{'bin' if part in PACKED else 'json'}")


def location(store: Store, part: str) -> Path | None:
    """The file holding ``part`` of the store's current snapshot (None: no snapshot files)."""
    return part_path(store, getattr(store, "snapshot_id", None), part)


def _encode(value: dict[str, Any]) -> dict[str, Any]:
    return {k: {"u32": base64.b64encode(v.tobytes()).decode()} if isinstance(v, array) else v for k, v in value.items()}


def _decode(value: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in value.items():
        if isinstance(v, dict) and set(v) == {"u32"}:
            packed = array("I")
            packed.frombytes(base64.b64decode(v["u32"]))
            v = packed
        out[k] = v
    return out


def load(store: Store, snapshot: str | None, part: str, base: str) -> dict[str, Any] | None:
    """The stored ``part`` for this snapshot and base, or None (absent, unreadable, other base)."""
    path = part_path(store, snapshot, part)
    if path is None or array("I").itemsize != 4:
        return None
    if part in PACKED:
        try:
            header, fields = packed.read(path)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        ok = header.get("version") == VERSION and header.get("base") == base and header.get("part") == part
        return dict(fields) if ok else None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or doc.get("base") != base:
        return None
    return _decode(doc["value"])


def save(store: Store, snapshot: str | None, part: str, base: str, value: dict[str, Any]) -> bool:
    """Write ``part`` atomically (a reader sees the old file or the whole new one); False when the
    store has no snapshot files or the folder is read-only (then the value lives in memory only)."""
    path = part_path(store, snapshot, part)
    if path is None or array("I").itemsize != 4:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if part in PACKED:
            tmp.write_bytes(packed.dump({"version": VERSION, "base": base, "part": part}, value))
        else:
            doc = {"version": VERSION, "base": base, "value": _encode(value)}
            tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
