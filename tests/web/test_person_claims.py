"""Profile claims on person pages: shown for a profiled person, and only there (the page asks the
claims query only when the person has a profile snapshot)."""

from __future__ import annotations

from flask import Flask

from kgpub.web import get_store
from tests.web.conftest import BASE


def test_profile_claims_show_on_profiled_persons_only(seed_app: Flask) -> None:
    """The person page skips the claims query for persons without a profile snapshot; a profiled
    person still gets the comparison."""
    k = "https://w3id.org/kgpub/ns#"
    with seed_app.app_context():
        store = get_store()
        q = f"SELECT ?p WHERE {{ ?s a <{k}ProfileSnapshot> ; <{k}snapshotOf> ?p }}"
        profiled = {r["p"].value for r in store.query(q)}
        persons = {r["p"].value for r in store.query("SELECT ?p WHERE { ?p a <http://schema.org/Person> }")}
    assert profiled and persons - profiled
    client = seed_app.test_client()
    for iri, shown in [(sorted(profiled)[0], True), (sorted(persons - profiled)[0], False)]:
        html = client.get(iri.removeprefix(BASE.rstrip("/")) + ".html").get_data(as_text=True)
        assert ("Profile claims against the graph" in html) is shown, iri
