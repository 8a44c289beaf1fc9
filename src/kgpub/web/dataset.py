"""Dataset-level pages: home, health."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from kgpub.web import get_store, settings

bp = Blueprint("dataset", __name__)


@bp.route("/")
def home() -> str:
    return render_template("home.html", title=settings().title)


@bp.route("/health")
def health() -> Response:
    store = get_store()
    store.graphs()
    return jsonify({"status": "ok", "store": "embedded" if not store.location.startswith("http") else "remote"})
