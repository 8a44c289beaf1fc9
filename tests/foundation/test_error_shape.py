"""One JSON error shape for every error answer (Datasette's rule), and HTML for browsers."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def assert_error_shape(resp, status: int) -> dict:
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["status"] == status
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert set(err) <= {"status", "code", "message", "hint", "offered"}
    return err


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/no/such/page", {}, 404),
        ("get", "/sparql?query=SELEC", {}, 400),
        ("get", "/sparql?query=ASK{}&query=ASK{}", {}, 400),
        ("post", "/sparql", {"data": "ASK {}", "content_type": "text/plain"}, 400),
        ("get", "/sparql?update=DROP%20ALL", {}, 400),
        ("get", "/sparql?query=ASK%7B%7D", {"headers": {"Accept": "image/png"}}, 406),
        ("get", "/queries/no-such-query", {}, 400),
        ("delete", "/sparql", {}, 405),
        ("post", "/sparql", {"data": "x" * 2_000_000, "content_type": "application/sparql-query"}, 413),
    ],
)
def test_every_error_has_the_one_shape(client: FlaskClient, method, path, kwargs, status) -> None:
    kwargs.setdefault("headers", {}).setdefault("Accept", "application/json")
    resp = getattr(client, method)(path, **kwargs)
    err = assert_error_shape(resp, status)
    if status == 406:
        assert "application/sparql-results+json" in err["offered"]


def test_browsers_get_an_html_error_page_escaped(client: FlaskClient) -> None:
    resp = client.get("/queries/<script>alert(1)</script>", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert b"<script>alert" not in resp.data
