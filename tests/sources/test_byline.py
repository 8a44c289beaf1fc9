"""Title/byline split: the rule on written cases, then generated titles and bylines glued as the feed
glues them, which the parser must read back exactly."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from kgpub.sources.byline import is_name, split_title_byline

CASES = [
    # title ends in a capital / acronym, name starts with an initial
    ("Beyond Latency: MPC and FHE for PPML", ("Pengzhi Huang", "G. Edward Suh")),
    ("Part I", ("Ivan Petrov",)),
    ("Vitamin D", ("J. R. R. Tolkien", "A. Smith")),
    # digit, question mark, closing parenthesis
    ("Results of ICCAD 2019", ("Zoë Ångström",)),
    ("Is Attention All You Need?", ("Ana María López García", "José Luis de la Fuente")),
    ("Aligning Models with Feedback (RLHF)", ("Jean-Pierre Dupont", "Marie-Claire O'Neil")),
    # camel-case word at the end and inside
    ("CrypTorch: Compiling for PyTorch", ("Jinyu Liu",)),
    ("Serving with DeepRecSys", ("Ludwig van Beethoven", "Vincent van der Berg")),
    # commas and colons in the title
    ("Sustainable AI: Implications, Challenges, and Opportunities", ("Carole-Jean Wu", "Udit Gupta")),
    # apostrophes, non-ASCII, several given names, suffixes, Mc
    ("Learning", ("D'Arcy McDonald", "Łukasz Żółw", "Ngũgĩ wa Thiong'o Jr.")),
    ("Why 3D?", ("Søren Kierkegaard", "Émile Zola", "Ólafur Arnalds")),
    ("A Study of Graphs", ("J.-P. Serre", "Alexander von Humboldt", "Leonardo da Vinci")),
]


@pytest.mark.parametrize(("title", "names"), CASES, ids=[c[0][:24] for c in CASES])
@pytest.mark.parametrize("truncated", [False, True])
@pytest.mark.parametrize("org", [None, "allen-ai"])
def test_written_cases(title: str, names: tuple[str, ...], truncated: bool, org: str | None) -> None:
    line = title + ", ".join(names) + (" et al." if truncated else "") + (f" · {org}" if org else "")
    split = split_title_byline(line)
    assert split is not None
    assert (split.title, split.byline.names, split.byline.truncated, split.organisation) == (
        title,
        names,
        truncated,
        org,
    )
    assert split.byline.alternatives == ()


def test_et_al_is_never_a_name() -> None:
    assert not is_name("et al.")
    split = split_title_byline("A TitleAnn Lee et al.")
    assert split is not None and split.byline.names == ("Ann Lee",) and split.byline.truncated


def test_middle_dot_inside_a_title_is_not_an_org_tag() -> None:
    split = split_title_byline("Space · Time: A StudyAnn Lee, Bo Chen")
    assert split is not None
    assert (split.title, split.byline.names, split.organisation) == (
        "Space · Time: A Study",
        ("Ann Lee", "Bo Chen"),
        None,
    )
    split = split_title_byline("Space · Time: A StudyAnn Lee, Bo Chen et al. · meta")
    assert split is not None
    assert (split.title, split.byline.truncated, split.organisation) == (
        "Space · Time: A Study",
        True,
        "meta",
    )


def test_no_byline_is_none() -> None:
    assert split_title_byline("just a sentence in lower case") is None
    assert split_title_byline("Ann Lee, Bo Chen") is None  # names but no title before them


def test_genuine_ambiguity_lists_every_reading() -> None:
    split = split_title_byline("Made in U.S.A. B. Smith")
    assert split is not None and split.byline.ambiguous
    readings = {(split.title, split.byline.names)} | {(a.title, a.names) for a in split.byline.alternatives}
    assert readings == {("Made in U.S.", ("A. B. Smith",)), ("Made in U.", ("S.A. B. Smith",))}


# --- generated titles and bylines -------------------------------------------------------------------

LOWER_WORDS = ["of", "for", "and", "via", "with", "in", "the", "on", "learning", "models", "towards", "a"]
CAP_WORDS = [
    "Learning",
    "Private",
    "Inference",
    "Graph",
    "Neural",
    "Efficient",
    "Secure",
    "Über",
    "Ölçek",
    "Systems",
    "Recommendation",
    "Privacy-preserving",
    "Multi-party",
    "On-Device",
    "Noise",
]
ACRONYMS = ["AI", "MPC", "PPML", "FHE", "GPU", "DP-SGD", "LLM", "NLP", "RLHF", "TPU", "ML"]
CAMEL = ["PyTorch", "DeepRecSys", "LazyDP", "CrypTorch", "GitHub", "ImageNet", "BERTScore", "iPhone"]
NUMBERS = ["2", "3D", "42", "2019", "100x", "1.5"]
ENDINGS = ["?", ")", ""]
GIVEN = [
    "Kiwan",
    "Carole-Jean",
    "Jean-Pierre",
    "José",
    "Zoë",
    "Émile",
    "Łukasz",
    "Søren",
    "Ngũgĩ",
    "Ana",
    "María",
    "D'Arcy",
    "Wei",
    "Xin",
    "Ólafur",
    "Mary",
    "Ann",
    "Hsien-Hsin",
    "Åsa",
    "Yuki",
]
INITIALS = ["G.", "J.", "S.", "J.-P.", "A.", "É."]
PARTICLES = ["van", "de", "van der", "von", "da", "de la", "di", "bin", "al"]
SURNAMES = [
    "Maeng",
    "Suh",
    "Lee",
    "Wu",
    "O'Neil",
    "McDonald",
    "Smith-Jones",
    "Müller",
    "García",
    "Żółw",
    "Ångström",
    "D'Angelo",
    "Nguyễn",
    "Kariyappa",
    "Beethoven",
    "Xu",
    "Thiong'o",
    "MacKenzie",
]

title_word = st.one_of(
    st.sampled_from(LOWER_WORDS),
    st.sampled_from(CAP_WORDS),
    st.sampled_from(ACRONYMS),
    st.sampled_from(CAMEL),
    st.sampled_from(NUMBERS),
)
last_word = st.one_of(
    st.sampled_from(CAP_WORDS),
    st.sampled_from(ACRONYMS),
    st.sampled_from(CAMEL),
    st.sampled_from(NUMBERS),
    st.sampled_from(LOWER_WORDS),
    st.sampled_from(ACRONYMS).map(lambda a: f"({a})"),
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    words = draw(st.lists(title_word, min_size=0, max_size=10))
    words = [w + draw(st.sampled_from(["", "", "", ",", ":"])) for w in words]
    return " ".join([*words, draw(last_word) + draw(st.sampled_from(ENDINGS))])


@st.composite
def names(draw: st.DrawFn) -> str:
    given = draw(
        st.lists(st.one_of(st.sampled_from(GIVEN), st.sampled_from(INITIALS)), min_size=1, max_size=3)
    )
    particle = draw(st.one_of(st.just(""), st.sampled_from(PARTICLES)))
    parts = [*given, *([particle] if particle else []), draw(st.sampled_from(SURNAMES))]
    return " ".join(parts)


EXAMPLES = int(os.environ.get("KGPUB_BYLINE_EXAMPLES", "3000"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=titles(),
    byline=st.lists(names(), min_size=1, max_size=3),
    truncated=st.booleans(),
    org=st.one_of(st.none(), st.sampled_from(["allen-ai", "meta", "deepmind", "mit-csail"])),
)
def test_generated_lines_are_read_back(
    title: str, byline: list[str], truncated: bool, org: str | None
) -> None:
    line = title + ", ".join(byline) + (" et al." if truncated else "") + (f" · {org}" if org else "")
    note(line)
    split = split_title_byline(line)
    assert split is not None
    assert split.title == title
    assert split.byline.names == tuple(byline)
    assert split.byline.truncated is truncated
    assert split.organisation == org
    assert not split.byline.ambiguous
