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


def test_profiles_found_when_the_description_is_cut_short(seed_app: Flask) -> None:
    """The profiles query is skipped only when the description holds every neighbour of the person
    (their types tell there is no snapshot among them); with the incoming statements cut at one, a
    profiled person's snapshot must still be found by the query, and a person without one gets none."""
    from kgpub.web.describe import describe
    from kgpub.web.render.person import profiles

    k = "https://w3id.org/kgpub/ns#"
    with seed_app.test_request_context("/"):
        store = get_store()
        q = f"SELECT ?p ?s WHERE {{ ?s a <{k}ProfileSnapshot> ; <{k}snapshotOf> ?p }}"
        snapshots = {r["p"].value: r["s"].value for r in store.query(q)}
        persons = {r["p"].value for r in store.query("SELECT ?p WHERE { ?p a <http://schema.org/Person> }")}
        person = sorted(snapshots)[0]
        cut = describe(store, person, incoming=1)
        full = describe(store, person)
        assert not cut.neighbours_complete() and full.neighbours_complete()
        for desc in (cut, full):
            assert snapshots[person] in {p["link"].iri for p in profiles(store, desc)}
        other = sorted(persons - set(snapshots))[0]
        assert describe(store, other).neighbours_complete()
        assert profiles(store, describe(store, other)) == []
