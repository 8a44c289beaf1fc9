"""kgpub's one exception tree.

Every error kgpub raises on purpose is a :class:`KgpubError`. Third-party errors (pyoxigraph,
httpx, rdflib, pyshacl) are translated into this tree at the boundary that calls them, so the CLI
and the web front handle exactly these classes: the CLI maps ``exit_code`` to its exit status, the
web maps ``http_status`` to its JSON error shape.

This module imports nothing of kgpub so that every other module may import it.

    KgpubError                      exit 2, HTTP 500
    ├── UsageError                  exit 2, HTTP 400   bad arguments, bad parameter values
    ├── ConfigError                 exit 2             bad config file, env variable or manifest
    ├── SourceError                 exit 2             a source file cannot be read at all
    ├── StoreError                  exit 2, HTTP 503   the store cannot be opened / reached
    │   └── StoreLockedError        exit 2             another build holds the writer lock
    ├── QueryError                  exit 1, HTTP 400   the query failed for a user reason
    │   ├── QuerySyntaxError        exit 1, HTTP 400
    │   ├── QueryRefusedError       exit 1, HTTP 400   SERVICE, LOAD, updates, too deep
    │   ├── QueryTooLargeError      exit 1, HTTP 413
    │   ├── QueryTimeoutError       exit 1, HTTP 503   names the setting that bounds it
    │   └── QueryResourceError      exit 1, HTTP 503   memory limit or worker crash
    ├── NotAcceptableError          HTTP 406           lists the formats offered
    └── DataInvalidError            exit 1             data does not conform to the shapes
"""

from __future__ import annotations

from collections.abc import Sequence


class KgpubError(Exception):
    """Base of every error kgpub raises on purpose."""

    exit_code: int = 2
    http_status: int = 500
    code: str = "internal-error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class UsageError(KgpubError):
    exit_code = 2
    http_status = 400
    code = "bad-request"


class ConfigError(KgpubError):
    code = "config-error"


class SourceError(KgpubError):
    """A source cannot be read at all (missing, unreadable). Problems *inside* a readable source
    are :class:`kgpub.records.Diagnostic` values, not exceptions: the rest of the file still parses."""

    code = "source-error"


class StoreError(KgpubError):
    http_status = 503
    code = "store-unavailable"


class StoreLockedError(StoreError):
    code = "store-locked"


class QueryError(KgpubError):
    exit_code = 1
    http_status = 400
    code = "query-error"


class QuerySyntaxError(QueryError):
    code = "query-syntax"


class QueryRefusedError(QueryError):
    code = "query-refused"


class QueryTooLargeError(QueryError):
    http_status = 413
    code = "query-too-large"


class QueryTimeoutError(QueryError):
    http_status = 503
    code = "query-timeout"


class QueryResourceError(QueryError):
    http_status = 503
    code = "query-resources"


class NotAcceptableError(KgpubError):
    http_status = 406
    code = "not-acceptable"

    def __init__(self, message: str, *, offered: Sequence[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.offered = list(offered)


class DataInvalidError(KgpubError):
    exit_code = 1
    code = "data-invalid"
