"""The per-snapshot memo on stores without snapshots (a TTL), and hostile page parameters."""

from __future__ import annotations

import httpx
import pytest

from kgpub.web import listings
from kgpub.web.listings import SnapshotCache
from tests.web.conftest import LiveServer


class _NoSnapshots:
    """Stands in for a remote store: it has no snapshot id."""


class _Snapshots:
    def __init__(self) -> None:
        self.snapshot_id = "S1"


def test_snapshot_store_values_live_until_the_snapshot_changes() -> None:
    cache, store, calls = SnapshotCache(), _Snapshots(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("x", store, compute) == 1  # type: ignore[arg-type]
    assert cache.get("x", store, compute) == 1  # type: ignore[arg-type]
    store.snapshot_id = "S2"
    assert cache.get("x", store, compute) == 2  # type: ignore[arg-type]


def test_stores_without_snapshots_use_a_time_to_live(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(listings.time, "monotonic", lambda: now[0])
    cache, store, calls = SnapshotCache(ttl=60), _NoSnapshots(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("x", store, compute) == 1  # type: ignore[arg-type]
    now[0] += 10
    assert cache.get("x", store, compute) == 1  # type: ignore[arg-type]
    now[0] += 60
    assert cache.get("x", store, compute) == 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-3",
        "page=99999999999",
        "size=-5",
        "size=100000",
        "sort=DROP%20GRAPH",
        "sort=%3Cscript%3E",
    ],
)
def test_hostile_page_parameters_are_clamped(live: LiveServer, query: str) -> None:
    r = httpx.get(f"{live.url}/id/person/p1.html?{query}", timeout=30)
    assert r.status_code == 200
    assert "<script>" not in r.text.split("</head>", 1)[1].replace('<script type="application/ld+json">', "")
    assert "/id/work/w" in r.text


def test_head_on_the_negotiated_iri(live: LiveServer) -> None:
    r = httpx.head(f"{live.url}/id/work/w1", headers={"Accept": "application/ld+json"}, timeout=30)
    assert r.status_code == 303 and r.headers["Location"].endswith("/id/work/w1.jsonld")
    assert "Accept" in r.headers["Vary"]
