"""The ``kgpub`` command: build | validate | serve | query | dump | stats.

The CLI only orchestrates: it resolves settings, calls the pipeline, the store or the web app, and
turns kgpub errors into one or two lines and an exit code: 0 success, 1 the data does not conform
or the query failed for a user reason, 2 usage or tool error. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kgpub import __version__
from kgpub.config import Config, load_config
from kgpub.errors import KgpubError

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns KgpubError into a short message and its exit code instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgpubError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"kgpub: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"kgpub: error: {exc}", err=True)
            ctx.exit(2)


def _config(ctx: click.Context, **overrides: Any) -> Config:
    obj = ctx.find_root().obj
    return load_config(obj.get("config_path"), overrides=overrides)


def store_option(f: F) -> F:
    return click.option(
        "--store",
        metavar="STORE",
        help="A directory (embedded Oxigraph, created if missing) or an http(s):// SPARQL server URL. "
        "Default: the `store` setting.",
    )(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgpub")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML).")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """Publish a scholarly knowledge graph as linked data."""
    ctx.obj = {"config_path": config_path, "debug": debug}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Source manifest (TOML)."
)
@store_option
@click.option("--base", help="Base IRI under which entity IRIs are minted.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output, only the summary.")
@click.pass_context
def build(ctx: click.Context, paths: tuple[Path, ...], manifest: Path | None, store: str | None,
          base: str | None, quiet: bool) -> None:
    """Read sources (files, folders or a manifest) into the store."""
    from kgpub.pipeline import build as run_build

    if not paths and manifest is None:
        raise click.UsageError("name at least one source file or folder, or --manifest")
    config = _config(ctx, store=store, base=base)
    summary = run_build(list(paths), manifest=manifest, config=config, progress=not quiet)
    click.echo(summary.to_text())
    ctx.exit(summary.exit_code)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True)
@click.pass_context
def validate(ctx: click.Context, store: str | None, fmt: str) -> None:
    """Validate the store against the shapes. Exit 1 when any Violation."""
    from kgpub.pipeline import validate_store

    report = validate_store(_config(ctx, store=store))
    click.echo({"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}[fmt]())
    ctx.exit(0 if report.conforms else 1)


@main.command()
@store_option
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port (setting `port`).")
@click.option("--workers", type=int, help="WSGI worker processes (setting `workers`).")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn.")
@click.pass_context
def serve(ctx: click.Context, store: str | None, host: str | None, port: int | None,
          workers: int | None, dev: bool) -> None:
    """Serve the SPARQL endpoint and the entity pages."""
    from kgpub.serving import serve as run_server

    config = _config(ctx, store=store, host=host, port=port, workers=workers)
    click.echo(f"kgpub: serving {config.store} at http://{config.host}:{config.port}/", err=True)
    run_server(config, dev=dev)


@main.command()
@store_option
@click.option("--format", "fmt", default=None, help="Result media type or name (json, csv, tsv, xml, turtle, nt…).")
@click.option("--named", metavar="NAME", help="Run the named query sparql/NAME.rq instead of QUERY.")
@click.option("--param", "params", multiple=True, metavar="K=V", help="A named-query parameter (repeatable).")
@click.argument("query", required=False)
@click.pass_context
def query(ctx: click.Context, store: str | None, fmt: str | None, named: str | None,
          params: tuple[str, ...], query: str | None) -> None:
    """Run QUERY (SPARQL text, or @FILE), or a named query, on the store and print the results."""
    from kgpub.pipeline import run_named_query, run_query

    config = _config(ctx, store=store)
    if named:
        if query:
            raise click.UsageError("give either QUERY or --named, not both")
        pairs = {}
        for item in params:
            key, eq, value = item.partition("=")
            if not eq:
                raise click.UsageError(f"--param takes K=V, got {item!r}")
            pairs[key] = value
        body = run_named_query(config, named, pairs, fmt)
    elif query:
        if params:
            raise click.UsageError("--param goes with --named")
        text = Path(query[1:]).read_text(encoding="utf-8") if query.startswith("@") else query
        body = run_query(config, text, fmt)
    else:
        raise click.UsageError("give a QUERY, @FILE or --named NAME")
    sys.stdout.buffer.write(body)
    if not body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig"]), default="nquads", show_default=True)
@click.argument("out", type=click.Path(path_type=Path))
@click.pass_context
def dump(ctx: click.Context, store: str | None, fmt: str, out: Path) -> None:
    """Write the whole dataset to OUT (gzip N-Quads or TriG) with a .sha256 file beside it."""
    from kgpub.pipeline import dump_store

    written = dump_store(_config(ctx, store=store), out, fmt)
    click.echo(f"wrote {written} and {written}.sha256")


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx: click.Context, store: str | None, as_json: bool) -> None:
    """Counts per class, per graph and per validation severity."""
    from kgpub.pipeline import store_stats

    data = store_stats(_config(ctx, store=store))
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    for section, values in data.items():
        click.echo(f"{section}:")
        if isinstance(values, dict):
            for key, value in values.items():
                click.echo(f"  {value:>10}  {key}")
        else:
            click.echo(f"  {values}")
