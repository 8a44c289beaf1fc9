"""A corpus of broken sources, generated (never committed): each case is good demo input from
examples/ with one kind of damage, and says which diagnostic it must produce (code, line, field and
words of the message) and how much of the good input must still come through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kgpub.records import SourceKind
from tests.hardening.harness import EXAMPLES

FEED = EXAMPLES / "feed-privacy-ml.txt"
LISTING = EXAMPLES / "arxiv-listing-hsien-hsin-s-lee.txt"
PROFILE = EXAMPLES / "profile-hsien-hsin-s-lee.txt"
FEED_ITEMS = 20  # items in the demo feed; LISTING_WORKS / PROFILE_WORKS likewise
LISTING_WORKS = 7
PROFILE_WORKS = 6


ANY_LINE = -1


@dataclass(frozen=True)
class Expect:
    code: str
    line: int | None  # None: the diagnostic is about the whole file; ANY_LINE: not checked
    field: str | None
    words: tuple[str, ...] = ()  # must all appear in the message


@dataclass(frozen=True)
class Case:
    name: str
    kind: SourceKind | None
    make: Callable[[], bytes]
    expect: tuple[Expect, ...]
    works: int = 0  # at least this many works must still be read
    extra: dict[str, str] = field(default_factory=dict)


def feed() -> bytes:
    return FEED.read_bytes()


def listing() -> bytes:
    return LISTING.read_bytes()


def profile() -> bytes:
    return PROFILE.read_bytes()


def feed_with_item(header: str, title: str, abstract: str = "A summary line.") -> bytes:
    """The demo feed with one more item at its end (lines 61-63)."""
    return feed().rstrip(b"\n") + f"\n{header}\n{title}\n{abstract}\n".encode()


def listing_with_record(id_line: str, created: str = "Created: 2023-03-10") -> bytes:
    """The demo listing with one more record at its end; its arXiv line is line ``n + 3``."""
    return listing().rstrip(b"\n") + f"\n\nA summary paragraph.\n\n{id_line}\n{created}\n".encode()


LISTING_ADDED_ID_LINE = LISTING.read_bytes().rstrip(b"\n").count(b"\n") + 1 + 4
GOOD_RECORD = b'{"type": "work", "id": "good-1", "title": "A good record", "date": "2023-03-10"}\n'


def records(*lines: bytes) -> bytes:
    """A records file: a good line, the given lines, another good line."""
    return GOOD_RECORD + b"".join(lines) + GOOD_RECORD.replace(b"good-1", b"good-2")


def laughs(levels: int = 10) -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(ents) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/a"><s:name>&lol{levels - 1};</s:name></rdf:Description>\n'
        "</rdf:RDF>\n"
    ).encode()


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Researcher profile</title></head>\n"
    b"<body><h1>Researcher profile</h1><p>Hsien-Hsin S. Lee</p><p>6works</p></body></html>\n"
)
DEEP = 100_000

CASES: tuple[Case, ...] = (
    Case("empty.txt", "feed", lambda: b"", (Expect("source.empty", None, "file", ("empty",)),)),
    Case("blank.txt", None, lambda: b"\n \r\n\t\n", (Expect("source.empty", None, "file", ("empty",)),)),
    Case("random.bin", None, lambda: bytes(range(256)) * 64,
         (Expect("source.kind.unknown", 1, "kind", ("binary", "NUL")),)),
    Case("binary-declared.txt", "feed", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
         (Expect("source.binary", 1, "file", ("binary",)),)),
    Case("latin1.txt", "feed", lambda: feed_with_item("LGJun 5, 2023", "Café Müller SystemsJosé Núñez, Zoë Brontë")
         .replace("é".encode(), b"\xe9", 1), (Expect("source.encoding", 62, "encoding", ("not UTF-8",)),),
         works=FEED_ITEMS + 1),
    Case("utf16.txt", None, lambda: feed().decode().encode("utf-16"),
         (Expect("source.encoding.utf16", 1, "encoding", ("UTF-16",)),), works=FEED_ITEMS),
    Case("utf16-be.txt", "arxiv-listing", lambda: listing().decode().encode("utf-16-be").join([b"\xfe\xff", b""]),
         (Expect("source.encoding.utf16", 1, "encoding", ("UTF-16",)),), works=LISTING_WORKS,
         extra={"subject": "Hsien-Hsin S. Lee"}),
    Case("bom-crlf.txt", None, lambda: b"\xef\xbb\xbf" + profile().replace(b"\n", b"\r\n"),
         (Expect("source.kind.detected", 1, "kind", ("profile",)),), works=PROFILE_WORKS),
    Case("cr-only.txt", "arxiv-listing", lambda: listing().replace(b"\n", b"\r"),
         (Expect("listing.subject.missing", None, "subject", ("not declared",)),), works=LISTING_WORKS),
    Case("truncated-feed.txt", "feed", lambda: feed().rsplit(b"\n", 2)[0] + b"\n",
         (Expect("feed.abstract.missing", 59, "abstract", ("no abstract",)),), works=FEED_ITEMS),
    Case("truncated-listing.txt", "arxiv-listing", lambda: listing()[: listing().rindex(b"arXiv:")],
         (Expect("listing.id.missing", ANY_LINE, "arxiv_id", ("no 'arXiv:' line",)),), works=LISTING_WORKS),
    Case("truncated-profile.txt", "profile", lambda: profile()[: profile().rindex(b"preprint")],
         (Expect("profile.works.count", ANY_LINE, "works", ("announces 6",)),), works=PROFILE_WORKS - 1),
    Case("long-line.txt", "feed", lambda: feed_with_item("LGJun 5, 2023", "x" * 3_000_000),
         (Expect("source.line.too-long", 62, None, ("3000000 characters",)),), works=FEED_ITEMS + 1),
    Case("feb30-feed.txt", "feed", lambda: feed_with_item("LGFeb 30, 2023", "A TitleAda Lovelace, Alan Turing"),
         (Expect("feed.date.unparsable", 61, "date", ("Feb 30", "not a calendar date")),), works=FEED_ITEMS + 1),
    Case("feb30-listing.txt", "arxiv-listing", lambda: listing_with_record("arXiv:2303.06183", "Created: 2023-02-30"),
         (Expect("listing.created.unparsable", LISTING_ADDED_ID_LINE + 1, "date", ("2023-02-30",)),),
         works=LISTING_WORKS + 1),
    Case("feb30.jsonl", "records", lambda: records(b'{"type": "work", "id": "w", "date": "2023-02-30"}\n'),
         (Expect("records.date.invalid", 2, "date", ("not a calendar date",)),), works=3),
    Case("id-space.txt", "arxiv-listing", lambda: listing_with_record("arXiv:2303. 06183"),
         (Expect("listing.id.unparsable", LISTING_ADDED_ID_LINE, "arxiv_id", ("'2303.'",)),), works=LISTING_WORKS + 1),
    Case("id-zwsp.txt", "arxiv-listing", lambda: listing_with_record("arXiv:2303.\u200b06183"),
         (Expect("listing.id.unparsable", LISTING_ADDED_ID_LINE, "arxiv_id", ("not an arXiv identifier",)),),
         works=LISTING_WORKS + 1),
    Case("id-nul.txt", "arxiv-listing", lambda: listing_with_record("arXiv:2303.06\x00183"),
         (Expect("listing.id.unparsable", LISTING_ADDED_ID_LINE, "arxiv_id", ("\\x00",)),), works=LISTING_WORKS + 1),
    Case("id-cyrillic.txt", "arxiv-listing", lambda: listing_with_record("arXiv:2З03.06183"),  # Cyrillic Ze
         (Expect("listing.id.unparsable", LISTING_ADDED_ID_LINE, "arxiv_id", ("2З03.06183",)),),
         works=LISTING_WORKS + 1),
    Case("id-fullwidth.txt", "arxiv-listing", lambda: listing_with_record("arXiv:２３０３.０６１８３"),
         (Expect("listing.id.unparsable", LISTING_ADDED_ID_LINE, "arxiv_id", ("not an arXiv identifier",)),),
         works=LISTING_WORKS + 1),
    Case("id-cyrillic.jsonl", "records", lambda: records('{"type": "work", "id": "w", "arxiv_id": "2303.О6183"}\n'
                                                          .encode()),  # Cyrillic O
         (Expect("records.field.invalid", 2, "arxiv_id", ("does not match",)),), works=3),
    Case("control.jsonl", "records", lambda: records(b'{"type": "work", "id": "w\\u0000x", "title": "t"}\n'),
         (Expect("records.field.invalid", 2, "id", ("does not match",)),), works=2),
    Case("ansi-title.txt", "feed", lambda: feed_with_item("LGJun 5, 2023\x1b[2J", "Title\x1b[31mAda Lovelace"),
         (Expect("feed.date.unparsable", 61, "date", ("\\x1b",)),), works=FEED_ITEMS + 1),
    Case("deep.jsonl", "records",
         lambda: records(b'{"type": "work", "id": "w", "x": ' + b"[" * DEEP + b"]" * DEEP + b"}\n"),
         (Expect("records.line.too-deep", 2, None, ("nested deeper",)),), works=2),
    Case("huge-record.jsonl", "records",
         lambda: records(b'{"type": "work", "id": "w", "abstract": "' + b"a" * 2_000_000 + b'"}\n'),
         (Expect("records.line.too-long", 2, None, ("2000043 characters", "1000000")),), works=2),
    Case("not-json.jsonl", "records", lambda: records(b'{"type": "work", "id": \n'),
         (Expect("records.json.syntax", 2, None, ("not valid JSON",)),), works=2),
    Case("html-page.txt", None, lambda: HTML_PAGE, (Expect("source.kind.unknown", 1, "kind", ("HTML page",)),)),
    Case("html-declared.txt", "profile", lambda: HTML_PAGE, (Expect("source.html", 1, "file", ("HTML page",)),)),
    Case("laughs.rdf", None, laughs, (Expect("rdf.xml.dtd", 2, "DOCTYPE", ("DOCTYPE", "refused")),)),
    Case("laughs-utf16.xml", "rdf", lambda: laughs().decode().encode("utf-16"),
         (Expect("rdf.xml.dtd", 2, "DOCTYPE", ("refused",)),)),
    Case("external-entity.rdf", "rdf",
         lambda: laughs().replace(b'<!ENTITY lol0 "lol">', b'<!ENTITY lol0 SYSTEM "file:///etc/passwd">'),
         (Expect("rdf.xml.dtd", 2, "DOCTYPE", ("refused",)),)),
    Case("remote-context.jsonld", None,
         lambda: b'{\n  "@context": "https://schema.org/",\n  "@id": "http://example.org/a", "name": "x"\n}\n',
         (Expect("rdf.jsonld.remote-context", 2, "@context", ("https://schema.org/", "never fetches")),)),
    Case("scoped-remote-context.jsonld", None,
         lambda: b'{"@context": {"@vocab": "http://schema.org/"}, "@id": "http://example.org/a",\n'
         b' "knows": {"@context": [{"@import": "http://example.org/ctx.jsonld"}], "@id": "http://example.org/b"}}\n',
         (Expect("rdf.jsonld.remote-context", 2, "@context", ("http://example.org/ctx.jsonld",)),)),
    Case("deep.jsonld", None,
         lambda: b'{"@context": {"@vocab": "http://schema.org/"}, "@id": "http://example.org/a",\n"knows": '
         + b'{"knows": ' * 5000 + b'"x"' + b"}" * 5001,
         (Expect("rdf.nesting.too-deep", 2, "nesting", ("MAX_NESTING_DEPTH",)),)),
    Case("deep.rdf", None,
         lambda: b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         b'xmlns:s="http://schema.org/">\n' + b"<rdf:Description><s:knows>" * 50_000
         + b"</s:knows></rdf:Description>" * 50_000 + b"\n</rdf:RDF>\n",
         (Expect("rdf.nesting.too-deep", 3, "nesting", ("MAX_NESTING_DEPTH",)),)),
    Case("bad-line.nt", None,
         lambda: b"<http://example.org/a> <http://schema.org/name> \"a\" .\n<http://example.org/b> <http://sch\n",
         (Expect("rdf.syntax", 2, "syntax", ("not valid",)),)),
    Case("garbage-lines.txt", "feed", lambda: b"x\n" * 300_000 + feed(),
         (Expect("source.diagnostics.capped", 1001, None, ("more than 1000 problems",)),), works=FEED_ITEMS),
)
