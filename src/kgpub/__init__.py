"""kgpub: publish a scholarly knowledge graph as linked data.

Public API (everything else is internal and may change):

- :func:`kgpub.web.create_app` — the Flask application factory.
- :func:`kgpub.pipeline.build` — sources → records → reconcile → RDF → validate → store.
- :func:`kgpub.store.open_store` — the embedded or remote store.
- :mod:`kgpub.errors` — the one exception tree.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
