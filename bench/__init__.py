"""kgpub's benchmarks: ``python -m bench``. Stages register themselves with
:func:`bench.harness.register`; see bench/README.md."""

from bench.harness import Context, Stage, register

__all__ = ["Context", "Stage", "register"]
