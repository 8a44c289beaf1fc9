"""``/dumps/``: the files ``kgpub dump`` wrote into the ``dump_dir`` folder, with their checksums.

Only plain files directly inside that folder are served, by a name matching a strict pattern and
looked up in a fresh directory listing (never by joining the request path onto the folder), so
neither ``..``, nor encoded slashes, nor symlinks pointing elsewhere can reach another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, send_file

from kgpub.web import settings
from kgpub.web.negotiation import HTML

bp = Blueprint("dumps", __name__)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_MEDIA = (
    (".sha256", "text/plain"),
    (".nq.gz", "application/gzip"),
    (".trig.gz", "application/gzip"),
    (".gz", "application/gzip"),
    (".nq", "application/n-quads"),
    (".trig", "application/trig"),
    (".ttl", "text/turtle"),
    (".nt", "application/n-triples"),
)
# what a .gz dump holds once decompressed (for DCAT's mediaType)
_INNER = {".nq.gz": "application/n-quads", ".trig.gz": "application/trig", ".nt.gz": "application/n-triples"}


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    size: int
    sha256: str | None
    media_type: str


def _media(name: str) -> str:
    for suffix, media in _MEDIA:
        if name.endswith(suffix):
            return media
    return "application/octet-stream"


def _folder() -> Path | None:
    raw = settings().dump_dir
    if not raw:
        return None
    folder = Path(raw).resolve()
    return folder if folder.is_dir() else None


def _regular(path: Path, folder: Path) -> bool:
    return path.is_file() and not path.is_symlink() and path.resolve().parent == folder


def _checksum(path: Path) -> str | None:
    side = path.with_name(path.name + ".sha256")
    try:
        text = side.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return None
    value = text[0].lower() if text else ""
    return value if re.fullmatch(r"[0-9a-f]{64}", value) else None


def dump_files() -> list[DumpFile]:
    """The dumps on offer (checksum files are attached to their dump, not listed on their own)."""
    folder = _folder()
    if folder is None:
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if not _NAME.match(path.name) or path.name.endswith(".sha256") or not _regular(path, folder):
            continue
        inner = next((m for s, m in _INNER.items() if path.name.endswith(s)), _media(path.name))
        out.append(DumpFile(path.name, path, path.stat().st_size, _checksum(path), inner))
    return out


@bp.route("/dumps/")
def listing() -> Response:
    return Response(render_template("dumps.html", dumps=dump_files()), mimetype=HTML)


@bp.route("/dumps/<name>")
def download(name: str) -> Response:
    folder = _folder()
    if folder is None or not _NAME.match(name):
        abort(404)
    entries = {p.name: p for p in folder.iterdir()}
    path = entries.get(name)
    if path is None or not _regular(path, folder):
        abort(404)
    resp = send_file(path, mimetype=_media(name), conditional=True, etag=True, max_age=3600)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
