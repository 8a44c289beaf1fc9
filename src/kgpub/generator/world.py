"""The synthetic world: persons and works, drawn as a stream.

A person is a pure function of (seed, index), so a byline can name anyone without a table of all
persons in memory; works come from one ``random.Random(seed)`` stream, one at a time. Authorship is
power-law in two ways, as in DBLP and SP2Bench: the number of authors per work is skewed towards two
or three, and a person's chance to be an author falls with the person's rank (Zipf, exponent ≈ 1), so a
few persons author many works and most author one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kgpub.generator import vocab as v

CAPTURED = dt.date(2026, 11, 21)  # the date every generated page is said to be copied on
SPAN_DAYS = 3652  # works are dated over the ten years before capture
ZIPF_OFFSET = 50
AUTHOR_COUNT_WEIGHTS = (14, 22, 21, 15, 10, 6, 4, 3, 2, 1.4, 0.9, 0.7)  # 1 … 12 authors
_MASK = (1 << 64) - 1
_WORDS = v.FILLER + v.ADJECTIVES + v.NOUNS


def mix(seed: int, index: int, salt: int = 0) -> int:
    """A 64-bit hash of (seed, index, salt) (splitmix64): cheap, stable across runs and platforms."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    name: str
    orcid: str | None
    affiliation: str | None

    @property
    def key(self) -> str:
        return f"p{self.index:07d}"


def _orcid(h: int) -> str:
    digits = f"{10**7 + (h >> 8) % (3 * 10**7):015d}"  # 0000-0001-… to 0000-0003-…, as ORCID issues
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    body = digits + ("X" if check == 10 else str(check))
    return "-".join(body[i : i + 4] for i in range(0, 16, 4))


@lru_cache(maxsize=1 << 16)  # popular persons recur in many bylines; bounded, so memory stays flat
def person(seed: int, index: int) -> Person:
    """The person with this rank: same seed and index, same name, always."""
    h = mix(seed, index, 1)
    given = v.GIVEN[h % len(v.GIVEN)]
    family = v.FAMILY[(h >> 8) % len(v.FAMILY)]
    style = (h >> 16) % 100
    if style < 8:
        family = v.APOSTROPHE_FAMILY[(h >> 24) % len(v.APOSTROPHE_FAMILY)]
    elif style < 18:
        family = f"{v.PARTICLES[(h >> 24) % len(v.PARTICLES)]} {family}"
    shape = (h >> 32) % 100
    if shape < 15:  # a middle initial: "Hsien-Hsin S. Lee"
        given = f"{given} {v.INITIALS[(h >> 40) % len(v.INITIALS)]}."
    elif shape < 22:  # an initial first: "G. Edward Suh"
        given = f"{v.INITIALS[(h >> 40) % len(v.INITIALS)]}. {given}"
    elif shape < 30:  # several given names: "Maria Luisa …"
        given = f"{given} {v.GIVEN[(h >> 44) % len(v.GIVEN)]}"
    orcid = _orcid(mix(seed, index, 2)) if (h >> 52) % 100 < 35 else None
    aff = None
    if (h >> 58) % 8 < 6:
        a = mix(seed, index, 3)
        aff = (
            f"{v.ORG_PREFIX[a % len(v.ORG_PREFIX)]} {v.ORG_FIELD[(a >> 8) % len(v.ORG_FIELD)]}, "
            f"{v.ORG_PLACE[(a >> 16) % len(v.ORG_PLACE)]}"
        )
    return Person(index, f"{given} {family}", orcid, aff)


@dataclass(slots=True)
class Work:
    index: int
    title: str
    abstract: str
    authors: list[int]  # person indices in byline order
    date: dt.date
    categories: tuple[str, ...]
    work_type: str  # "preprint", "article", "conference"
    venue: str  # "arXiv" for preprints
    arxiv_id: str | None
    doi: str | None
    comments: str | None

    @property
    def key(self) -> str:
        return f"w{self.index:07d}"


