"""Running untrusted input under a time limit: each parse happens in a forked child process.

A parser stuck in C code (a regex, pyoxigraph) cannot be interrupted by a signal handler in the
same process, so a hang is detected from outside: the child is killed when its time is up and the
test fails naming the input. Fork keeps this cheap (no re-import of kgpub per case).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from pathlib import Path
from typing import Any

from kgpub.records import ParseResult, SourceKind
from kgpub.sources import SourceSpec, load_bytes

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SEEDS = REPO.parent / "shared" / "seeds"
CAPTURED = dt.date(2026, 11, 21)
PARSE_SECONDS = 20.0  # per input; every case here parses in well under a second


def spec(name: str, kind: SourceKind | None, **extra: Any) -> SourceSpec:
    return SourceSpec(Path("/corpus") / name, name, kind, extra.pop("captured", CAPTURED), **extra)


def _child(conn: Any, name: str, kind: SourceKind | None, data: bytes, extra: dict[str, Any]) -> None:
    try:
        conn.send(("ok", load_bytes(spec(name, kind, **extra), data)))
    except BaseException as exc:  # reported to the parent, which fails the test with it
        conn.send(("raised", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def parse_isolated(
    name: str, kind: SourceKind | None, data: bytes, *, timeout: float = PARSE_SECONDS, **extra: Any
) -> ParseResult:
    """``load_bytes`` in a forked child; AssertionError on a hang, a crash or any exception."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, name, kind, data, extra), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise AssertionError(f"{name}: parser still running after {timeout:.0f} s (hang)")
        status, value = parent.recv()
    except EOFError:
        proc.join(5)
        raise AssertionError(f"{name}: parser process died (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status != "ok":
        raise AssertionError(f"{name}: load_bytes raised {value}")
    assert isinstance(value, ParseResult)
    return value


def line_count(data: bytes) -> int:
    """Lines as the parsers number them (a final newline adds no line; at least 1)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return max(1, text.count("\n") + (0 if text.endswith("\n") else 1))


def all_records(result: ParseResult) -> list[Any]:
    return [*result.works, *result.persons, *result.profiles, *result.listings, *result.rdf]
