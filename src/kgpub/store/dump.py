"""Full dumps for harvesters: gzip N-Quads (or TriG) with a ``.sha256`` file beside it.

The dataset is streamed from the store through gzip and the checksum in one pass, so no copy of the
whole dataset is ever held in memory. The file appears under its final name only once complete (a
temporary name, then a rename), and gzip's timestamp is fixed so an unchanged dataset dumps to the
same bytes and the same checksum (harvesters can skip a download).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from pathlib import Path
from typing import Any, BinaryIO, cast

from kgpub.errors import KgpubError, UsageError
from kgpub.store.base import Store

FORMATS: dict[str, tuple[str, str, bool]] = {
    # name: (file suffix, media type, gzip)
    "nquads": (".nq.gz", "application/n-quads", True),
    "trig": (".trig", "application/trig", False),
}


class _Hashing(io.RawIOBase):
    """Writes through to a file while computing the sha256 of what was written."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.sha = raw, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha.update(data)
        self.raw.write(data)
        return len(data)


def dump_path(out: Path, fmt: str) -> Path:
    """A directory gets ``dataset.nq.gz`` (or ``.trig``); a name gets the suffix unless it has it."""
    suffix = FORMATS[fmt][0]
    if out.is_dir():
        return out / f"dataset{suffix}"
    return out if out.name.endswith(suffix) else out.with_name(out.name + suffix)


def write_dump(store: Store, out: Path | str, fmt: str = "nquads") -> Path:
    """Write the whole dataset; returns the dump's path (its checksum is ``<path>.sha256``)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown dump format {fmt!r}", hint="use one of: " + ", ".join(FORMATS))
    _suffix, media, compress = FORMATS[fmt]
    path = dump_path(Path(out), fmt)
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as raw:
            hashing = _Hashing(raw)
            if compress:
                with gzip.GzipFile(filename="", mode="wb", fileobj=hashing, mtime=0) as gz:
                    store.dump(cast(BinaryIO, gz), media)
            else:
                store.dump(cast(BinaryIO, hashing), media)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
        checksum = path.with_name(path.name + ".sha256")
        checksum.write_text(f"{hashing.sha.hexdigest()}  {path.name}\n", encoding="utf-8")
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KgpubError(f"cannot write the dump {path}: {exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
