"""Content negotiation over pyoxigraph's own format table.

Media types, file extensions and names come from :mod:`kgpub.formats` (which reuses pyoxigraph's
table); this module only decides which of the offered ones a request wants: ``?format=`` (a name,
an extension or a media type) wins, then Accept with q-values (werkzeug's parser), and a missing
Accept or ``*/*`` gets the caller's default.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request

from kgpub.errors import NotAcceptableError
from kgpub.formats import (
    _ALIASES,
    _EQUIVALENT,
    HTML,
    RDF_FORMATS,
    RESULT_FORMATS,
    extension_of,
    media_type_for_extension,
    media_type_for_name,
    rdf_media_types,
    result_media_types,
)

# when the equivalent is not offered (an entity document has no SPARQL results), try these
_FALLBACK = {
    "application/json": "application/ld+json",
}

__all__ = [
    "HTML",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "choose",
    "extension_of",
    "media_type_for_extension",
    "media_type_for_name",
    "rdf_media_types",
    "result_media_types",
]

def _from_format_param(value: str, offered: Sequence[str]) -> str:
    key = value.strip().lower()
    media = key if key in offered else _ALIASES.get(key, _EQUIVALENT.get(key, key))
    if media in offered:
        return media
    raise NotAcceptableError(
        f"format {value!r} is not offered here", offered=offered, hint="use one of the offered media types"
    )


def choose(offered: Sequence[str], default: str, *, param: str = "format") -> str:
    """Pick the response media type, or raise 406 listing what is offered."""
    explicit = request.values.get(param) if param else None
    if explicit:
        return _from_format_param(explicit, offered)
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept", "").strip():
        return default
    best: tuple[float, int, str] | None = None
    for raw, quality in accept:
        media = raw.lower()
        if media not in offered:
            media = _EQUIVALENT.get(media, media)
            if media not in offered:
                media = _FALLBACK.get(raw.lower(), media)
        if quality <= 0:
            continue
        if media in ("*/*",):
            candidates = [default]
        elif media.endswith("/*"):
            candidates = [o for o in offered if o.startswith(media[:-1])]
        else:
            candidates = [media] if media in offered else []
        for cand in candidates:
            # specificity: an exact match beats a wildcard at the same q
            spec = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            if accept.quality(cand) <= 0 and spec < 2:
                continue
            rank = (quality, spec, cand)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None:
        raise NotAcceptableError(
            "none of the media types in Accept is offered here",
            offered=offered,
            hint="ask for one of the offered media types, or use ?format=",
        )
    return best[2]
