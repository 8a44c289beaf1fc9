"""Researcher profile pages: the owner, what the page claimed about them, and their listed works.

The page glues labels to values (``6works``, ``Trust 21 - EmergingVerification L1Unclaimed author``,
``ResearcherAffiliation not importedOpen to collaborate``). They are split by rules that hold for any
number, band, level or label, not by matching the seed's values. Counts are the page's claims at
capture time and go on the :class:`~kgpub.records.ProfileSnapshot`, never on the person.
"""

from __future__ import annotations

import re

from kgpub.records import ParseResult, PartialDate, PersonRecord, ProfileSnapshot, SourceDoc, WorkRecord
from kgpub.sources.context import ParseContext, split_lines

PAGE_TITLE = "Researcher profile"
WORKS_HEADING = "Published work"
_TRUST = re.compile(
    r"^Trust\s*(?P<score>\d+)?\s*(?:[-–—]\s*)?(?P<band>.*?)\s*"
    r"(?:Verification\s*(?P<level>[A-Z]{0,2}\d+|[A-Z][a-z]+)\s*(?P<claim>.*?))?\s*$"
)
_TRUST_SCORE = re.compile(r"^Trust\s*\d+")
_COUNT = re.compile(r"^(?P<n>\d+)\s*(?P<label>[A-Za-z][A-Za-z ]*[a-z])$")
_FOLLOW = re.compile(r"^Follow(?: researcher)?\s*(?P<n>\d+)$")
_ITEMS = re.compile(r"^(?P<n>\d+) published items?(?:\(s\))?$")
_WORK_HEAD = re.compile(r"^(?P<type>[a-z][a-z -]*?)\s*(?P<year>(?:1[89]|20)\d{2})\s*(?P<venue>.*)$")
_GLUE_POINT = re.compile(r"(?<=[a-z0-9)])(?=[A-Z])")  # a label glued to the previous value
_AFFILIATION = re.compile(r"^(?:Affiliat|Unaffiliated|No affiliation|Independent)")
_COLLABORATION = re.compile(
    r"collaborat|^(?:Open|Not open|Closed|Available|Unavailable|Not available)\b", re.I
)
MAX_STATUS_CHARS = 160
_WORK_HINT = "each work is: a type+year+venue line, the title, the abstract (blank lines between)"
COUNT_KEYS = {
    "work": "works",
    "follower": "followers",
    "topic": "topics",
    "close collaborator": "close_collaborators",
}


def _count_key(label: str) -> str:
    label = label.strip().lower()
    singular = label[:-1] if label.endswith("s") else label
    return COUNT_KEYS.get(singular, label.replace(" ", "_"))


def read_status(line: str) -> tuple[str | None, str | None, str | None] | None:
    """Split ``ResearcherAffiliation not importedOpen to collaborate`` into role, affiliation status and
    collaboration status. The line is cut where a capital touches a lower-case letter or digit; the
    affiliation starts at the piece beginning "Affiliat..." (or "Unaffiliated", ...), the collaboration
    status at the last piece that speaks of collaborating; pieces between are glued back, so a role like
    "PhD Student" or an institution like "DeepMind" survives the cut. None if the line is not one."""
    if len(line) > MAX_STATUS_CHARS or not re.search(r"affiliat|collaborat", line, re.I):
        return None
    if line.endswith(".") or ", " in line:
        return None  # a sentence of page chrome, not glued fields
    pieces = _GLUE_POINT.split(line)
    if len(pieces) == 1 and not (_AFFILIATION.match(line) or _COLLABORATION.match(line)):
        return None
    aff_at = next((i for i, p in enumerate(pieces) if _AFFILIATION.match(p)), None)
    collab_at = next((i for i in range(len(pieces) - 1, -1, -1) if _COLLABORATION.search(pieces[i])), None)
    if collab_at is not None and aff_at is not None and collab_at <= aff_at:
        collab_at = None  # "Affiliation ... collaborators" is one piece: no separate collaboration status
    role_end = min(i for i in (aff_at, collab_at, len(pieces)) if i is not None)
    aff_end = collab_at if collab_at is not None else len(pieces)
    role = "".join(pieces[:role_end]) or None
    affiliation = "".join(pieces[aff_at:aff_end]) if aff_at is not None else None
    collaboration = "".join(pieces[collab_at:]) if collab_at is not None else None
    return role, affiliation, collaboration


