"""Regenerate the settings table between the README's settings markers."""

import re
from pathlib import Path

from kgpub.config import settings_markdown

readme = Path(__file__).resolve().parents[1] / "README.md"
text = readme.read_text(encoding="utf-8")
block = f"<!-- settings:begin -->\n{settings_markdown()}\n<!-- settings:end -->"
readme.write_text(re.sub(r"<!-- settings:begin -->.*?<!-- settings:end -->", lambda _: block, text, flags=re.S))
