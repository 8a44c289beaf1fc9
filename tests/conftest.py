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

    settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_register_hypothesis_profiles()
