"""Dataset-level pages: home (negotiated: HTML or the VoID description), search, health, robots,
sitemap. Everything heavy comes from :mod:`kgpub.web.listings`, computed once per snapshot."""

from __future__ import annotations

import time
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from markupsafe import Markup

from kgpub.errors import KgpubError
from kgpub.web import dumps, get_store, iris, listings, settings, vocabulary, void
from kgpub.web import search as search_index
from kgpub.web.errors import STORE_AWAY, public, uncacheable
from kgpub.web.negotiation import HTML, choose
from kgpub.web.security import script_json
from kgpub.web.void import VOID_FORMATS, void_response

bp = Blueprint("dataset", __name__)
bp.register_blueprint(void.bp)
bp.register_blueprint(dumps.bp)
bp.register_blueprint(vocabulary.bp)

SITEMAP_PAGE_SIZE = 50_000
MAX_QUERY_CHARS = 200


NEGOTIATED = {"dataset.home", "dataset.void.void", "dataset.vocabulary.ontology", "dataset.vocabulary.shapes"}


@bp.after_request
def _vary(resp: Response) -> Response:
    """Negotiated resources vary on Accept, their errors (406) included."""
    if request.endpoint in NEGOTIATED:
        resp.vary.add("Accept")
    return resp


@bp.route("/")
def home() -> Response:
    """The dataset's front page. While a remote store is away it keeps showing the figures counted
    last, with a notice that the store is not reachable (``/health`` says 503 meanwhile): they are
    still what was published, and the dumps and descriptions it links to are still served."""
    media = choose(VOID_FORMATS, HTML)
    if media != HTML:
        resp = void_response(media)
    else:
        figures = listings.home_figures(get_store())
        stats = figures.stats
        shown_examples = []
        for cls, name in listings.SHOWN_CLASSES:
            iri = figures.examples.get(cls)
            if iri and iris.link_for(iri) and name != "authorships":
                label = figures.labels.get(iri) or iris.compact(iri)
                shown_examples.append((name, label, iri, iris.link_for(iri)))
        latest = [(title, iris.link_for(w), date) for w, title, date in figures.latest]
        source_graphs = iris.base() + "graph/source/"  # once: there is a graph per source file
        kept = figures.kept_since
        html = render_template(
            "home.html",
            jsonld=dataset_jsonld(stats),
            title=settings().title,
            stats=stats,
            examples=shown_examples,
            latest=latest,
            sources=sorted(g for g in stats.graphs if g.startswith(source_graphs)),
            store_away=STORE_AWAY if kept is not None else None,
            kept_since=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(kept)) if kept is not None else None,
        )
        resp = Response(html, mimetype=HTML)
        if kept is not None:  # true only until the store is back: no cache may keep it
            uncacheable(resp)
    resp.vary.add("Accept")
    return resp


def dataset_jsonld(stats: listings.Stats) -> Markup:
    """schema.org Dataset markup for search engines, matching the VoID description."""
    base = iris.base()
    doc = {
        "@context": {"@vocab": iris.SCHEMA},
        "@id": base + ".well-known/void#dataset",
        "@type": "Dataset",
        "name": settings().title,
        "license": {"@id": settings().license} if settings().license else None,
        "url": base,
        "variableMeasured": [f"{name}: {n}" for name, n in stats.shown if n],
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": {"@id": base + "dumps/" + d.name},
                "encodingFormat": d.media_type,
            }
            for d in dumps.dump_files()
        ],
    }
    return script_json({k: v for k, v in doc.items() if v is not None})


@bp.route("/search")
def search() -> Response:
    query = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    hits: list[search_index.Entry] = []
    total = 0
    if query:
        hits, total = search_index.search(get_store(), query)
    results = [(e.label, iris.link_for(e.iri), e.kind) for e in hits]
    html = render_template("search.html", query=query, results=results, total=total)
    return Response(html, mimetype=HTML)


@bp.route("/health")
def health() -> tuple[Response, int]:
    store = get_store()
    try:
        graphs = len(store.graphs())
    except KgpubError as exc:
        return jsonify({"status": "unavailable", "error": public(exc)[0]}), 503
    except Exception as exc:  # the store's own failure, whatever it is, means "not healthy"
        current_app.logger.warning("health check failed: %s", exc)
        return jsonify({"status": "unavailable", "error": "store not readable"}), 503
    return jsonify(
        {
            "status": "ok",
            "store": "remote" if store.location.startswith(("http://", "https://")) else "embedded",
            "snapshot": getattr(store, "snapshot_id", None),
            "graphs": graphs,
        }
    ), 200


@bp.route("/robots.txt")
def robots() -> Response:
    host = request.host_url.rstrip("/")
    body = f"User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /search\n\nSitemap: {host}/sitemap.xml\n"
    return Response(body, mimetype="text/plain")


def _page_size() -> int:
    return int(current_app.config.get("KGPUB_SITEMAP_PAGE_SIZE", SITEMAP_PAGE_SIZE))


@bp.route("/sitemap.xml")
def sitemap_index() -> Response:
    paths = listings.entity_paths(get_store())
    pages = max(1, -(-(len(paths) + 1) // _page_size()))
    base = iris.base()
    items = "".join(
        f"<sitemap><loc>{xml_escape(base)}sitemaps/{n}.xml</loc></sitemap>" for n in range(1, pages + 1)
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>\n'
    )
    return Response(body, mimetype="application/xml")


@bp.route("/sitemaps/<int:number>.xml")
def sitemap_page(number: int) -> Response:
    size = _page_size()
    urls = ["/", *(p + ".html" for p in listings.entity_paths(get_store()))]
    chunk = urls[(number - 1) * size : number * size] if number >= 1 else []
    if not chunk:
        from flask import abort

        abort(404)
    base = iris.base().rstrip("/")
    root = request.script_root
    locs = "".join(f"<url><loc>{xml_escape(base + u[len(root) :])}</loc></url>" for u in chunk)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>\n'
    )
    return Response(body, mimetype="application/xml")
