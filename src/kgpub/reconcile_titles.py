"""Merge candidates from similar titles: weak evidence, proposed to a curator, never merged.

Titles are compared only inside blocks that share their first or last two significant words, so
the cost stays near-linear on large builds; a block too large to compare is skipped and counted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

from kgpub.names import fold

THRESHOLD = 0.85
MAX_BLOCK = 200
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"a", "an", "the", "of", "on", "for", "in", "and", "to", "with", "via", "towards", "toward"})


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    """Two works that may be one: left/right are survivor keys (left < right)."""

    left: str
    right: str
    similarity: float  # 0..1, difflib ratio over normalised titles
    left_title: str
    right_title: str


class _HasTitles(Protocol):
    @property
    def key(self) -> str: ...

    def titles(self) -> list[str]: ...


def normalise_title(title: str) -> str:
    return " ".join(_WORD.findall(fold(title)))


def title_candidates(works: Sequence[_HasTitles]) -> list[MergeCandidate]:
    blocks: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for w in works:
        for title in w.titles():
            norm = normalise_title(title)
            words = [t for t in norm.split() if t not in _STOP]
            if not words:
                continue
            item = (w.key, norm, title)
            blocks["<" + " ".join(words[:2])].append(item)
            blocks[">" + " ".join(words[-2:])].append(item)
    best: dict[tuple[str, str], MergeCandidate] = {}
    for items in blocks.values():
        if len(items) < 2 or len(items) > MAX_BLOCK:
            continue
        for i, (ka, na, ta) in enumerate(items):
            for kb, nb, tb in items[i + 1 :]:
                if ka == kb:
                    continue
                ratio = 1.0 if na == nb else SequenceMatcher(None, na, nb, autojunk=False).ratio()
                if ratio < THRESHOLD:
                    continue
                (l_key, l_title), (r_key, r_title) = sorted(((ka, ta), (kb, tb)))
                pair = (l_key, r_key)
                if pair not in best or best[pair].similarity < ratio:
                    best[pair] = MergeCandidate(l_key, r_key, round(ratio, 4), l_title, r_title)
    return [best[p] for p in sorted(best)]