class _ProfileParser:
    def __init__(self, doc: SourceDoc, text: str) -> None:
        self.ctx = ParseContext(doc)
        self.lines = [line.strip() for line in split_lines(text)]

    def run(self) -> ParseResult:
        ctx, lines = self.ctx, self.lines
        heading = next((i for i, line in enumerate(lines) if line == WORKS_HEADING), len(lines))
        markers = (
            lines[:1] == [PAGE_TITLE],
            heading < len(lines),
            any(_TRUST_SCORE.match(ln) for ln in lines[:heading]),
        )
        if any(lines) and not any(markers):
            return ctx.not_this_kind(
                "\n".join(lines),
                f"it has no {PAGE_TITLE!r} title, no {WORKS_HEADING!r} section and no trust line",
            )
        start = 0
        if lines and lines[0] == PAGE_TITLE:
            start = 1
        else:
            ctx.warning(
                "profile.title.missing",
                f"first line is not {PAGE_TITLE!r}",
                1,
                "page",
                hint="is this file really a researcher profile page?",
            )
        name_at = next((i for i in range(start, heading) if lines[i]), None)
        name = lines[name_at] if name_at is not None else ""
        if name_at is None:
            ctx.error(
                "profile.name.missing",
                "no person name before the works section",
                min(start + 1, max(len(lines), 1)),  # a file of just the page title has no line 2
                "name",
                hint="the profile owner's name is the first line after 'Researcher profile'",
            )
        person = PersonRecord("profile/person", ctx.prov((name_at or 0) + 1), name)
        snap = ProfileSnapshot(
            "profile/snapshot", ctx.prov((name_at or 0) + 1), person.local_id, captured=ctx.doc.captured
        )
        used: list[int] = []
        for i in range(start, heading):
            if i == name_at or not lines[i]:
                continue
            if name and lines[i].startswith(name + " ") and person.description is None:
                person.description = lines[i]
                person.prov = ctx.prov(name_at + 1 if name_at is not None else i + 1, i + 1)
            elif self._fields(i, snap):
                used.append(i)
        if used:
            snap.prov = ctx.prov(min(used) + 1, max(used) + 1)
        self._check_fields(snap, heading)
        ctx.result.persons.append(person)
        ctx.result.profiles.append(snap)
        self._works(heading, name, snap)
        return ctx.result

    def _fields(self, i: int, snap: ProfileSnapshot) -> bool:
        """Read one glued field line into the snapshot; False if the line is page chrome."""
        line = self.lines[i]
        if line.startswith("Trust") and (m := _TRUST.match(line)) and m.group("score"):
            snap.trust_score = int(m.group("score"))
            snap.trust_band = m.group("band") or None
            snap.verification_level = m.group("level")
            snap.claim_status = m.group("claim") or None
            return True
        if m := _FOLLOW.match(line):
            snap.counts["following"] = int(m.group("n"))
            return True
        if m := _COUNT.match(line):
            snap.counts[_count_key(m.group("label"))] = int(m.group("n"))
            return True
        if snap.role is None and (status := read_status(line)) is not None:
            snap.role, snap.affiliation_status, snap.collaboration_status = status
            return True
        return False

    def _check_fields(self, snap: ProfileSnapshot, heading: int) -> None:
        missing = [f for f, v in (("role", snap.role), ("trust_score", snap.trust_score)) if v is None]
        for field in missing:
            self.ctx.warning(
                "profile.field.missing",
                f"the profile shows no {field.replace('_', ' ')}",
                heading + 1 if heading < len(self.lines) else None,
                field,
                hint="expected e.g. 'ResearcherAffiliation not importedOpen to collaborate' and "
                "'Trust 21 - EmergingVerification L1Unclaimed author' before 'Published work'",
            )

    def _works(self, heading: int, owner: str, snap: ProfileSnapshot) -> None:
        ctx, lines = self.ctx, self.lines
        if heading >= len(lines):
            ctx.warning(
                "profile.works.missing",
                f"no {WORKS_HEADING!r} section",
                None,
                "works",
                hint="a profile lists its works after a 'Published work' line",
            )
            return
        rows = [i for i in range(heading + 1, len(lines)) if lines[i]]
        announced: int | None = None
        if rows and (m := _ITEMS.match(lines[rows[0]])):
            announced = int(m.group("n"))
            rows = rows[1:]
        k = r = 0
        while r < len(rows):
            first = rows[r]
            head = _WORK_HEAD.match(lines[first])
            r += 1
            if head is None:
                ctx.warning(
                    "profile.work.unexpected",
                    f"expected a work header like 'preprint2022arXiv', found {lines[first][:60]!r}",
                    first + 1,
                    "work_type",
                    hint=_WORK_HINT,
                )
                continue
            k += 1
            body: list[int] = []
            while r < len(rows) and _WORK_HEAD.match(lines[rows[r]]) is None:
                body.append(rows[r])
                r += 1
            end = body[-1] if body else first
            work = WorkRecord(
                f"profile/work/{k}",
                ctx.prov(first + 1, end + 1),
                title=lines[body[0]] if body else None,
                abstract=" ".join(lines[i] for i in body[1:]) or None,
                work_type=head.group("type").strip(),
                date=PartialDate(int(head.group("year"))),
                date_role="published",
                venue=head.group("venue").strip() or None,
                extra_authors=(owner,) if owner else (),
            )
            if len(body) < 2:
                field = "title" if not body else "abstract"
                work.flags = ("incomplete",)
                ctx.error(
                    "profile.work.truncated", f"work {k} has no {field}", end + 1, field, hint=_WORK_HINT
                )
            ctx.result.works.append(work)
        snap.works = tuple(w.local_id for w in ctx.result.works)
        if announced is not None and announced != k:
            ctx.warning(
                "profile.works.count",
                f"page announces {announced} published item(s) but lists {k}",
                heading + 2,
                "works",
                hint="the file may be truncated; works found are kept",
            )


def parse(doc: SourceDoc, text: str) -> ParseResult:
    """Parse a profile page into its owner, a snapshot of its claims and its listed works."""
    return _ProfileParser(doc, text).run()
