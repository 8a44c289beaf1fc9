"""Length-prefixed JSON frames between the web process and its query workers.

A 4-byte big-endian length and a UTF-8 JSON object: simple enough to read with a deadline (the
parent never blocks on a worker past the query's time limit) and unambiguous when a worker dies
mid-answer (a short read is a crash, never a half-parsed result).
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any, BinaryIO

_HEADER = struct.Struct(">I")
MAX_FRAME = 16 * 1024 * 1024


class FrameTimeout(Exception):
    """The deadline passed before a whole frame arrived."""


class FrameEOF(Exception):
    """The other side closed the pipe (the worker died)."""


def write_frame(out: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def read_frame(inp: BinaryIO) -> dict[str, Any] | None:
    """Blocking read (worker side). None at end of input: the parent has gone."""
    head = _read_exact(inp, _HEADER.size)
    if head is None:
        return None
    (size,) = _HEADER.unpack(head)
    body = _read_exact(inp, size)
    if body is None:
        return None
    return json.loads(body)


def _read_exact(inp: BinaryIO, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = inp.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame_until(fd: int, deadline: float) -> dict[str, Any]:
    """Read one frame from a raw fd, giving up at ``deadline`` (time.monotonic)."""
    head = _read_fd(fd, _HEADER.size, deadline)
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise FrameEOF(f"frame of {size} bytes is larger than allowed")
    return json.loads(_read_fd(fd, size, deadline))


def _read_fd(fd: int, size: int, deadline: float) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FrameTimeout
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise FrameTimeout
        chunk = os.read(fd, size - len(buf))
        if not chunk:
            raise FrameEOF("worker closed its pipe")
        buf += chunk
    return bytes(buf)
