"""Person-name normalisation and compatibility, for deciding when two bylines name one person.

Two printed names are *the same* when they normalise to the same key: case, diacritics, hyphens,
dots after initials and the "Last, First" order make no difference. Two names are *compatible*
when they share a family name and their given names agree wherever both say something (an initial
agrees with any given name starting with that letter; a missing middle name agrees with anything):
"G. Suh", "G. Edward Suh" and "Gang Suh" are compatible but not the same, so they may be one person
or several — reconciliation reports them rather than merging them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "di",
        "du",
        "dos",
        "das",
        "le",
        "la",
        "ter",
        "ten",
    }
    | {"bin", "al"}
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe"}
    | {"đ": "d", "Đ": "d", "ı": "i"}
)
_SEPARATORS = re.compile(r"[\s\-‐‑–.·]+")
_KEEP = re.compile(r"[^a-z0-9 ]")
NOT_NAMES = frozenset({"et al", "others", "and others"})  # compared without a final "."


@dataclass(frozen=True, slots=True)
class NameParts:
    given: tuple[str, ...]  # lower-case ascii tokens; an initial is one letter
    family: str  # lower-case ascii, particles joined with spaces

    @property
    def key(self) -> str:
        return " ".join((*self.given, self.family)).strip()


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1 << 18)
def is_not_a_name(printed: str) -> bool:
    text = fold(printed).strip()
    return not text or text.rstrip(".").strip() in NOT_NAMES


@lru_cache(maxsize=1 << 18)
def parse_name(printed: str) -> NameParts:
    """Split a printed name into given-name tokens and a family name."""
    text = fold(printed).strip()
    if "," in text:  # "Last, First" (a trailing ", Jr." is a suffix, not an inversion)
        head, _, tail = text.partition(",")
        inverted = tail.strip() and _KEEP.sub("", tail).strip() not in _SUFFIXES
        text = f"{tail} {head}" if inverted else head
    # "H.-H." → "h h"; "Hsien-Hsin" → "hsien hsin"; "G.Edward" → "g edward"
    tokens = _KEEP.sub("", _SEPARATORS.sub(" ", text)).split()
    tokens = [t for t in tokens if t not in _SUFFIXES] or tokens
    if not tokens:
        return NameParts((), "")
    family = [tokens.pop()]
    while tokens and tokens[-1] in _PARTICLES:
        family.insert(0, tokens.pop())
    return NameParts(tuple(tokens), " ".join(family))


@lru_cache(maxsize=1 << 18)
def name_key(printed: str) -> str:
    return parse_name(printed).key


def _given_agree(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def compatible(a: NameParts, b: NameParts) -> bool:
    """Could these be the same person? Same family name; given names agree in order wherever both
    sides have one (the shorter list may skip middle names of the longer one)."""
    if a.family != b.family or not a.family:
        return False
    short, long_ = (a.given, b.given) if len(a.given) <= len(b.given) else (b.given, a.given)
    if not short:
        return True
    if not _given_agree(short[0], long_[0]):  # the first given name must agree
        return False
    i = 1
    for tok in short[1:]:
        while i < len(long_) and not _given_agree(tok, long_[i]):
            i += 1
        if i == len(long_):
            return False
        i += 1
    return True
