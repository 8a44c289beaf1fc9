"""The generated OpenAPI description validates, and schemathesis finds no server error."""

from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from kgpub.queries import named_queries


def test_openapi_document_validates(seed_app: Flask) -> None:
    doc = seed_app.test_client().get("/queries/openapi.json").get_json()
    validate(doc)
    assert set(doc["paths"]) == {f"/queries/{name}" for name in named_queries()}
    person = doc["paths"]["/queries/person-works"]["get"]["parameters"][0]
    assert person["name"] == "person" and person["required"] is True


def test_schemathesis_finds_no_server_error(seed_app: Flask) -> None:
    doc = seed_app.test_client().get("/queries/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(doc)
    failures = []
    calls = []
    client = seed_app.test_client()
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            query = case.query or {}
            calls.append(case.path)
            resp = client.get(case.path, query_string=query, headers={"Accept": "application/json"})
            if resp.status_code >= 500:
                failures.append((case.path, query, resp.status_code, resp.get_data(as_text=True)[:300]))
            assert resp.status_code in (200, 400), (case.path, query, resp.status_code, resp.get_data(as_text=True))

        run()
    assert not failures
    assert len(set(calls)) == len(named_queries()) and len(calls) >= 5 * len(named_queries())
