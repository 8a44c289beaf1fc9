"""The benchmark harness: registered stages, measured in subprocesses, medians and ratios.

A *stage* is a few lines of registration (see :func:`register`): a name, the kgpub callable, the
reference callable it is judged against, and optionally the sizes it runs at and an untimed
``prepare`` (once per size, in the harness) and ``setup`` (in the measured process, before the clock
starts). Every run is a fresh process forked from a small worker, so a run's peak resident memory is
exactly what ``getrusage(RUSAGE_CHILDREN)`` reports in that worker, and one run cannot warm or bloat
the next. kgpub and reference runs alternate, so both see the same machine state, and every kgpub
figure is printed as a ratio to the reference measured in the same invocation.

Timings are never asserted anywhere: this prints and records them, people judge them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
SIDES = ("kgpub", "reference")
_NOT_STAGES = {"harness", "charts", "worker", "__main__"}

Args = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What ``prepare`` gets: the size, a seed, and a cache folder shared by all stages of a run."""

    size: int
    seed: int
    workdir: Path

    def corpus(self) -> Path:
        """The generated corpus for this size and seed, written once and reused by every stage (the
        folder name carries a digest of the generator's code, so a changed generator is not served a
        stale corpus)."""
        from kgpub.generator import generate

        folder = self.workdir / f"corpus-{self.size}-s{self.seed}-{_code_digest('kgpub.generator')}"
        if not (folder / "ground-truth.json").is_file():  # written last: its presence means complete
            shutil.rmtree(folder, ignore_errors=True)
            generate(folder, self.size, self.seed)
        return folder

    def truth(self) -> dict[str, Any]:
        """The corpus's ground truth: works, repeated works, appearances per kind, broken records."""
        return dict(json.loads((self.corpus() / "ground-truth.json").read_text(encoding="utf-8")))

    def nquads(self) -> Path:
        """The reference N-Quads (bench.reference's minimal schema.org mapping) for this size."""
        from bench.reference import write_nquads

        digest = _code_digest("kgpub.generator", "bench.reference")
        path = self.workdir / f"reference-{self.size}-s{self.seed}-{digest}.nq"
        if not path.is_file():
            tmp = path.with_suffix(".part")
            write_nquads(tmp, self.size, self.seed)
            tmp.replace(path)
        return path


def _code_digest(*modules: str) -> str:
    """A short digest of the source files of the named modules or packages."""
    h = hashlib.sha256()
    for name in modules:
        module = importlib.import_module(name)
        origin = Path(str(module.__file__))
        files = sorted(origin.parent.glob("*.py")) if origin.name == "__init__.py" else [origin]
        for f in files:
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:10]


@dataclass(frozen=True)
class Stage:
    """One measured step. ``kgpub`` or ``reference`` may be None (a reference-only stage measures the
    physical floor other stages compare to). Callables take the state ``setup`` returned (by default
    the args ``prepare`` returned, plus ``scratch``: an empty folder removed after the run)."""

    name: str
    kgpub: Callable[[Any], object] | None
    reference: Callable[[Any], object] | None
    sizes: tuple[int, ...] | None = None  # default sizes when the command line gives none
    max_size: int | None = None  # larger sizes are skipped (e.g. a stage that would take hours)
    reference_max_size: int | None = None  # only the reference side is skipped above this size
    slow_reference: bool = False  # the reference takes minutes even at tiny sizes: skipped by --quick
    prepare: Callable[[Context], Args] | None = None
    setup: Callable[[Args, str], Any] | None = None  # (args, side) -> state; untimed, in the child
    teardown: Callable[[Any, str], None] | None = None  # (state, side); untimed, after the call
    unit: str = "works"
    kgpub_label: str = "kgpub"
    reference_label: str = "reference"
    description: str = ""
    timeout_s: float = 3600.0

    def side(self, side: str) -> Callable[[Any], object] | None:
        return self.kgpub if side == "kgpub" else self.reference


STAGES: dict[str, Stage] = {}


def register(stage: Stage) -> Stage:
    """Add a stage to the registry (modules in ``bench/`` register at import time)."""
    if stage.kgpub is None and stage.reference is None:
        raise ValueError(f"stage {stage.name!r} has nothing to measure")
    STAGES[stage.name] = stage
    return stage


def discover() -> list[str]:
    """Import every module of the ``bench`` package so that their ``register`` calls run. A module
    that fails to import is reported, not fatal: one broken stage must not hide the others."""
    problems = []
    for info in pkgutil.iter_modules([str(BENCH)]):
        if info.name in _NOT_STAGES or info.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"bench.{info.name}")
        except Exception as exc:  # any import failure of a stage module is reported
            problems.append(f"bench.{info.name}: {type(exc).__name__}: {exc}")
    return problems


