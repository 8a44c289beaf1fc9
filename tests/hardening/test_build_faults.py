"""Faults at the build level, through the CLI as a user meets them: two builds on one store at once,
a build killed with SIGKILL at random points, the disk filling up during a build.

The store must always hold one complete published build (compared with reference builds by a
fingerprint of every named graph), and the next build must complete."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kgpub.store import EmbeddedStore
from tests.hardening.harness import fingerprint, write_corpus

KGPUB = str(Path(sys.executable).parent / "kgpub")
BUILD_SECONDS = 300
KILLS = int(os.environ.get("KGPUB_KILLS", "8"))


def build(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([KGPUB, "build", "-q", *map(str, args)], capture_output=True, text=True,
                         timeout=BUILD_SECONDS)
    if check:
        assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    return run


def count(store_dir: Path, sparql: str) -> int:
    store = EmbeddedStore(store_dir)
    try:
        rows = list(store.query("PREFIX schema: <http://schema.org/>\n" + sparql))  # type: ignore[arg-type]
        return int(rows[0]["n"].value)
    finally:
        store.close()


GENERATED = 'SELECT (COUNT(*) AS ?n) { ?w schema:name ?t FILTER(STRSTARTS(?t, "Generated work")) }'
EXTRA = 'SELECT (COUNT(*) AS ?n) { ?w schema:name ?t FILTER(STRSTARTS(?t, "Extra work")) }'


def lock_held(store_dir: Path) -> bool:
    """Whether some process holds the store's writer flock, read from /proc/locks (taking the lock
    to find out would race with the build being watched)."""
    try:
        inode = (store_dir / "write.lock").stat().st_ino
    except FileNotFoundError:
        return False
    with open("/proc/locks", encoding="ascii") as f:
        return any(line.split()[5].endswith(f":{inode}") for line in f if "FLOCK" in line)


@pytest.mark.slow
def test_a_second_build_is_refused_while_one_writes_and_nothing_is_lost(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", 600)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra.jsonl").write_text(
        "".join(f'{{"type": "work", "id": "x{i}", "title": "Extra work {i}"}}\n' for i in range(5)), encoding="utf-8"
    )
    store = tmp_path / "store"
    first = subprocess.Popen([KGPUB, "build", "-q", str(corpus), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + BUILD_SECONDS
        while not lock_held(store):
            assert first.poll() is None, "the first build ended before it took the writer lock"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        second = build(corpus, extra, "--store", store, check=False)
        assert first.poll() is None, "the first build finished before the second reached the store: no overlap"
    finally:
        out, err = first.communicate(timeout=BUILD_SECONDS)
    assert first.returncode in (0, 1), out[-2000:] + err[-2000:]
    assert second.returncode == 2, second.stdout[-2000:] + second.stderr[-2000:]
    assert f"kgpub: error: another kgpub build is writing to {store}" in second.stderr
    assert "hint: wait for it to finish" in second.stderr
    assert count(store, GENERATED) == 600 and count(store, EXTRA) == 0  # the first build, complete
    build(corpus, extra, "--store", store)  # the refused build, run again
    assert count(store, GENERATED) == 600 and count(store, EXTRA) == 5


@pytest.mark.slow
def test_a_build_killed_at_random_points_leaves_old_or_new_content(tmp_path: Path) -> None:
    variants = [write_corpus(tmp_path / f"v{v}", 300, variant=v) for v in (0, 1)]
    reference = tmp_path / "reference"
    build(variants[0], "--store", reference)
    ref = [fingerprint(reference)]
    store = tmp_path / "store"
    shutil.copytree(reference, store, symlinks=True)
    started = time.monotonic()
    build(variants[1], "--store", reference)
    full_build = time.monotonic() - started
    ref.append(fingerprint(reference))
    assert ref[0] != ref[1] and set(ref[0]) == set(ref[1])  # same graphs, every work graph rewritten

    seed = int(os.environ.get("KGPUB_KILL_SEED", time.time_ns() % 100_000))
    rnd = random.Random(seed)
    state, outcomes = 0, []
    for k in range(KILLS):
        target = 1 - state
        proc = subprocess.Popen([KGPUB, "build", "-q", str(variants[target]), "--store", str(store)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rnd.uniform(0.3, full_build * 1.1)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            finished = False
        now = fingerprint(store)  # the store opens, and holds one of the two builds completely
        assert now in ref, f"kill {k} (seed {seed}) at {delay:.2f}s left a store that is neither build"
        state = ref.index(now)
        assert not finished or state == target, f"kill {k} (seed {seed}): a finished build was not published"
        outcomes.append("new" if state == target else "old")
    assert "old" in outcomes, f"no kill landed before publishing (seed {seed}): {outcomes}"
    final = 1 - state
    build(variants[final], "--store", store)  # a re-run completes after all the kills
    assert fingerprint(store) == ref[final]
    leftovers = [p.name for p in (store / "snapshots").iterdir() if p.is_dir()]
    assert len(leftovers) <= 2, f"killed builds left snapshots behind: {leftovers}"


def _mount_small(path: Path, size: str) -> None:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount(8) to make a size-limited tmpfs")
    run = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {run.stderr.strip()}")


@pytest.mark.slow
def test_disk_full_during_a_build_fails_cleanly(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", 300)
    small = tmp_path / "small"
    _mount_small(small, "3m")
    try:
        store = small / "store"
        build(corpus.parent / "corpus" / "feed-privacy-ml.txt", "--store", store)  # a small first build fits
        before = fingerprint(store)
        run = build(corpus, "--store", store, check=False)
        assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-2000:]
        assert f"kgpub: error: cannot write to the store {store}" in run.stderr
        assert "No space left on device" in run.stderr and "previously published data is unchanged" in run.stderr
        assert "Traceback" not in run.stderr
        assert fingerprint(store) == before  # the previous snapshot is intact, no partial graph visible
        snaps = [p for p in (store / "snapshots").iterdir() if p.is_dir()]
        assert len(snaps) == 1, "the failed build's private copy was left behind"
        assert count(store, GENERATED) == 0
    finally:
        subprocess.run(["umount", str(small)], check=False)
