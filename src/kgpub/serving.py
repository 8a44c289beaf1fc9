"""Run the web front: gunicorn in production (the default), werkzeug for development.

Gunicorn settings that make the server safe to expose: bounded request line and header sizes,
a worker timeout above the query time limit (the query sandbox stops queries itself), keep-alive
bounded, and a time limit on every socket read and write of a client (``client_io_timeout``, see
:mod:`kgpub.serving_worker`) so that clients that send half a request cannot hold the threads.
A reverse proxy in front (nginx) is still the place for TLS and rate limits; see SECURITY.md.
"""

from __future__ import annotations

from typing import Any

from kgpub.config import Config


def gunicorn_options(config: Config) -> dict[str, Any]:
    return {
        "bind": f"{config.host}:{config.port}",
        "workers": config.workers,
        "worker_class": "kgpub.serving_worker.BoundedThreadWorker",
        "threads": max(4, config.query_workers),  # a request thread never waits for a query worker
        "timeout": int(config.query_timeout) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 16384,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "accesslog": "-",
    }


def serve(config: Config, *, dev: bool = False) -> None:
    from kgpub.web import create_app

    if dev:
        create_app(config=config).run(host=config.host, port=config.port, threaded=True)
        return

    from gunicorn.app.base import BaseApplication

    from kgpub.serving_worker import BoundedThreadWorker

    BoundedThreadWorker.io_timeout = float(config.client_io_timeout)  # inherited by the forked workers

    class _App(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(config).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(config=config)

    _App().run()
