"""Make the top-level ``bench`` package importable from the tests (it is not installed)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "seeds"
if str(REPO) not in sys.path:  # pytest puts it there (tests/ is a package); other runners may not
    sys.path.insert(0, str(REPO))
