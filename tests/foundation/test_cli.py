"""The CLI contract: --help everywhere, exit codes 0/1/2, short errors without tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgpub.cli import main

COMMANDS = ["build", "validate", "serve", "query", "dump", "stats"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: main " + command in result.output or f"Usage: kgpub {command}" in result.output
    assert "--store" in result.output


def test_top_level_help_lists_commands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["build"]).exit_code == 2
    assert runner.invoke(main, ["build", str(tmp_path / "absent")]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_query_syntax_error_exits_1_with_a_short_message(runner: CliRunner, store_dir: Path) -> None:
    result = runner.invoke(main, ["query", "--store", str(store_dir), "SELEC * {}"])
    assert result.exit_code == 1
    assert "kgpub: error: SPARQL syntax error" in result.output
    assert "Traceback" not in result.output


def test_query_on_an_empty_store_answers(runner: CliRunner, store_dir: Path) -> None:
    result = runner.invoke(main, ["query", "--store", str(store_dir), "--format", "csv", "SELECT (1 AS ?x) {}"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["x", "1"]
