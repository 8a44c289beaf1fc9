"""Settings: declared once, documented in the README, resolved with the right precedence."""

from __future__ import annotations

import re

import pytest

from kgpub.config import SETTINGS, load_config, settings_markdown
from kgpub.errors import ConfigError
from tests.conftest import REPO


def test_readme_documents_every_setting_as_generated() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:begin -->\n(.*?)\n<!-- settings:end -->", readme, re.S)
    assert block, "README lacks the settings block"
    assert block.group(1) == settings_markdown(), "run: python scripts/update_readme_settings.py"
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme and setting.env_var in readme


def test_every_setting_has_help_and_a_default_of_its_type() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for s in SETTINGS:
        assert s.help.strip().endswith(".") and len(s.help) > 15, s.name
        assert isinstance(s.default, s.type), s.name


def test_precedence_default_file_env_override(tmp_path) -> None:
    cfg_file = tmp_path / "kgpub.toml"
    cfg_file.write_text('port = 9000\nquery_timeout = 3\ntitle = "From file"\n')
    env = {"KGPUB_PORT": "9100"}
    cfg = load_config(cfg_file, environ=env, overrides={"title": "From override"})
    assert cfg.port == 9100 and cfg.origin("port") == "KGPUB_PORT"
    assert cfg.query_timeout == 3.0 and cfg.origin("query_timeout") == str(cfg_file)
    assert cfg.title == "From override"
    assert cfg.workers == 2 and cfg.origin("workers") == "default"


def test_bad_values_name_the_setting_and_origin(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"KGPUB_PORT: setting 'port' must be int"):
        load_config(None, environ={"KGPUB_PORT": "eighty"})
    bad = tmp_path / "k.toml"
    bad.write_text("prot = 1\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'prot'"):
        load_config(bad, environ={})
    bad.write_text("port = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad, environ={})
