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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kgpub.records import Byline, BylineSplit

_SCAN_LIMIT = 0x2000  # Latin, Greek, Cyrillic, Armenian, Georgian and their extensions


def _char_class(predicate: Callable[[str], bool]) -> str:
    """A regex class body of the code points below _SCAN_LIMIT that satisfy ``predicate``, written
    as ranges: the regex engine turns contiguous ranges into a fast lookup table."""
    out: list[str] = []
    i = 0
    while i < _SCAN_LIMIT:
        if predicate(chr(i)):
            j = i
            while j + 1 < _SCAN_LIMIT and predicate(chr(j + 1)):
                j += 1
            out.append(re.escape(chr(i)) if i == j else f"{re.escape(chr(i))}-{re.escape(chr(j))}")
            i = j + 1
        else:
            i += 1
    return "".join(out)


def _is_mark(ch: str) -> bool:
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
_GLUE = re.compile(rf"\S(?=[{UPPER}])")  # the character before a glue point; the name starts at .end()
_ET_AL = re.compile(r",?\s*\bet\.? al(?:\.|ii)?$")
_ET_AL_ENDINGS = ("et al.", "et al", "et. al.", "et alii")
_CUT_FRAGMENT = re.compile(rf"[{LOWER}][{UPPER}][{LOWER}]*$|{_PREFIX}$|\.$")
_BROKEN_END = re.compile(rf"[-{APOSTROPHES}]$")  # no title ends inside a hyphenated or elided word
ORG_SEPARATOR = " · "
MAX_ORG_CHARS = 80
_SHORT_PART = 60  # shorter parts are scanned whole
MAX_NAME_TOKENS = 8  # given names, initials, particles, surname, suffix of one printed name


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
        # the first name starts within its last MAX_NAME_TOKENS tokens: skip the rest of a long title
        start = 0
        for _ in range(MAX_NAME_TOKENS if len(part) > _SHORT_PART else 0):
            start = part.rfind(" ", 0, start - 1 if start else len(part))
            if start < 0:
                start = 0
                break
        for m in _GLUE.finditer(part, start):
            p = m.end()
            if NAME.fullmatch(part, p):
                title = ", ".join([*parts[:j], part[:p]]).strip()
                if title and not _BROKEN_END.search(title, len(title) - 1):
                    found.append(BylineSplit(title, (part[p:], *parts[j + 1 :])))
        if not NAME.fullmatch(part):
            break  # parts before this one would need it to be a whole name
        j -= 1
    return found


def _preference(split: BylineSplit) -> tuple[bool, int]:
    """Lower is better: no cut-off fragment at the title's end, then the shorter title."""
    return (_CUT_FRAGMENT.search(split.title) is not None, len(split.title))


def _read(text: str, organisation: str | None) -> TitleByline | None:
    truncated = False
    if text.endswith(_ET_AL_ENDINGS):  # cheap test first: a regex search over a long line is not
        m = _ET_AL.search(text, max(0, len(text) - 16))
        if m:
            truncated = True
            text = text[: m.start()].rstrip()
    found = _candidates(text.split(", "))
    if not found:
        return None
    if len(found) > 1:
        found.sort(key=_preference)
    best = found[0]
    return TitleByline(best.title, Byline(best.names, truncated, tuple(found[1:])), organisation)


def split_title_byline(line: str) -> TitleByline | None:
    """Read ``TitleA. Author, B. Author et al. · org``; None when no cut yields a title and names.

    The organisation tag is the text after the last `` · ``; if the line does not read with that
    tag removed (a title that itself contains `` · ``), it is read again as a whole."""
    text = line.strip()
    if ORG_SEPARATOR in text:
        before, _, org = text.rpartition(ORG_SEPARATOR)
        if org.strip() and len(org) <= MAX_ORG_CHARS:
            split = _read(before.rstrip(), org.strip())
            if split is not None:
                return split
    return _read(text, None)
