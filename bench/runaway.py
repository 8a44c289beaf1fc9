"""A runaway query against the production server: is it stopped, and do other clients notice?

Issue #7 asks that a cartesian-product query be stopped at the time limit with a 503 while other
clients' cheap queries keep being answered at normal latency, and that the server's memory return
to its level before. The test suite checks the 503 and that others are answered; this script gives
the figures: cheap-lookup latency idle vs. during each runaway, the runaway's status and how long it
took, and the resident memory of the whole server (gunicorn master, web workers, query workers)
before, at its peak during, and after.

Run (generates the same synthetic store as bench/endpoint.py)::

    .venv/bin/python -m bench.runaway --works 100000 --timeout 5
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.endpoint import JSON, generated_store, queries, start_kgpub

RUNAWAYS = {
    "cross product, COUNT (time limit)": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cross product, ORDER BY (memory grows)": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
}


def server_rss_mb(proc: subprocess.Popen[bytes]) -> float:
    """Resident memory of the server's whole process tree (it leads its own session), in MB."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) != proc.pid:  # process group id: the server's session
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def _lookups(client: httpx.Client, url: str, variants: list[str], until: threading.Event | float) -> list[float]:
    """Sequential cheap lookups until the event is set, or for that many seconds; latencies in ms."""
    end = time.monotonic() + until if isinstance(until, float) else None

    def going() -> bool:
        return time.monotonic() < end if end is not None else not until.is_set()  # type: ignore[union-attr]

    out: list[float] = []
    i = 0
    while going():
        t = time.perf_counter()
        resp = client.get(url, params={"query": variants[i % len(variants)]}, headers={"Accept": JSON})
        if resp.status_code != 200:
            raise SystemExit(f"a cheap lookup failed during the run: HTTP {resp.status_code}")
        out.append((time.perf_counter() - t) * 1000)
        i += 1
    return out


def run(url: str, proc: subprocess.Popen[bytes], cheap: list[str], settle: float = 2.0) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with httpx.Client(timeout=600) as client:
        _lookups(client, url, cheap, 1.0)  # warm
        for name, query in RUNAWAYS.items():
            before = server_rss_mb(proc)
            idle = _lookups(client, url, cheap, 2.0)
            done, outcome, peak = threading.Event(), {}, [before]

            def runaway(q: str = query, box: dict[str, object] = outcome, flag: threading.Event = done) -> None:
                t = time.perf_counter()
                with httpx.Client(timeout=600) as other:
                    resp = other.post(url, data={"query": q}, headers={"Accept": JSON})
                box.update(status=resp.status_code, seconds=time.perf_counter() - t)
                flag.set()

            def sample(flag: threading.Event = done, box: list[float] = peak) -> None:
                while not flag.wait(0.1):
                    box.append(server_rss_mb(proc))

            threads = [threading.Thread(target=runaway), threading.Thread(target=sample)]
            for th in threads:
                th.start()
            during = _lookups(client, url, cheap, done)
            for th in threads:
                th.join()
            time.sleep(settle)  # the killed worker's replacement starts and warms up
            _lookups(client, url, cheap, 0.5)
            rows.append(
                {
                    "runaway": name,
                    "status": outcome["status"],
                    "stopped after s": round(float(outcome["seconds"]), 2),  # type: ignore[arg-type]
                    "cheap idle median ms": round(statistics.median(idle), 2),
                    "cheap during median ms": round(statistics.median(during), 2) if during else None,
                    "cheap during p99 ms": round(sorted(during)[int(len(during) * 0.99)], 2) if during else None,
                    "cheap answered during": len(during),
                    "server RSS before MB": round(before, 1),
                    "server RSS peak MB": round(max(peak), 1),
                    "server RSS after MB": round(server_rss_mb(proc), 1),
                }
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--works", type=int, default=10_000)
    ap.add_argument("--timeout", type=float, default=5.0, help="query_timeout of the server (s)")
    ap.add_argument("--memory-mb", type=int, default=2048, help="query_memory_mb of the server")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with generated_store(args.works, "kgpub-bench-runaway-") as (store_dir, _quads, procs):
        env = {"KGPUB_QUERY_TIMEOUT": str(args.timeout), "KGPUB_QUERY_MEMORY_MB": str(args.memory_mb)}
        url, proc = start_kgpub(store_dir, 2, 4, 4, env)
        procs.append(proc)
        print(f"kgpub serve, {args.works:,} works, query_timeout {args.timeout:g} s, "
              f"query_memory_mb {args.memory_mb}, gunicorn x2, 4 query workers each")
        for row in run(url, proc, queries(args.works)["entity lookup"]):
            print("  " + "; ".join(f"{k}: {v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
