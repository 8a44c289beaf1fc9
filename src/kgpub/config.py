"""Settings, declared once.

Every setting has a name, a type, a default and a help text, in :data:`SETTINGS`. Values come, in
increasing precedence, from the defaults, a TOML config file (``kgpub.toml`` in the working
directory, or the file named by ``KGPUB_CONFIG`` / ``--config``), ``KGPUB_<NAME>`` environment
variables, and explicit overrides (command-line options, a test config). The README documents every
setting; a test keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgpub.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    secret: bool = False

    @property
    def env_var(self) -> str:
        return "KGPUB_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", str, "var/store", "Store: a directory (embedded Oxigraph) or an http(s):// SPARQL server URL."),
    Setting("base", str, "http://localhost:8080/", "Base IRI under which entity IRIs are minted."),
    Setting("host", str, "127.0.0.1", "Address `kgpub serve` listens on."),
    Setting("port", int, 8080, "Port `kgpub serve` listens on."),
    Setting("workers", int, 2, "WSGI (gunicorn) worker processes of `kgpub serve`."),
    Setting(
        "client_io_timeout", float, 10.0,
        "Seconds `kgpub serve` waits on one read from or write to a client before dropping it (slow clients).",
    ),
    Setting("query_timeout", float, 10.0, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("query_max_length", int, 100_000, "Longest SPARQL query text accepted, in bytes (413 beyond)."),
    Setting("query_max_depth", int, 200, "Deepest nesting of brackets and braces in a query (400 beyond)."),
    Setting("query_memory_mb", int, 2048, "Memory limit of one query worker process, in MiB."),
    Setting(
        "query_workers", int, 4,
        "Query worker processes per web process (as many as its request threads, so no request waits for one).",
    ),
    Setting("query_max_per_client", int, 4, "Concurrent SPARQL queries per client address (429 beyond)."),
    Setting("max_request_bytes", int, 1_048_576, "Largest request body accepted, in bytes (413 beyond)."),
    Setting("page_size", int, 50, "Default page size of listings and named-query results."),
    Setting("max_page_size", int, 1000, "Largest page size a client may ask for."),
    Setting("remote_user", str, "", "HTTP basic auth user for a remote store."),
    Setting("remote_password", str, "", "HTTP basic auth password for a remote store.", secret=True),
    Setting("remote_token", str, "", "Bearer token for a remote store.", secret=True),
    Setting("remote_family", str, "oxigraph", "Remote store URL layout: oxigraph | fuseki | generic."),
    Setting(
        "remote_query_url", str, "",
        "SPARQL query endpoint of a remote store (needed for family generic; overrides the layout).",
    ),
    Setting(
        "remote_update_url", str, "",
        "SPARQL update endpoint of a remote store (family generic, to write; overrides the layout).",
    ),
    Setting(
        "remote_graph_store_url", str, "",
        "Graph Store Protocol endpoint of a remote store (needed for family generic; overrides the layout).",
    ),
    Setting(
        "remote_timeout", float, 60.0,
        "Seconds a remote store may take per step of one request (connecting, each read or write).",
    ),
    Setting("remote_retries", int, 3, "Attempts per request when a remote store is down or answers 5xx."),
    Setting(
        "remote_page_timeout", float, 10.0,
        "Seconds one web request may wait on a remote store in all (every query, retry and backoff"
        " together) before it answers 503; `/sparql` queries get `query_timeout` instead.",
    ),
    Setting(
        "remote_union_default_graph", bool, True,
        "Whether the remote server's default graph is the union of its named graphs (else kgpub names them).",
    ),
    Setting(
        "remote_lock_ttl", float, 600.0,
        "Seconds after which a remote writer lock with no heartbeat is stale (its build died elsewhere).",
    ),
    Setting("license", str, "https://creativecommons.org/publicdomain/zero/1.0/", "License IRI of the data."),
    Setting(
        "dump_dir",
        str,
        "var/dumps",
        "Folder `kgpub dump` writes dumps (and their .sha256 files) to; the web serves it at /dumps/.",
    ),
    Setting(
        "validation_memory_statements", int, 6_000_000,
        "A full validation of up to this many statements runs on an in-memory copy (faster; about 300 MB"
        " per million); a larger build validates its on-disk snapshot instead, in bounded memory.",
    ),
    Setting("title", str, "kgpub scholarly knowledge graph", "Dataset title shown on pages and in VoID."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    if isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool)):
        return value
    try:
        if setting.type is bool:
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        return setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{origin}: setting {setting.name!r} must be {setting.type.__name__}, got {value!r}",
            hint=setting.help,
        ) from None


class Config(Mapping[str, Any]):
    """Resolved settings; read like a mapping or by attribute (``config.query_timeout``)."""

    def __init__(self, values: Mapping[str, Any], origins: Mapping[str, str]) -> None:
        self._values = dict(values)
        self._origins = dict(origins)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def origin(self, key: str) -> str:
        """Where a value came from: default, the config file, an env variable, an override."""
        return self._origins[key]

    def replace(self, **overrides: Any) -> Config:
        values, origins = dict(self._values), dict(self._origins)
        for name, value in overrides.items():
            if name not in _BY_NAME:
                raise ConfigError(f"unknown setting {name!r}")
            values[name] = _coerce(_BY_NAME[name], value, "override")
            origins[name] = "override"
        return Config(values, origins)


def load_config(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Resolve every setting. ``path`` None means ``$KGPUB_CONFIG`` or ``./kgpub.toml`` if present."""
    env = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    origins = {s.name: "default" for s in SETTINGS}

    file = Path(path) if path else Path(env["KGPUB_CONFIG"]) if env.get("KGPUB_CONFIG") else None
    if file is None and Path("kgpub.toml").is_file():
        file = Path("kgpub.toml")
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {file}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        for key, value in data.items():
            name = key.replace("-", "_")
            if name not in _BY_NAME:
                raise ConfigError(
                    f"{file}: unknown setting {key!r}", hint="known settings: " + ", ".join(_BY_NAME)
                )
            values[name] = _coerce(_BY_NAME[name], value, str(file))
            origins[name] = str(file)

    for setting in SETTINGS:
        if setting.env_var in env:
            values[setting.name] = _coerce(setting, env[setting.env_var], setting.env_var)
            origins[setting.name] = setting.env_var

    config = Config(values, origins)
    if overrides:
        config = config.replace(**{k: v for k, v in overrides.items() if v is not None})
    return config


def settings_markdown() -> str:
    """The README's settings table, generated from :data:`SETTINGS` (``python -m kgpub.config``)."""
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = "(empty)" if s.default == "" else f"`{s.default}`"
        meaning = s.help.replace("|", "\\|")
        rows.append(f"| `{s.name}` | `{s.env_var}` | {default} | {meaning} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_markdown())