@dataclass
class Measurement:
    runs: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    baseline_rss_mb: float = 0.0
    output: object = None
    outputs: list[object] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    def median_output(self) -> object:
        """A figure a stage reports (its output) as the median over the runs, key by key, when
        every run returned a dict of numbers; otherwise the last run's output. One run's figures
        on a shared machine swung by 2x between repeats, so the last one alone is no figure."""
        dicts = [o for o in self.outputs if isinstance(o, dict)]
        if len(dicts) < 2 or len(dicts) != len(self.outputs):
            return self.output
        keys = [k for k in dicts[-1] if all(isinstance(d.get(k), (int, float)) for d in dicts)]
        return {**dicts[-1], **{k: round(statistics.median(d[k] for d in dicts), 3) for k in keys}}

    def to_json(self, size: int) -> Args:
        median = self.median
        return {
            "runs_s": [round(r, 6) for r in self.runs],
            "median_s": median,
            "per_s": size / median if median else None,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "baseline_rss_mb": round(self.baseline_rss_mb, 1),
            "output": self.median_output(),
            "outputs": self.outputs if len(self.outputs) > 1 else None,
            "error": self.error,
        }


def _measure_once(stage: Stage, side: str, args: Args, workdir: Path, m: Measurement) -> None:
    fns = (stage.kgpub, stage.reference, stage.prepare, stage.setup, stage.teardown)
    modules = {fn.__module__ for fn in fns if fn}
    spec = {
        "stage": stage.name,
        "side": side,
        "args": args,
        "scratch": str(workdir / f"scratch-{os.getpid()}"),
        "modules": sorted(m for m in modules if m != "__main__" and not m.startswith("bench.")),
    }
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench", "--worker", json.dumps(spec)],
            capture_output=True,
            text=True,
            env=env,
            timeout=stage.timeout_s,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        m.error = f"timed out after {stage.timeout_s:.0f} s"
        return
    lines = proc.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        m.error = f"worker failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}"
        return
    if answer.get("error"):
        m.error = answer["error"]
        return
    m.runs.append(answer["seconds"])
    m.output = answer.get("output")
    m.outputs.append(m.output)
    m.peak_rss_mb = max(m.peak_rss_mb, answer["peak_rss_mb"])
    m.baseline_rss_mb = max(m.baseline_rss_mb, answer["baseline_rss_mb"])


def measure(
    stage: Stage, size: int, seed: int, repeats: int, workdir: Path, skip_slow: bool = False
) -> Args:
    """All runs of one stage at one size, kgpub and reference alternating."""
    try:
        args = stage.prepare(Context(size, seed, workdir)) if stage.prepare else {}
    except Exception:  # a failed preparation is that stage's failure, not the whole run's
        error = "prepare failed: " + traceback.format_exc(limit=8)
        entry: Args = {s: {**Measurement().to_json(size), "error": error} for s in SIDES if stage.side(s)}
        entry["ratio"] = None
        return entry
    skip_reference = (stage.reference_max_size is not None and size > stage.reference_max_size) or (
        skip_slow and stage.slow_reference
    )
    sides = {
        s: Measurement() for s in SIDES if stage.side(s) is not None and not (s == "reference" and skip_reference)
    }
    for _ in range(repeats):
        for side, m in sides.items():
            if m.error is None:
                _measure_once(stage, side, args, workdir, m)
    entry = {side: m.to_json(size) for side, m in sides.items()}
    k, r = (sides[s].median if s in sides else None for s in SIDES)
    entry["ratio"] = k / r if k and r else None
    return entry


def run(
    names: Sequence[str],
    sizes: Sequence[int] | None,
    repeats: int,
    seed: int,
    workdir: Path,
    log: Callable[[str], None] = print,
    skip_slow: bool = False,
) -> Args:
    """Measure the named stages (all when empty) and return the results document."""
    workdir.mkdir(parents=True, exist_ok=True)
    chosen = [STAGES[n] for n in names] if names else list(STAGES.values())
    results: Args = {"meta": machine(seed, repeats), "stages": {}}
    for stage in chosen:
        doc: Args = {
            "unit": stage.unit,
            "description": stage.description,
            "kgpub_label": stage.kgpub_label,
            "reference_label": stage.reference_label,
            "sizes": {},
        }
        for size in sizes or stage.sizes or (1000, 10000):
            if stage.max_size and size > stage.max_size:
                log(f"  {stage.name}: size {size} skipped (max {stage.max_size})")
                continue
            started = time.perf_counter()
            doc["sizes"][str(size)] = entry = measure(stage, size, seed, repeats, workdir, skip_slow)
            log(
                f"  {stage.name} @ {size}: {time.perf_counter() - started:.1f} s"
                + "".join(
                    f"; {side} error: {entry[side]['error'].strip().splitlines()[-1]}"
                    for side in SIDES
                    if side in entry and entry[side]["error"]
                )
            )
        results["stages"][stage.name] = doc
    return results


def machine(seed: int, repeats: int) -> Args:
    import platform

    try:
        import pyoxigraph

        oxi = pyoxigraph.__version__
    except ImportError:
        oxi = None
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, timeout=10
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyoxigraph": oxi,
        "commit": commit,
        "seed": seed,
        "repeats": repeats,
    }
