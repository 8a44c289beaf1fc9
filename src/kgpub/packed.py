"""Many strings in one, and a binary file of them: how the search index is kept beside a snapshot.

At 100,000 works the search index holds some 150,000 labels and IRIs. As JSON lists, a web
worker's first search parsed every one of them into its own Python string (162 ms at 100k), most
of which no search ever shows. Here each list is one run of UTF-8 bytes and an ``array`` of where
each item ends; a file is mapped into memory (:func:`read`), not read, so a worker's first search
copies only the offsets, and an item becomes a Python string only when a search touches it
(``bisect`` over the sorted vocabulary decodes a handful of words). The mapped pages are the
page cache's, shared by every worker.

The file: a magic line, one JSON line naming the fields (kind and byte length of each part, the
byte order of the arrays), padding to a multiple of 4 bytes, then the parts' bytes in that order,
each padded likewise. Imports nothing of kgpub.
"""

from __future__ import annotations

import json
import mmap
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

MAGIC = b"kgpub-packed 2\n"


class Strings(Sequence[str]):
    """An immutable list of strings stored as one run of UTF-8 bytes (``bytes``, or a view of a
    mapped file) and the byte offset where each item ends."""

    __slots__ = ("data", "ends")

    def __init__(self, data: bytes | memoryview, ends: array) -> None:
        if ends.typecode != "I" or (len(ends) and ends[-1] != len(data)) or (not len(ends) and len(data)):
            raise ValueError("ends must be an array('I') whose last offset is the data's length")
        self.data, self.ends = data, ends

    @classmethod
    def of(cls, items: Iterable[str]) -> Strings:
        parts, ends, at = [], array("I"), 0
        for item in items:
            raw = item.encode("utf-8")
            parts.append(raw)
            at += len(raw)
            ends.append(at)
        return cls(b"".join(parts), ends)

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self.ends)
        end = self.ends[i]  # IndexError past the end, as a list
        return str(self.data[self.ends[i - 1] if i else 0 : end], "utf-8")

    def __iter__(self) -> Iterator[str]:
        start, data = 0, self.data
        for end in self.ends:
            yield str(data[start:end], "utf-8")
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Strings):
            return self.ends == other.ends and bytes(self.data) == bytes(other.data)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Strings({len(self)} items)"


def _pad(size: int) -> bytes:
    return b"\0" * (-size % 4)


def dump(header: dict[str, Any], fields: dict[str, Strings | array]) -> bytes:
    """``header`` (JSON-serialisable) and the fields, as the bytes of one file."""
    parts: list[bytes] = []
    layout = []
    for name, value in fields.items():
        if isinstance(value, Strings):
            data, ends = bytes(value.data), value.ends.tobytes()
            layout.append([name, "strings", len(data), len(ends)])
            parts += [data, _pad(len(data)), ends]
        elif isinstance(value, array) and value.typecode == "I":
            raw = value.tobytes()
            layout.append([name, "u32", len(raw)])
            parts.append(raw)
        else:
            raise TypeError(f"{name}: a packed field is Strings or array('I'), not {type(value).__name__}")
    head = {"header": header, "byteorder": sys.byteorder, "itemsize": array("I").itemsize, "fields": layout}
    line = MAGIC + json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n"
    return b"".join([line, _pad(len(line)), *parts])


def read(path: Path) -> tuple[dict[str, Any], dict[str, Strings | array]]:
    """:func:`parse` of a file mapped into memory: its strings stay in the mapping (the page
    cache), only the offsets are copied. The mapping lives as long as the strings do; a file
    replaced or removed meanwhile (a newer snapshot) leaves it intact."""
    with open(path, "rb") as f:
        if not f.seek(0, 2):
            raise ValueError("not a packed file")
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return parse(memoryview(mapped))


def parse(data: bytes | memoryview) -> tuple[dict[str, Any], dict[str, Strings | array]]:
    """(header, fields) of a file :func:`dump` wrote; ValueError when it is not one, or was written
    on a machine whose arrays this one cannot read as they are. Strings keep views of ``data``."""
    view = memoryview(data)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise ValueError("not a packed file")
    newline = bytes(view[: 64 * 1024]).find(b"\n", len(MAGIC))
    if newline < 0:
        raise ValueError("packed file header not found")
    head = json.loads(bytes(view[len(MAGIC) : newline]))
    if head.get("byteorder") != sys.byteorder or head.get("itemsize") != array("I").itemsize:
        raise ValueError("packed on a machine with other array layout")
    at = newline + 1
    at += -at % 4
    fields: dict[str, Strings | array] = {}

    def take(size: int, padded: bool = False) -> memoryview:
        nonlocal at
        if size < 0 or at + size > len(view):
            raise ValueError("packed file cut short")
        part, at = view[at : at + size], at + size + (-size % 4 if padded else 0)
        return part

    def numbers(size: int) -> array:
        out = array("I")
        out.frombytes(take(size))
        return out

    for entry in head["fields"]:
        name, kind = entry[0], entry[1]
        if kind == "strings":
            text = take(entry[2], padded=True)
            fields[name] = Strings(text, numbers(entry[3]))
        elif kind == "u32":
            fields[name] = numbers(entry[2])
        else:
            raise ValueError(f"unknown packed field kind {kind!r}")
    if at != len(view):
        raise ValueError("packed file has trailing bytes")
    return head["header"], fields
