"""Stage "generate": the synthetic corpus generator against writing the same bytes with a plain loop.

The reference reads the corpus the generator wrote (untimed) and writes every line back out in a
plain loop, so the ratio says how much the generator costs above the file writing it cannot avoid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.harness import Context, Stage, register
from kgpub.generator import generate


def _prepare(ctx: Context) -> dict[str, Any]:
    return {"corpus": str(ctx.corpus()), "size": ctx.size, "seed": ctx.seed}


def _setup(args: dict[str, Any], side: str) -> dict[str, Any]:
    if side == "reference":
        root = Path(args["corpus"])
        files = sorted(p for p in root.rglob("*") if p.is_file())
        args = {
            **args,
            "files": [(p.relative_to(root), p.read_text(encoding="utf-8").splitlines(True)) for p in files],
        }
    return args


def run_generator(state: dict[str, Any]) -> int:
    return generate(Path(state["scratch"]) / "out", state["size"], state["seed"]).works


def write_same_bytes(state: dict[str, Any]) -> int:
    out = Path(state["scratch"]) / "out"
    written = 0
    for rel, lines in state["files"]:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            for line in lines:
                written += fh.write(line)
    return written


register(
    Stage(
        "generate",
        kgpub=run_generator,
        reference=write_same_bytes,
        prepare=_prepare,
        setup=_setup,
        kgpub_label="kgpub.generator.generate",
        reference_label="plain loop writing the same lines",
        description="synthetic corpus: works/s of the generator vs writing the same bytes",
    )
)
