"""Shared fixtures: a store over a temporary directory, the app built on it, a test client and a
CLI runner (the shape of Flask's tutorial app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from kgpub.store import EmbeddedStore
from kgpub.web import create_app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CONFORMANCE = SHARED / "conformance" / "sparql11"
EXAMPLES = REPO / "examples"
BASE = "http://localhost:8080/"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_dir: Path) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(store_dir)
    yield s
    s.close()


@pytest.fixture
def app(store_dir: Path) -> Flask:
    app = create_app({"store": str(store_dir), "base": BASE})
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _register_hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    # CI replays the same examples every run, so a submission is judged on the code, not on the draw;
    # the search for new counterexamples happens in "dev" (random) and "deep" (many more examples).
    slow = [HealthCheck.too_slow]
    settings.register_profile("ci", deadline=None, derandomize=True, suppress_health_check=slow)
    settings.register_profile("dev", deadline=None)
    settings.register_profile("deep", deadline=None, max_examples=2000, suppress_health_check=slow)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_register_hypothesis_profiles()


SEED_MANIFEST = """
[[source]]
path = "{seeds}/000_7d670b394354372b.txt"
kind = "profile"
captured = "2026-11-21"

[[source]]
path = "{seeds}/001_b920d80493c3ff62.txt"
kind = "arxiv-listing"
captured = "2026-11-21"
subject = "Hsien-Hsin S. Lee"

[[source]]
path = "{seeds}/002_0a1e0ee302e8cf04.txt"
kind = "feed"
captured = "2026-11-21"
"""


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three seed files built once per test session through the real pipeline."""
    from kgpub.config import load_config
    from kgpub.pipeline import build

    root = tmp_path_factory.mktemp("seeds")
    manifest = root / "seeds.toml"
    manifest.write_text(SEED_MANIFEST.format(seeds=SEEDS.as_posix()))
    config = load_config(None, environ={}, overrides={"store": str(root / "store"), "base": BASE})
    build([], manifest=manifest, config=config, progress=False)
    return root / "store"


@pytest.fixture
def seed_app(seed_store_dir: Path) -> Flask:
    app = create_app({"store": str(seed_store_dir), "base": BASE})
    app.config["TESTING"] = True
    return app
