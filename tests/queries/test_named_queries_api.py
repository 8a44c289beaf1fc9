"""Named queries as a web API over the seed graph: results, paging, formats, bad parameters."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kgpub.queries import named_queries
from tests.foundation.test_error_shape import assert_error_shape


@pytest.fixture
def api(seed_app: Flask) -> FlaskClient:
    return seed_app.test_client()


def person_iri(api: FlaskClient, name: str) -> str:
    q = f'SELECT ?p WHERE {{ ?p a <http://schema.org/Person> ; <http://schema.org/name> "{name}" }}'
    rows = api.get("/sparql", query_string={"query": q}, headers={"Accept": "application/json"}).get_json()
    found = {r["p"]["value"] for r in rows["results"]["bindings"]}
    assert len(found) == 1, (name, found)
    return found.pop()


def test_index_lists_every_shipped_query_as_json(api: FlaskClient) -> None:
    body = api.get("/queries", headers={"Accept": "application/json"}).get_json()
    names = {q["name"] for q in body["queries"]}
    assert names == set(named_queries())
    assert {"person-works", "person-coauthors", "person-topics", "works-by-topic", "entity-provenance",
            "conflicts", "profile-claims", "validation-results"} <= names


def test_coauthors_of_a_feed_author_with_counts_and_years(api: FlaskClient) -> None:
    maeng = person_iri(api, "Kiwan Maeng")
    body = api.get("/queries/person-coauthors", query_string={"person": maeng}).get_json()
    by_name = {r["name"]: r for r in body["rows"]}
    assert by_name["Chuan Guo"]["shared"] == 3
    assert by_name["Sanjay Kariyappa"]["shared"] == 3
    assert by_name["G. Edward Suh"]["shared"] == 2
    assert (by_name["Chuan Guo"]["first_year"], by_name["Chuan Guo"]["last_year"]) == (2022, 2023)
    # the profile owner is an author of the Cocktail Party Attack, which Maeng co-wrote
    assert by_name["Hsien-Hsin S. Lee"]["shared"] == 1
    assert "et al." not in by_name and all(r["shared"] >= 1 for r in body["rows"])
    assert body["rows"][0]["shared"] == 3  # ordered by shared works


def test_person_works_and_topic_filter(api: FlaskClient) -> None:
    lee = person_iri(api, "Hsien-Hsin S. Lee")
    works = api.get("/queries/person-works", query_string={"person": lee, "limit": 100}).get_json()["rows"]
    assert len(works) == 11  # 6 profile works + 7 listing works, 2 of them the same works
    maeng = person_iri(api, "Kiwan Maeng")
    cr = api.get("/queries/person-works", query_string={"person": maeng, "topic": "cs.CR"}).get_json()["rows"]
    titles = {r["title"] for r in cr}
    assert "Beyond Latency: A System-Level Characterization of MPC and FHE for PPML" in titles
    assert all(t for t in titles)


def test_paging_with_link_next(api: FlaskClient) -> None:
    maeng = person_iri(api, "Kiwan Maeng")
    first = api.get("/queries/person-coauthors", query_string={"person": maeng, "limit": 2})
    assert first.status_code == 200 and len(first.get_json()["rows"]) == 2
    assert 'rel="next"' in first.headers["Link"]
    nxt = first.headers["Link"].split(">")[0].lstrip("<")
    second = api.get(nxt).get_json()
    assert second["offset"] == 2
    assert second["rows"][0] != first.get_json()["rows"][0]


def test_csv_and_html_outputs(api: FlaskClient) -> None:
    resp = api.get("/queries/works-by-topic.csv", query_string={"topic": "cs.CR", "from_year": 2023})
    assert resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert rows and all(int(r["date"][:4]) >= 2023 for r in rows)
    html = api.get("/queries/works-by-topic", query_string={"topic": "cs.CR"}, headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"Show the query" in html.data


def test_profile_claims_stated_beside_computed(api: FlaskClient) -> None:
    rows = api.get("/queries/profile-claims").get_json()["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["stated_works"], row["graph_works"]) == (6, 11)
    assert row["stated_topics"] == 5 and row["stated_collaborators"] == 4


@pytest.mark.parametrize(
    ("query", "params", "fragment"),
    [
        ("person-works", {}, "parameter 'person': is required"),
        ("person-works", {"person": "http://localhost:8080/id/person/nobody"}, "no entity"),
        ("person-works", {"person": "> } ; DROP ALL #"}, "must be an absolute http"),
        ("works-by-topic", {"topic": "cs.CR", "from_year": "twenty"}, "must be an integer"),
        ("works-by-topic", {"topic": "cs.CR", "from_year": "1066"}, "must be ≥ 1900"),
        ("works-by-topic", {"topic": "cs.CR' } DROP ALL"}, "must be an arXiv category"),
        ("person-works", {"person": "http://x/y", "evil": "1"}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_400_and_change_nothing(api: FlaskClient, query, params, fragment) -> None:
    before = api.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                     headers={"Accept": "application/json"}).get_json()
    resp = api.get(f"/queries/{query}?" + "&".join(f"{k}={quote(v)}" for k, v in params.items()),
                   headers={"Accept": "application/json"})
    err = assert_error_shape(resp, 400)
    assert fragment in err["message"]
    after = api.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                    headers={"Accept": "application/json"}).get_json()
    assert before == after


def test_show_the_query(api: FlaskClient) -> None:
    resp = api.get("/queries/person-works.rq")
    assert resp.status_code == 200 and b"# title: Works of a person" in resp.data


def test_person_page_shows_profile_claims_beside_the_graph(api: FlaskClient) -> None:
    lee = person_iri(api, "Hsien-Hsin S. Lee")
    page = api.get(lee.replace("http://localhost:8080", "") + ".html").get_data(as_text=True)
    assert "Profile claims against the graph" in page
    table = page.split('<table class="claims">', 1)[1].split("</table>", 1)[0]
    rows = [r for r in table.split("<tr")[2:]]
    works, topics, collaborators = rows
    assert "<td>6</td><td>11 " in works and 'class="differs"' in works
    assert "<td>5</td><td>2 " in topics
    assert "<td>4</td><td>9 " in collaborators
    # the co-author list on the page is the person-coauthors named query's answer
    api_rows = api.get("/queries/person-coauthors", query_string={"person": lee}).get_json()["rows"]
    for row in api_rows:
        assert row["name"] in page
