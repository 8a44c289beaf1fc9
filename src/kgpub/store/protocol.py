"""HTTP to a SPARQL 1.1 Protocol + Graph Store Protocol server: the one boundary of the remote store.

Everything that can go wrong on the wire is translated here into :mod:`kgpub.errors`, so the rest of
kgpub never sees an httpx exception: a server that cannot be reached, or answers 5xx, is retried a
bounded number of times with exponential backoff and then reported as ``StoreError`` naming the URL
and status; a 4xx is never retried (asking again will not change the answer). Messages never carry
credentials: they come from settings (``remote_user``/``remote_password`` or ``remote_token``),
never from the command line, and any user-info in the URL is masked. Errors about a *query*
(:class:`~kgpub.errors.QueryError` and its timeout) do not name the server at all: they are the
query's answer, which a web client sees, and the server's address is no business of a client.

Under a :mod:`kgpub.store.deadline` (a web request's budget) every attempt's timeouts shrink to
the time left, a backoff that does not fit is not slept, and a body still arriving when the time is
up is abandoned: the whole exchange, retries included, ends by the deadline (plus at most one
read's worth of time), however the server misbehaves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from kgpub.config import Config
from kgpub.errors import ConfigError, QueryError, QuerySyntaxError, QueryTimeoutError, StoreError
from kgpub.store import deadline

_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_BACKOFF_S = 0.2
_CONNECT_S = 5.0  # a server that has not accepted in 5 s is away (a SYN lost twice), not slow
_FAMILIES = ("oxigraph", "fuseki", "generic")
_log = logging.getLogger("kgpub.store")


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
        self.timeout = timeout
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
            timeout=httpx.Timeout(timeout, connect=min(timeout, _CONNECT_S)),
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
            self._read(response, url, what)
            return response

    def _read(self, response: httpx.Response, url: str, what: str) -> None:
        """Read the whole body; under a deadline, chunk by chunk, so that a body trickling in
        does not outlast it (each read alone is bounded by the attempt's timeout)."""
        bound = deadline.current()
        if bound is None:
            response.read()
            return
        chunks = []
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if bound.remaining() <= 0:
                raise self._timeout(url, what)
        response._content = b"".join(chunks)  # what ``read()`` does: ``content`` is the body

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
        last, tried = "", 0
        for attempt in range(self.retries):
            if attempt:
                pause = _BACKOFF_S * 2 ** (attempt - 1)
                bound = deadline.current()
                if bound is not None and bound.remaining() <= pause:
                    break  # no time left for another attempt: report the failure seen so far
                time.sleep(pause)
            timeout = self._attempt_timeout()
            if timeout is None:
                if tried:
                    break  # out of time after a failure: report the failure
                raise self._timeout(url, what)
            tried += 1
            try:
                request = self.client.build_request(method, url, timeout=timeout, **kwargs)
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
            try:
                self._read(response, url, what)
            except httpx.TimeoutException:
                raise self._timeout(url, what) from None
            except httpx.TransportError as exc:
                last = f"connection lost ({type(exc).__name__}: {exc})"
                continue
            finally:
                response.close()
            if response.status_code in _RETRY_STATUSES:
                last = f"HTTP {response.status_code}: {_excerpt(response)}"
                continue
            raise self._client_error(url, what, response)
        raise StoreError(
            f"remote store {redact(url)} failed during {what} after {tried} attempts: {last}",
            hint="is the server running and reachable? " + self._bounds(),
        )

    def _attempt_timeout(self) -> httpx.Timeout | None:
        """This attempt's timeouts: the client's, or shorter when a deadline is near; None when
        the deadline has passed."""
        bound = deadline.current()
        if bound is None:
            return self.client.timeout
        left = bound.remaining()
        if left <= 0:
            return None
        seconds = min(self.timeout, left)
        return httpx.Timeout(seconds, connect=min(seconds, _CONNECT_S))

    def _bounds(self) -> str:
        """Which settings bound the wait that just ended (for hints)."""
        bound = deadline.current()
        extra = f"; {bound.setting} bounds the whole request" if bound is not None else ""
        return f"remote_timeout and remote_retries bound each request to the store{extra}"

    def _client_error(self, url: str, what: str, response: httpx.Response) -> Exception:
        status, text = response.status_code, _excerpt(response)
        if what == "query" and status == 400:  # the server's words about the query, scrubbed of its address
            return QuerySyntaxError(f"the remote store rejected the query: {scrub(text, self.url, self.endpoints)}")
        if what == "query" and status not in (401, 403, 404, 405):
            _log.warning("remote store %s answered HTTP %s to a query: %s", redact(url), status, text)
            return QueryError(f"the remote store answered HTTP {status} to the query")
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
            return QueryTimeoutError("the remote store did not answer the query in time", hint=self._bounds())
        return StoreError(f"remote store {redact(url)} did not answer in time during {what}", hint=self._bounds())


def scrub(text: str, url: str, endpoints: Endpoints | None = None) -> str:
    """``text`` with every spelling of the server's address (the URLs, redacted or not, and their
    host:port) replaced by ``<remote store>``: for text a client may see, such as a server's error
    page that names its own host."""
    spellings: set[str] = set()
    for each in (url, *((endpoints.query, endpoints.update, endpoints.graph_store) if endpoints else ())):
        parts = urlsplit(each)
        spellings.update({each, redact(each), each.rstrip("/"), redact(each).rstrip("/")})
        if parts.hostname:
            spellings.add(parts.netloc.rpartition("@")[2])  # host:port
            if "." in parts.hostname or ":" in parts.hostname:  # an address, not a plain word
                spellings.add(parts.hostname)
    for spelling in sorted((s for s in spellings if s), key=len, reverse=True):
        text = text.replace(spelling, "<remote store>")
    return text


def _excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:300] + ("…" if len(text) > 300 else "")
