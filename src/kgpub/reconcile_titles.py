"""Merge candidates from similar titles: weak evidence, never merged, listed for a curator.

Titles are compared only inside blocks of titles sharing one of their three rarest significant
words (rarest across the whole build): similar titles share their rare words, while common words
would make blocks as large as the build. A block larger than MAX_BLOCK is a common word and is
skipped, so the cost stays near-linear; titles whose three rarest words are all that common are
not compared at all, and the build says how many (a note), rather than leaving a curator to
believe the candidate list is complete. (An exact trigram similarity join with prefix filtering
found 11% more pairs at 10,000 generated works but took 28x as long; splitting large blocks by
word pairs found 98.7% of them at 2.5x the time at 10,000 works, but 279,000 pairs at 100,000:
the generator's titles come from a small grammar, so at that size most are near-duplicates.)
Similarity is the Dice coefficient of the character trigrams of the normalised titles (set
operations in C, unlike a sequence alignment): one typo in a 50-letter title still scores about 0.9.
Trigram sets live only while their block is compared, so memory follows the largest block, not
the number of titles.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kgpub.names import fold

THRESHOLD = 0.8
MAX_BLOCK = 200
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"a", "an", "the", "of", "on", "for", "in", "and", "to", "with", "via", "towards", "toward"})


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    """Two works that may be one: left/right are survivor keys (left < right)."""

    left: str
    right: str
    similarity: float  # 0..1, Dice coefficient of character trigrams of the normalised titles
    left_title: str
    right_title: str


def normalise_title(title: str) -> str:
    return " ".join(_WORD.findall(fold(title)))


def trigrams(norm: str) -> frozenset[str]:
    padded = f"  {norm} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of character trigrams of the normalised titles, 0..1."""
    na, nb = normalise_title(a), normalise_title(b)
    if na == nb:
        return 1.0
    ta, tb = trigrams(na), trigrams(nb)
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def title_candidates(
    titled_works: Iterable[tuple[str, Iterable[str]]], notes: list[str] | None = None
) -> list[MergeCandidate]:
    """Pairs of works with similar titles, from (work key, its titles); ``notes`` gets a line when
    some titles could not be compared (see above)."""
    titled: list[tuple[str, str, str, frozenset[str]]] = []
    df: Counter[str] = Counter()
    for key, titles in titled_works:
        for title in titles:
            norm = normalise_title(title)
            words = frozenset(norm.split()) - _STOP
            titled.append((key, norm, title, words))
            df.update(words)
    blocks: dict[str, list[int]] = defaultdict(list)
    rarest: list[list[str]] = []
    for i, item in enumerate(titled):
        rarest.append(sorted(item[3], key=lambda t: (df[t], t))[:3])
        for word in rarest[-1]:
            blocks[word].append(i)
    best: dict[tuple[str, str], MergeCandidate] = {}
    compared: set[int] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        compared.update(members)
        items = [titled[i] for i in members]
        grams = [trigrams(norm) for _, norm, _, _ in items]
        for i, (ka, _, ta, _) in enumerate(items):
            ga = grams[i]
            for j in range(i + 1, len(items)):
                kb, _, tb, _ = items[j]
                if ka == kb:
                    continue
                gb = grams[j]
                score = 2 * len(ga & gb) / (len(ga) + len(gb))
                if score < THRESHOLD:
                    continue
                (l_key, l_title), (r_key, r_title) = sorted(((ka, ta), (kb, tb)))
                pair = (l_key, r_key)
                if pair not in best or best[pair].similarity < score:
                    best[pair] = MergeCandidate(l_key, r_key, round(score, 4), l_title, r_title)
    crowded = sum(
        1
        for i, words in enumerate(rarest)
        if i not in compared and any(len(blocks[w]) > MAX_BLOCK for w in words)
    )
    if crowded and notes is not None:
        notes.append(
            f"merge candidates: {crowded} of {len(titled)} titles were not compared with any other: each of "
            f"their three rarest words is in no other title or in more than MAX_BLOCK = {MAX_BLOCK} (the "
            "list of candidates may miss their near-duplicates)"
        )
    return [best[p] for p in sorted(best)]
