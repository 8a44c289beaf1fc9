"""kgpub's web front: a Flask application factory.

The app is stateless over its store (all state is in the store and its published snapshot), so any
number of WSGI workers and hosts can serve the same data. ``create_app(test_config)`` takes a mapping
of settings that override the config file and environment, as Flask's tutorial app does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from kgpub.config import Config, load_config
from kgpub.store import Store, open_store

__all__ = ["create_app", "get_store", "settings"]


def create_app(test_config: Mapping[str, Any] | None = None, *, config: Config | None = None) -> Flask:
    app = Flask(__name__)
    cfg = config if config is not None else load_config(overrides=dict(test_config or {}))
    if test_config and config is not None:
        cfg = cfg.replace(**dict(test_config))
    app.extensions["kgpub.config"] = cfg
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_request_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from kgpub.web import budget, dataset, diagnostics, entities, errors, queries, security, sparql, validation

    errors.register(app)
    budget.register(app)
    security.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(dataset.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(validation.bp)
    app.register_blueprint(diagnostics.bp)
    return app


def settings(app: Flask | None = None) -> Config:
    from flask import current_app

    return (app or current_app).extensions["kgpub.config"]


def get_store(app: Flask | None = None) -> Store:
    """The store of this process, opened on first use (after a fork, each worker opens its own)."""
    from flask import current_app

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get("kgpub.store")
    if store is None:
        store = open_store(settings(app).store, settings(app))
        app.extensions["kgpub.store"] = store
    return store
