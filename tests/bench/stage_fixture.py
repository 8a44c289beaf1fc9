"""Stages registered by the harness tests. The measured worker imports this module by name to find
them, exactly as it imports the stage modules in ``bench/``."""

from __future__ import annotations

from typing import Any

from bench.harness import Context, Stage, register

MIB = 1024 * 1024


def _prepare(ctx: Context) -> dict[str, Any]:
    return {"n": ctx.size * 1000}


def _sum_all(state: dict[str, Any]) -> int:
    return sum(range(state["n"]))


def _sum_half(state: dict[str, Any]) -> int:
    return sum(range(state["n"] // 2))


def _allocate(state: dict[str, Any]) -> int:
    block = bytearray(200 * MIB)
    block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
    return len(block)


def _nothing(state: dict[str, Any]) -> int:
    return 0


def _fail(state: dict[str, Any]) -> int:
    return 1 // 0


def _scratch_is_empty_folder(state: dict[str, Any]) -> str:
    from pathlib import Path

    scratch = Path(state["scratch"])
    return "empty" if scratch.is_dir() and not any(scratch.iterdir()) else "not empty"


SUM = register(Stage("test-sum", kgpub=_sum_all, reference=_sum_half, prepare=_prepare, unit="items"))
MEMORY = register(Stage("test-memory", kgpub=_allocate, reference=_nothing))
FAILING = register(Stage("test-failing", kgpub=_fail, reference=_scratch_is_empty_folder, max_size=50))


def _prepare_marker(ctx: Context) -> dict[str, Any]:
    return {"marker": str(ctx.workdir / "torn-down")}


def _setup_marker(args: dict[str, Any], side: str) -> dict[str, Any]:
    return {**args, "side": side}


def _teardown_marker(state: dict[str, Any], side: str) -> None:
    from pathlib import Path

    with Path(state["marker"]).open("a", encoding="utf-8") as fh:
        fh.write(side + "\n")


def _figures(state: dict[str, Any]) -> dict[str, float]:
    if state["side"] == "reference":
        return {"latency ms": 2.0}
    return {"latency ms": 3.0, "only kgpub": 1.0}


TORN = register(
    Stage(
        "test-teardown",
        kgpub=_figures,
        reference=_figures,
        prepare=_prepare_marker,
        setup=_setup_marker,
        teardown=_teardown_marker,
        reference_max_size=5,
    )
)
SLOW = register(Stage("test-slow-reference", kgpub=_nothing, reference=_nothing, slow_reference=True))
