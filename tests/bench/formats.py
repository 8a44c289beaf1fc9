"""Independent readers of the generated text formats, written from the seed README's rules.

They are deliberately small and strict: the generator is checked against them, and they are checked
against the real seed files, so the rules the tests enforce are the rules the seeds show.
"""

from __future__ import annotations

import re

MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
FEED_HEADER = re.compile(
    rf"^(?P<score>\d+\.\d)?(?P<code>[A-Z]{{2}})(?P<date>{MONTH} \d{{1,2}}(, \d{{4}})?)(?P<flag>Code)?$"
)
PROFILE_BLOCK = re.compile(r"^(?P<type>[a-z]+)(?P<year>\d{4})(?P<venue>\S.*)$")
ARXIV_LINE = re.compile(r"^arXiv:(?P<id>\S+?)(?P<version>v\d+)?( - doi: (?P<doi>10\.\S+))?$")
ARXIV_ID = re.compile(r"^\d{4}\.\d{5}$")
CREATED = re.compile(r"^Created: \d{4}-\d{2}-\d{2}$")
PUBLISHED = re.compile(r"^(\d+) published item\(s\)$")


def feed_items(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, three lines) per feed item; raises if the file is not a multiple of 3."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) % 3:
        raise ValueError(f"{len(lines)} lines is not a whole number of three-line items")
    return [(i + 1, lines[i : i + 3]) for i in range(0, len(lines), 3)]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers."""
    return [(n, line) for n, line in enumerate(text.rstrip("\n").split("\n"), 1) if line.strip()]


def listing_blocks(text: str) -> list[dict[str, object]]:
    """arXiv listing records: each ends at its ``arXiv:`` line (plus the ``Created:`` line if present)."""
    blocks: list[dict[str, object]] = []
    current: list[tuple[int, str]] = []
    for n, line in paragraphs(text):
        if CREATED.match(line) and blocks and blocks[-1]["created"] is None and not current:
            blocks[-1]["created"] = line
            continue
        if line.startswith("arXiv:"):
            blocks.append(
                {
                    "start": current[0][0] if current else n,
                    "abstract": current[0][1] if current else None,
                    "comments": [c for _, c in current[1:]],
                    "ident": line,
                    "created": None,
                }
            )
            current = []
        else:
            current.append((n, line))
    if current:
        raise ValueError(f"text after the last arXiv: line at line {current[0][0]}")
    return blocks


def profile_blocks(text: str) -> tuple[int, list[dict[str, object]]]:
    """(claimed item count, blocks) of a profile page; a block is header, title and (normally) abstract."""
    lines = paragraphs(text)
    at = next(i for i, (_, line) in enumerate(lines) if PUBLISHED.match(line))
    m = PUBLISHED.match(lines[at][1])
    assert m is not None
    blocks: list[dict[str, object]] = []
    rest = lines[at + 1 :]
    i = 0
    while i < len(rest):
        n, header = rest[i]
        if not PROFILE_BLOCK.match(header) or i + 1 >= len(rest):
            raise ValueError(f"line {n}: expected a type-year-venue line, got {header[:60]!r}")
        block: dict[str, object] = {"start": n, "header": header, "title": rest[i + 1][1], "abstract": None}
        i += 2
        if i < len(rest) and not PROFILE_BLOCK.match(rest[i][1]):
            block["abstract"] = rest[i][1]
            i += 1
        blocks.append(block)
    return int(m.group(1)), blocks
