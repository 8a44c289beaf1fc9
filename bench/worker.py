"""The measured side of a run: one fresh process that forks the child whose time and memory count.

``python -m bench --worker SPEC`` lands here. The worker imports the stage modules (nothing else has
happened in this process yet, so no thread pool exists to break across ``fork``), forks, and the child
runs the stage's untimed ``setup`` and then the timed call. Because the child is the worker's only
child, ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` afterwards is exactly that run's peak memory.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import shutil
import time
import traceback
from pathlib import Path

from bench.harness import STAGES, Args, Stage, discover


def _child(stage: Stage, side: str, args: Args, scratch: Path, out: int) -> None:
    """Runs in the forked child: untimed setup, the timed call, the answer written to a pipe."""
    try:
        fn = stage.side(side)
        assert fn is not None
        scratch.mkdir(parents=True, exist_ok=True)
        state = stage.setup(args, side) if stage.setup else args
        start = time.perf_counter()
        try:
            result = fn(state)
            elapsed = time.perf_counter() - start
        finally:
            if stage.teardown:
                stage.teardown(state, side)
        answer = {"seconds": elapsed, "output": result if isinstance(result, int | float | str | dict) else None}
    except BaseException:  # the child reports every failure to its parent
        answer = {"error": traceback.format_exc(limit=8)}
    os.write(out, json.dumps(answer).encode())


def run_once(spec: Args) -> Args:
    """One measured run of one side of one stage, in a forked child of this (fresh) process."""
    discover()
    for module in spec.get("modules", ()):  # a stage registered outside bench/ (e.g. by a test)
        importlib.import_module(module)
    stage = STAGES[spec["stage"]]
    args = dict(spec["args"])
    scratch = Path(spec["scratch"])
    args["scratch"] = str(scratch)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the measured process
        os.close(read)
        _child(stage, spec["side"], args, scratch, write)
        os._exit(0)
    os.close(write)
    chunks = []
    while data := os.read(read, 65536):
        chunks.append(data)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)
    answer = json.loads(b"".join(chunks) or b'{"error": "the measured process died without answering"}')
    if status and "error" not in answer:
        answer["error"] = f"the measured process exited with status {status}"
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kilobytes
    answer.update(peak_rss_mb=peak_kb / 1024, baseline_rss_mb=baseline_kb / 1024)
    return answer
