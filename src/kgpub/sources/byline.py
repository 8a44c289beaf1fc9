"""Separate a feed's glued ``Title + byline`` line into the title and the printed names.

The feed prints ``TitleFirst Author, Second Author et al.`` with no separator between title and
byline. The rule that makes this tractable: the first name starts *inside* a whitespace-delimited
token (the title's last character touches it), at a capital letter, and from there to the end the
text must read as a comma-separated list of names. Names are built from capitalised words
(hyphens, apostrophes, ``Mc``/``Mac``, any cased script), initials (``G.``, ``J.-P.``) and lower-case
particles (``van``, ``de``, ...). When more than one cut satisfies the rule, the split is reported
as ambiguous (:attr:`Byline.alternatives`) and the primary reading is the one whose title does not
end in a cut-off fragment, preferring the longer first name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgpub.records import Byline, BylineSplit

_SCAN_LIMIT = 0x2000  # Latin, Greek, Cyrillic, Armenian, Georgian and their extensions


def _char_class(predicate: object) -> str:
    chars = [chr(i) for i in range(_SCAN_LIMIT) if predicate(chr(i))]  # type: ignore[operator]
    return "".join(re.escape(c) for c in chars)


def _is_mark(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) == "Mn"


UPPER = _char_class(lambda c: c.isupper() or c.istitle())
LOWER = _char_class(lambda c: c.islower() or _is_mark(c))
APOSTROPHES = "'’"
PARTICLES = (
    "van", "von", "vom", "zu", "zur", "de", "der", "den", "del", "della", "dei", "degli", "dal", "dalla",
    "des", "di", "da", "du", "dos", "das", "do", "le", "la", "lo", "ten", "ter", "te", "op", "bin", "binti",
    "ibn", "ben", "bat", "al", "el", "wa", "y", "e", "af", "av",
)  # fmt: skip
SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV")

NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von")  # McDonald, DeAndre, LeCun
_PREFIX = "(?:" + "|".join(NAME_PREFIXES) + ")"
_WORD = (
    rf"(?:[{UPPER}dl][{APOSTROPHES}])?{_PREFIX}?[{UPPER}][{LOWER}]+(?:[-{APOSTROPHES}][{UPPER}]?[{LOWER}]+)*"
)
_INITIAL = rf"[{UPPER}][{LOWER}]?\.(?:-?[{UPPER}]\.)*"
_PARTICLE = "(?:" + "|".join(PARTICLES) + ")"
_SUFFIX = "(?:" + "|".join(re.escape(s) for s in SUFFIXES) + ")"
NAME = re.compile(rf"(?:{_WORD}|{_INITIAL})(?: (?:{_WORD}|{_INITIAL}|{_PARTICLE}))* {_WORD}(?: {_SUFFIX})?")
_GLUE = re.compile(rf"(?<=\S)[{UPPER}]")
_ET_AL = re.compile(r",?\s*\bet\.? al(?:\.|ii)?\s*$")
_CUT_FRAGMENT = re.compile(rf"[{LOWER}][{UPPER}][{LOWER}]*$|{_PREFIX}$|\.$")
_BROKEN_END = re.compile(rf"[-{APOSTROPHES}]$")  # no title ends inside a hyphenated or elided word
ORG_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class TitleByline:
    """A glued line read back: the title, the byline and an organisation tag (``· org``) if any."""

    title: str
    byline: Byline
    organisation: str | None = None


def is_name(text: str) -> bool:
    return NAME.fullmatch(text) is not None


def _candidates(parts: list[str]) -> list[BylineSplit]:
    found: list[BylineSplit] = []
    j = len(parts) - 1
    while j >= 0:
        part = parts[j]
        for m in _GLUE.finditer(part):
            p = m.start()
            if NAME.fullmatch(part, p):
                title = ", ".join([*parts[:j], part[:p]]).strip()
                if title and not _BROKEN_END.search(title):
                    found.append(BylineSplit(title, (part[p:], *parts[j + 1 :])))
        if not NAME.fullmatch(part):
            break  # parts before this one would need it to be a whole name
        j -= 1
    return found


def _preference(split: BylineSplit) -> tuple[bool, int]:
    """Lower is better: no cut-off fragment at the title's end, then the shorter title."""
    return (_CUT_FRAGMENT.search(split.title) is not None, len(split.title))


def split_title_byline(line: str) -> TitleByline | None:
    """Read ``TitleA. Author, B. Author et al. · org``; None when no cut yields a title and names."""
    text = line.strip()
    organisation = None
    if ORG_SEPARATOR in text:
        text, _, org = text.rpartition(ORG_SEPARATOR)
        organisation = org.strip() or None
        text = text.rstrip()
    truncated = False
    m = _ET_AL.search(text)
    if m:
        truncated = True
        text = text[: m.start()].rstrip()
    found = _candidates(text.split(", "))
    if not found:
        return None
    found.sort(key=_preference)
    best = found[0]
    return TitleByline(best.title, Byline(best.names, truncated, tuple(found[1:])), organisation)