class World:
    """Draws works one at a time; everything after construction comes from ``self.rng``."""

    def __init__(self, works: int, seed: int = 0) -> None:
        self.works = works
        self.seed = seed
        self.rng = random.Random(seed)
        self.persons = max(8, int(works * 0.6))
        self._month_counter: dict[tuple[int, int], int] = {}
        self._start = CAPTURED - dt.timedelta(days=SPAN_DAYS)

    def iter_works(self) -> Iterator[Work]:
        for index in range(self.works):
            yield self.work(index)

    def author(self) -> int:
        """A person index, Zipf-distributed: rank k is drawn with probability ∝ 1/(k + 50); the offset
        keeps the busiest person near DBLP's share (well under 1% of all authorships)."""
        c = ZIPF_OFFSET
        rank = int(c * ((self.persons + c) / c) ** self.rng.random()) - c
        return min(self.persons - 1, rank)

    def work(self, index: int) -> Work:
        r = self.rng
        n = r.choices(range(1, 13), AUTHOR_COUNT_WEIGHTS)[0]
        authors: list[int] = []
        while len(authors) < n:
            a = self.author()
            if a not in authors:
                authors.append(a)
            elif len(authors) >= self.persons:
                break
        date = self._start + dt.timedelta(days=r.randrange(SPAN_DAYS + 1))
        cats = tuple(dict.fromkeys(r.choices(v.CATEGORIES, v.CATEGORY_WEIGHTS, k=r.choice((1, 1, 2, 3)))))
        kind = r.random()
        if kind < 0.7:
            work_type, venue = "preprint", "arXiv"
        elif kind < 0.85:
            work_type, venue = "conference", r.choice(v.VENUES_CONF)
        else:
            work_type, venue = "article", r.choice(v.VENUES_JOURNAL)
        arxiv_id = self._arxiv_id(date) if r.random() < 0.88 else None
        doi = None
        if work_type != "preprint" or r.random() < 0.25:
            doi = f"10.{r.randrange(1000, 99999)}/kgb.{date.year}.{index:07d}"
        return Work(
            index,
            self._title(),
            self._abstract(),
            authors,
            date,
            cats,
            work_type,
            venue,
            arxiv_id,
            doi,
            self._comments(date, venue),
        )

    def _arxiv_id(self, date: dt.date) -> str:
        month = (date.year % 100, date.month)
        n = self._month_counter.get(month, 0)
        self._month_counter[month] = n + 1
        number = (mix(self.seed, date.year * 12 + date.month, 4) % 100000 + n * 7919) % 100000
        return f"{month[0]:02d}{month[1]:02d}.{number:05d}"

    def _system(self) -> str:
        r = self.rng
        return r.choice(v.SYSTEM_STEMS) + r.choice(v.SYSTEM_TAILS)

    def _title(self) -> str:
        r = self.rng
        a1, a2 = (w.title() for w in r.sample(v.ADJECTIVES, 2))
        n1, n2, n3 = (w.title() for w in r.sample(v.NOUNS, 3))
        pattern = r.randrange(10)
        if pattern == 0:
            return f"{self._system()}: {a1} {n1} for {a2} {n2}"
        if pattern == 1:
            return f"Towards {a1} {n1} {n2} via {n3} {r.choice(v.ACRONYMS)}"
        if pattern == 2:
            return f"Is {a1} {n1} Enough for {n2}?"
        if pattern == 3:
            return f"{n1}, {n2} and {n3}: {a1} {n1} ({r.choice(v.ACRONYMS)})"
        if pattern == 4:
            return f"{self._system()} {r.randrange(2, 5)}: {a1} {n1} at Scale"
        if pattern == 5:
            return f"{a1} {n1} under {r.choice(v.LATEX)} Constraints"
        if pattern == 6:
            return f"Characterizing {a1} {n1} {n2} in {self._system()}"
        if pattern == 7:
            return f"{a1} {n1} Learning with {n2} {n3}"
        return f"{a1} {n1} for {a2} {n2} {n3}"

    def _abstract(self) -> str:
        r = self.rng
        sentences = []
        for _ in range(r.randrange(3, 8)):
            words = [
                r.choice(("This work", "Our method", "The proposed approach", "Prior work")),
                r.choice(v.VERBS),
                *r.choices(_WORDS, k=r.randrange(8, 22)),
            ]
            if r.random() < 0.3:
                words.append(f"by {r.randrange(2, 60)}.{r.randrange(10)}x")
            sentences.append(" ".join(words) + ".")
        return " ".join(sentences)

    def _comments(self, date: dt.date, venue: str) -> str | None:
        r = self.rng
        c = r.random()
        if c < 0.6:
            return None
        if c < 0.75:
            return f"{r.randrange(4, 40)} pages, {r.randrange(1, 12)} figures"
        if c < 0.85 and venue != "arXiv":
            return f"{r.randrange(4, 14)} pages, {venue} {date.year}"
        if c < 0.92 and venue in v.VENUE_LONG:
            return f"In {v.VENUE_LONG[venue]} ({venue}) {date.year}"
        return f"submitted to {r.choice(v.VENUES_CONF)} {date.year + 1}"
