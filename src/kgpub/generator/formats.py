"""Rendering of synthetic works into the three page formats and the records format.

Each function returns the lines of one block, built by the rules the seed files show (see
``shared/seeds/README.md``): a feed item is exactly three lines, a profile block and an arXiv listing
record are paragraphs separated by blank lines. A ``broken`` argument produces the defect named, so
that parsers are exercised on the same kinds of damage real copied pages have.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from kgpub.generator.world import Person, Work

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

FEED_BROKEN = ("feed.bad-date",)
PROFILE_BROKEN = ("profile.truncated-block",)
LISTING_BROKEN = ("listing.bad-arxiv-id", "listing.truncated-block")
RECORDS_BROKEN = ("records.bad-date", "records.bad-arxiv-id", "records.truncated-line")


def feed_date(date: dt.date, captured: dt.date) -> str:
    """ "May 30, 2022"; the year is left out when it is the year of capture ("Jun 1")."""
    text = f"{MONTHS[date.month - 1]} {date.day}"
    return text if date.year == captured.year else f"{text}, {date.year}"


def bare_code(category: str) -> str:
    """The subject class printed in a feed header: ``cs.LG`` → ``LG``."""
    return category.rsplit(".", 1)[-1]


def feed_item(
    work: Work,
    names: Sequence[str],
    truncated: bool,
    captured: dt.date,
    score: float | None,
    code: bool,
    org: str | None,
    broken: str | None = None,
) -> list[str]:
    date = "Feb 30, 2023" if broken == "feed.bad-date" else feed_date(work.date, captured)
    header = ("" if score is None else f"{score:.1f}") + bare_code(work.categories[0]) + date
    header += "Code" if code else ""
    byline = ", ".join(names[:3]) + (" et al." if truncated else "")
    line2 = work.title + byline + (f" · {org}" if org else "")
    return [header, line2, work.abstract]


def profile_page(
    subject: Person, blocks: Sequence[tuple[Work, str | None]], claims: dict[str, object]
) -> list[str]:
    """A researcher profile page with its chrome, glued fields and counts, then the work blocks."""
    name = subject.name
    lines = [
        "Researcher profile",
        "",
        name,
        "",
        f"{name} contributes to research discovery and scholarly infrastructure.",
        "",
        f"{claims['role']}{claims['affiliation_status']}{claims['collaboration_status']}",
        "",
        "Trust snapshot",
        "",
        "Quick read",
        "",
        f"Trust {claims['trust_score']} - {claims['trust_band']}Verification {claims['verification']}"
        f"{claims['claim_status']}",
        f"{claims['works']}works",
        f"{claims['followers']}followers",
        f"{claims['topics']}topics",
        f"{claims['collaborators']}close collaborators",
        "",
        "Actions",
        "",
        "Decide how to stay connected",
        "",
        f"Follow researcher{claims['following']}",
        "",
        "Identity and collaboration",
        "",
        "How to connect with this researcher",
        "",
        "Claiming links this public author record to a researcher profile and unlocks direct "
        "collaboration workflows.",
        "",
        "Log in to claim",
        "",
        "Direct collaboration",
        "",
        "Open a focused conversation when the fit is right",
        "",
        "Claim this author entity first to unlock direct invitations.",
        "",
        "Research graph",
        "",
        "See the researcher in context",
        "",
        "Open full explorer",
        "",
        "Inspect adjacent work, topics, institutions and collaborators without jumping out to a separate "
        "graph page.",
        "",
        "Building this graph slice",
        "",
        "The site is loading the nearby papers, people, topics and institutions for this page.",
        "",
        "Published work",
        "",
        f"{len(blocks)} published item(s)",
    ]
    for work, broken in blocks:
        lines += ["", f"{work.work_type}{work.date.year}{work.venue}", "", work.title]
        if broken != "profile.truncated-block":
            lines += ["", work.abstract]
    return lines


def listing_record(work: Work, version: int | None, broken: str | None = None) -> list[str]:
    """One arXiv author-listing record: abstract, optional comments, id line, created line."""
    assert work.arxiv_id is not None
    lines = [work.abstract, ""]
    if work.comments:
        lines += [work.comments, ""]
    ident = work.arxiv_id
    if broken == "listing.bad-arxiv-id":
        ident = ident[:2] + "x" + ident[3:] + "-"
    ident_line = f"arXiv:{ident}" + (f"v{version}" if version else "")
    if work.doi:
        ident_line += f" - doi: {work.doi}"
    lines.append(ident_line)
    if broken != "listing.truncated-block":
        lines.append(f"Created: {work.date.isoformat()}")
    return lines


def _json(obj: dict[str, object]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def work_record(work: Work, persons: Sequence[Person], partial: bool, broken: str | None = None) -> str:
    """One ``"type": "work"`` line of the records format (``mappings/records.schema.json``: absent
    fields are left out, never null). ``partial``: a second source that knows the identifiers and the
    abstract but not the title (what another system's metadata export looks like)."""
    obj: dict[str, object] = {"type": "work", "id": work.key}
    if not partial:
        obj["title"] = work.title
        obj["work_type"] = work.work_type
        obj["venue"] = work.venue
        obj["authors"] = [p.name for p in persons]
        obj["categories"] = list(work.categories)
    obj["abstract"] = work.abstract
    arxiv = work.arxiv_id
    if arxiv and broken == "records.bad-arxiv-id":
        arxiv = arxiv.replace(".", "/", 1) + "x"
    if arxiv:
        obj["arxiv_id"] = arxiv
    if work.doi:
        obj["doi"] = work.doi
    obj["date"] = "2023-02-30" if broken == "records.bad-date" else work.date.isoformat()
    obj["date_role"] = "published"
    line = _json(obj)
    if broken == "records.truncated-line":
        line = line[: len(line) // 2]
    return line


def person_record(p: Person) -> str:
    obj: dict[str, object] = {"type": "person", "id": p.key, "name": p.name}
    if p.orcid:
        obj["orcid"] = p.orcid
    if p.affiliation:
        obj["affiliations"] = [p.affiliation]
    return _json(obj)


def profile_record(
    key: str, p: Person, captured: dt.date, claims: dict[str, object], works: Sequence[str]
) -> str:
    obj: dict[str, object] = {
        "type": "profile",
        "id": key,
        "person": p.key,
        "captured": captured.isoformat(),
        "role": claims["role"],
        "trust_score": claims["trust_score"],
        "trust_band": claims["trust_band"],
        "verification_level": claims["verification"],
        "claim_status": claims["claim_status"],
        "counts": {
            "works": claims["works"],
            "followers": claims["followers"],
            "topics": claims["topics"],
            "close_collaborators": claims["collaborators"],
        },
        "works": list(works),
    }
    return _json(obj)
