"""The one place that finds kgpub's data folders: ontology/, mappings/, shapes/, sparql/.

In a source checkout (editable install) they are the top-level folders of the repository; in an
installed wheel they are packaged under ``kgpub/_data/``. Nothing else in kgpub builds a path to
these folders, and nothing depends on the working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

DataFolder = Literal["ontology", "mappings", "shapes", "sparql"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder holding ontology/, mappings/, shapes/ and sparql/."""
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "ontology").is_dir():
        return checkout
    return _PACKAGE_DIR / "_data"


def data_dir(name: DataFolder) -> Path:
    return data_root() / name


def data_file(name: DataFolder, filename: str) -> Path:
    """A file inside one of the data folders; raises FileNotFoundError naming the full path."""
    path = data_dir(name) / filename
    if not path.is_file():
        raise FileNotFoundError(f"kgpub data file missing: {path}")
    return path
