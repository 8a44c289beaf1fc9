"""Many strings in one, and a binary file of them: how the search index is kept beside a snapshot.

At 100,000 works the search index holds some 150,000 labels and IRIs. As JSON lists, a web
worker's first search parsed every one of them into its own Python string (162 ms at 100k), most
of which no search ever shows. Here each list is one ``str`` and an ``array`` of where each item
ends: reading a file is a few ``bytes`` slices, one UTF-8 decode per list and ``array.frombytes``,
and an item becomes a Python string only when a search touches it (``bisect`` over the sorted
vocabulary reads a handful of words).

The file: one JSON line naming the fields (kind and byte length of each part, the byte order of
the arrays), then the parts' bytes in that order. Imports nothing of kgpub.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

MAGIC = b"kgpub-packed 1\n"


class Strings(Sequence[str]):
    """An immutable list of strings stored as one text and the end offset of each item."""

    __slots__ = ("ends", "text")

    def __init__(self, text: str, ends: array) -> None:
        if ends.typecode != "I" or (len(ends) and ends[-1] != len(text)):
            raise ValueError("ends must be an array('I') whose last offset is the text's length")
        self.text, self.ends = text, ends

    @classmethod
    def of(cls, items: Iterable[str]) -> Strings:
        parts, ends, at = [], array("I"), 0
        for item in items:
            parts.append(item)
            at += len(item)
            ends.append(at)
        return cls("".join(parts), ends)

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
        return self.text[self.ends[i - 1] if i else 0 : end]

    def __iter__(self) -> Iterator[str]:
        start, text = 0, self.text
        for end in self.ends:
            yield text[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Strings):
            return self.text == other.text and self.ends == other.ends
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Strings({len(self)} items)"


def dump(header: dict[str, Any], fields: dict[str, Strings | array]) -> bytes:
    """``header`` (JSON-serialisable) and the fields, as the bytes of one file."""
    parts: list[bytes] = []
    layout = []
    for name, value in fields.items():
        if isinstance(value, Strings):
            text, ends = value.text.encode("utf-8"), value.ends.tobytes()
            layout.append([name, "strings", len(text), len(ends)])
            parts += [text, ends]
        elif isinstance(value, array) and value.typecode == "I":
            raw = value.tobytes()
            layout.append([name, "u32", len(raw)])
            parts.append(raw)
        else:
            raise TypeError(f"{name}: a packed field is Strings or array('I'), not {type(value).__name__}")
    head = {"header": header, "byteorder": sys.byteorder, "itemsize": array("I").itemsize, "fields": layout}
    return b"".join([MAGIC, json.dumps(head, ensure_ascii=False).encode("utf-8"), b"\n", *parts])


def parse(data: bytes) -> tuple[dict[str, Any], dict[str, Strings | array]]:
    """(header, fields) of a file :func:`dump` wrote; ValueError when it is not one, or was written
    on a machine whose arrays this one cannot read as they are."""
    if not data.startswith(MAGIC):
        raise ValueError("not a packed file")
    newline = data.index(b"\n", len(MAGIC))
    head = json.loads(data[len(MAGIC) : newline])
    if head.get("byteorder") != sys.byteorder or head.get("itemsize") != array("I").itemsize:
        raise ValueError("packed on a machine with other array layout")
    view, at = memoryview(data), newline + 1
    fields: dict[str, Strings | array] = {}

    def take(size: int) -> memoryview:
        nonlocal at
        if at + size > len(view):
            raise ValueError("packed file cut short")
        part, at = view[at : at + size], at + size
        return part

    for entry in head["fields"]:
        name, kind = entry[0], entry[1]
        if kind == "strings":
            text = str(take(entry[2]), "utf-8")
            ends = array("I")
            ends.frombytes(take(entry[3]))
            fields[name] = Strings(text, ends)
        elif kind == "u32":
            numbers = array("I")
            numbers.frombytes(take(entry[2]))
            fields[name] = numbers
        else:
            raise ValueError(f"unknown packed field kind {kind!r}")
    if at != len(view):
        raise ValueError("packed file has trailing bytes")
    return head["header"], fields
