"""HTTP to a SPARQL 1.1 Protocol + Graph Store Protocol server: the one boundary of the remote store.

Everything that can go wrong on the wire is translated here into :mod:`kgpub.errors`, so the rest of
kgpub never sees an httpx exception: a server that cannot be reached, or answers 5xx, is retried a
bounded number of times with exponential backoff and then reported as ``StoreError`` naming the URL
and status; a 4xx is never retried (asking again will not change the answer). Messages never carry
credentials: they come from settings (``remote_user``/``remote_password`` or ``remote_token``),
never from the command line, and any user-info in the URL is masked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from kgpub.config import Config
from kgpub.errors import ConfigError, QueryError, QuerySyntaxError, QueryTimeoutError, StoreError

_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_BACKOFF_S = 0.2
_FAMILIES = ("oxigraph", "fuseki", "generic")


def redact(url: str) -> str:
    """The URL with any user:password@ replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, "***@" + host, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where queries, updates and graph-store requests go for one server."""

    query: str
    update: str
    graph_store: str

    @classmethod
    def for_server(cls, url: str, config: Config | None) -> Endpoints:
        """Oxigraph: /query /update /store; Fuseki (url = the dataset): /sparql /update /data;
        generic: the three ``remote_*_url`` settings. Explicit settings override any layout."""
        family = (config.remote_family if config else "oxigraph").strip().lower()
        base = url.rstrip("/")
        if family == "oxigraph":
            layout = cls(base + "/query", base + "/update", base + "/store")
        elif family == "fuseki":
            layout = cls(base + "/sparql", base + "/update", base + "/data")
        elif family == "generic":
            layout = cls(base, base, base)
        else:
            raise ConfigError(f"unknown remote_family {family!r}", hint="use one of: " + ", ".join(_FAMILIES))
        if config is None:
            return layout
        endpoints = cls(
            config.remote_query_url or layout.query,
            config.remote_update_url or layout.update,
            config.remote_graph_store_url or layout.graph_store,
        )
        if family == "generic" and not (config.remote_query_url and config.remote_graph_store_url):
            raise ConfigError(
                "remote_family 'generic' needs remote_query_url and remote_graph_store_url"
                " (and remote_update_url to write)",
                hint="set them in kgpub.toml or KGPUB_REMOTE_QUERY_URL etc.",
            )
        return endpoints


class ProtocolClient:
    """One pooled httpx client with timeouts, auth, bounded retries and error translation."""

    def __init__(
        self, url: str, config: Config | None = None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.url = url
        self.endpoints = Endpoints.for_server(url, config)
        timeout = float(config.remote_timeout) if config else 60.0
        self.retries = max(1, int(config.remote_retries)) if config else 3
        auth: httpx.Auth | None = None
        headers = {"User-Agent": "kgpub"}
        if config is not None and config.remote_token:
            headers["Authorization"] = f"Bearer {config.remote_token}"
        elif config is not None and config.remote_user:
            auth = httpx.BasicAuth(config.remote_user, config.remote_password)
        self.client = httpx.Client(
            auth=auth,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def request(
        self, method: str, url: str, *, what: str, allow: tuple[int, ...] = (), **kwargs: Any
    ) -> httpx.Response:
        """Send with retries; return a 2xx response (or one in ``allow``), read in full.
        ``what`` names the operation in messages."""
        with self.stream(method, url, what=what, allow=allow, **kwargs) as response:
            response.read()
            return response

    @contextmanager
    def stream(
        self, method: str, url: str, *, what: str, allow: tuple[int, ...] = (), **kwargs: Any
    ) -> Iterator[httpx.Response]:
        """Like ``request`` but the body is left to the caller to stream; errors while streaming
        are translated too."""
        response = self._send(method, url, what, allow, kwargs)
        try:
            yield response
        except httpx.TimeoutException:
            raise self._timeout(url, what) from None
        except httpx.TransportError as exc:
            raise StoreError(f"remote store {redact(url)}: connection lost during {what}: {exc}") from None
        finally:
            response.close()

    def _send(
        self, method: str, url: str, what: str, allow: tuple[int, ...], kwargs: Mapping[str, Any]
    ) -> httpx.Response:
        last = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(_BACKOFF_S * 2 ** (attempt - 1))
            try:
                request = self.client.build_request(method, url, **kwargs)
                response = self.client.send(request, stream=True)
            except httpx.ConnectTimeout as exc:
                last = f"cannot connect ({type(exc).__name__}: {exc})"
                continue
            except httpx.TimeoutException:
                raise self._timeout(url, what) from None
            except httpx.TransportError as exc:  # refused, reset, closed early: all idempotent to redo
                last = f"cannot connect ({type(exc).__name__}: {exc})"
                continue
            if response.status_code < 300 or response.status_code in allow:
                return response
            response.read()
            response.close()
            if response.status_code in _RETRY_STATUSES:
                last = f"HTTP {response.status_code}: {_excerpt(response)}"
                continue
            raise self._client_error(url, what, response)
        raise StoreError(
            f"remote store {redact(url)} failed during {what} after {self.retries} attempts: {last}",
            hint="is the server running and reachable? remote_retries and remote_timeout bound the wait",
        )

    def _client_error(self, url: str, what: str, response: httpx.Response) -> Exception:
        status, text = response.status_code, _excerpt(response)
        if what == "query" and status == 400:
            return QuerySyntaxError(f"remote store rejected the query: {text}")
        if what == "query" and status not in (401, 403, 404, 405):
            return QueryError(f"remote store answered HTTP {status} to the query: {text}")
        hint = None
        if status in (401, 403):
            hint = "set remote_user/remote_password or remote_token (config file or KGPUB_REMOTE_* variables)"
        elif status in (404, 405):
            hint = "check remote_family (oxigraph | fuseki | generic) and the remote_*_url settings"
        return StoreError(
            f"remote store {redact(url)} answered HTTP {status} during {what}: {text}", hint=hint
        )

    def _timeout(self, url: str, what: str) -> Exception:
        if what == "query":
            return QueryTimeoutError(
                f"remote store {redact(url)} did not answer the query in time",
                hint="the setting remote_timeout bounds the wait",
            )
        return StoreError(
            f"remote store {redact(url)} did not answer in time during {what}",
            hint="the setting remote_timeout bounds the wait",
        )


def _excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:300] + ("…" if len(text) > 300 else "")
