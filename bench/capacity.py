"""The highest load `kgpub serve` sustains with p99 under a target, then held for a while.

    .venv/bin/python -m bench.capacity --store DIR [--target-p99-ms 500] [--step-seconds 15]
                                       [--hold 180] [--max-clients 32] [--json]

Run from the repository root. The server (gunicorn, as `kgpub serve` starts it) runs on a free
loopback port for the whole run. Closed-loop clients (bench/load.py: each client a thread with its
own connection, the realistic mix of entity pages in every format, named queries and SPARQL) are
stepped up — 1, 2, 4, 6, 8, 12, 16, 24, 32… concurrent clients, ``--step-seconds`` each — until p99
crosses the target or an unintended error appears (a status other than 2xx/3xx, 429, 503, or no
answer). The step with the highest request rate that kept p99 under the target and had no
unintended error is the sustainable level; it is then held for ``--hold`` seconds. Reported:
every step, and for the hold the requests served, req/s, p50/p95/p99, statuses, unintended errors,
and the RSS of the whole server tree (gunicorn master, web workers, their query workers) before
and after the hold, with the load average of the machine (the clients share it with the server).
The RSS is also sampled every ``--rss-every`` seconds during the hold: a server that fills its
per-snapshot caches grows early and then stays flat, a leak keeps growing, so the growth over the
hold's second half (``rss_growth_second_half``) is the figure that tells them apart.

The exit status says only whether the hold *worked*: 0 when it had no unintended error, the server
was healthy afterwards and (with ``--max-rss-growth``) its memory grew less than that fraction;
never a timing. When no step met the target (a loaded machine), the 1-client level is held and
``sustainable`` is false.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.load import Server, describe, free_port, run_clients, server_rss_kb, summarise

LEVELS = (1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64)


def step(url: str, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    started = time.monotonic()
    tally = run_clients(url, clients, seconds, 10_000_000, seed)
    return {"clients": clients, **summarise(tally, time.monotonic() - started)}


def ramp(url: str, target_ms: float, seconds: float, max_clients: int, seed: int) -> list[dict[str, Any]]:
    """Steps up to the first one over the target (included, to show where it broke)."""
    steps = []
    for clients in (n for n in LEVELS if n <= max_clients):
        result = step(url, clients, seconds, seed + clients)
        result["within_target"] = result["p99_ms"] <= target_ms and result["errors"] == 0
        steps.append(result)
        print(f"  {clients:3d} clients: {result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
              f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}  shed {result['shed']}",
              file=sys.stderr, flush=True)
        if not result["within_target"]:
            break
    return steps


def best_level(steps: list[dict[str, Any]]) -> tuple[int, bool]:
    """(clients of the fastest step within the target, whether any step was within it)."""
    good = [s for s in steps if s["within_target"]]
    if not good:
        return 1, False
    return max(good, key=lambda s: s["rps"])["clients"], True


def sample_rss(pid: int, every: float, stop: threading.Event) -> list[tuple[float, int]]:
    """(seconds since start, RSS KB of the server tree) until ``stop`` is set; runs in a thread."""
    started, samples = time.monotonic(), []
    while not stop.wait(every):
        samples.append((round(time.monotonic() - started, 1), server_rss_kb(pid)))
    return samples


def second_half_growth(before_kb: int, samples: list[tuple[float, int]], after_kb: int) -> float:
    """RSS growth from the sample nearest the hold's middle to its end (caches warm by then)."""
    series = [(0.0, before_kb), *samples]
    end = samples[-1][0] if samples else 0.0
    middle = min(series, key=lambda s: abs(s[0] - end / 2))[1]
    return (after_kb - middle) / middle if middle else float("nan")


def run(args: argparse.Namespace) -> dict[str, Any]:
    server = Server(args.store, free_port(), args.workers)
    try:
        server.wait_ready()
        # warm-up, not counted: templates load, the sandbox starts its query workers
        run_clients(server.url, 4, args.warmup, 10_000_000, args.seed)
        load_before = os.getloadavg()
        print(f"ramp: {args.step_seconds:g} s per step, target p99 {args.target_p99_ms:g} ms", file=sys.stderr)
        steps = ramp(server.url, args.target_p99_ms, args.step_seconds, args.max_clients, args.seed)
        clients, sustainable = best_level(steps)
        print(f"hold: {clients} clients for {args.hold:g} s", file=sys.stderr, flush=True)
        rss_before = server_rss_kb(server.proc.pid)
        stop, samples = threading.Event(), []
        sampler = threading.Thread(
            target=lambda: samples.extend(sample_rss(server.proc.pid, args.rss_every, stop)), daemon=True
        )
        sampler.start()
        hold = step(server.url, clients, args.hold, args.seed + 1000)
        stop.set()
        sampler.join(10)
        rss_after = server_rss_kb(server.proc.pid)
        healthy = server.healthy()
        load_after = os.getloadavg()
    finally:
        server.stop()
    growth = (rss_after - rss_before) / rss_before if rss_before else float("nan")
    return {
        "target_p99_ms": args.target_p99_ms, "workers": args.workers, "steps": steps,
        "sustainable": sustainable, "hold": {**hold, "healthy_after": healthy},
        "rss_before_kb": rss_before, "rss_after_kb": rss_after, "rss_growth": round(growth, 4),
        "rss_samples_kb": samples,
        "rss_growth_second_half": round(second_half_growth(rss_before, samples, rss_after), 4),
        "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a built store directory")
    ap.add_argument("--target-p99-ms", type=float, default=500.0)
    ap.add_argument("--step-seconds", type=float, default=15.0)
    ap.add_argument("--hold", type=float, default=180.0, help="seconds at the sustainable level")
    ap.add_argument("--max-clients", type=int, default=32)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--max-rss-growth", type=float, default=None, help="fail when RSS grows more (0.2 = 20%%)")
    ap.add_argument("--rss-every", type=float, default=30.0, help="seconds between RSS samples in the hold")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    args = ap.parse_args(argv)
    report = run(args)
    hold = report["hold"]
    if args.json:
        print(json.dumps(report))
    else:
        print(f"sustainable level: {hold['clients']} clients (within target: {report['sustainable']}), "
              f"held {hold['seconds']} s")
        print("\n".join(describe({**hold, **report})))
        print(f"  RSS growth        {report['rss_growth']:+.1%} over the hold, "
              f"{report['rss_growth_second_half']:+.1%} over its second half")
        print(f"  load average      before {report['loadavg_before']}  after {report['loadavg_after']}")
    grew_too_much = args.max_rss_growth is not None and not report["rss_growth"] <= args.max_rss_growth
    return 0 if hold["healthy_after"] and hold["errors"] == 0 and not grew_too_much else 1


if __name__ == "__main__":
    sys.exit(main())
