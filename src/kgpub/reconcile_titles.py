"""Merge candidates from similar titles: weak evidence, proposed to a curator, never merged.

Titles are compared only inside blocks of titles sharing one of their three rarest significant
words (rarest across the whole build): similar titles share their rare words, while common words
would make blocks as large as the build. A block larger than MAX_BLOCK is a common word and is
skipped, so the cost stays near-linear.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
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


def _may_be_similar(a: str, b: str, words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    """Cheap necessary conditions before the quadratic sequence match: comparable lengths (the
    ratio is at most 2·min/(la+lb)) and a fair share of words in common."""
    la, lb = len(a), len(b)
    if 2 * min(la, lb) < THRESHOLD * (la + lb):
        return False
    common = len(words_a & words_b)
    return common * 2 >= min(len(words_a), len(words_b))


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
        return 0.0
    return matcher.ratio()


def title_candidates(works: Sequence[_HasTitles]) -> list[MergeCandidate]:
    titled: list[tuple[str, str, str, frozenset[str]]] = []
    df: Counter[str] = Counter()
    for w in works:
        for title in w.titles():
            norm = normalise_title(title)
            words = frozenset(norm.split())
            titled.append((w.key, norm, title, words))
            df.update(words - _STOP)
    blocks: dict[str, list[tuple[str, str, str, frozenset[str]]]] = defaultdict(list)
    for item in titled:
        for word in sorted(item[3] - _STOP, key=lambda t: (df[t], t))[:3]:
            blocks[word].append(item)
    best: dict[tuple[str, str], MergeCandidate] = {}
    for items in blocks.values():
        if len(items) < 2 or len(items) > MAX_BLOCK:
            continue
        for i, (ka, na, ta, sa) in enumerate(items):
            for kb, nb, tb, sb in items[i + 1 :]:
                if ka == kb or not _may_be_similar(na, nb, sa, sb):
                    continue
                ratio = 1.0 if na == nb else _ratio(na, nb)
                if ratio < THRESHOLD:
                    continue
                (l_key, l_title), (r_key, r_title) = sorted(((ka, ta), (kb, tb)))
                pair = (l_key, r_key)
                if pair not in best or best[pair].similarity < ratio:
                    best[pair] = MergeCandidate(l_key, r_key, round(ratio, 4), l_title, r_title)
    return [best[p] for p in sorted(best)]
