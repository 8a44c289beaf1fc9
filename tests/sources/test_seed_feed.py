"""The seed feed (002): every one of the 20 items, as a careful reader reads them."""

from __future__ import annotations

import hashlib

import pytest

from kgpub.records import PartialDate

from .conftest import CAPTURED, FEED_SEED, run_source, seed_lines

# position, score, printed code, category, (year, month, day, year inferred), Code flag, org,
# title, byline, et al.
EXPECTED = [
    (
        1,
        None,
        "IR",
        "cs.IR",
        (2022, 5, 30, False),
        True,
        None,
        "Towards Fair Federated Recommendation Learning: Characterizing the Inter-Dependence of System "
        "and Data Heterogeneity",
        ("Kiwan Maeng", "Haiyu Lu", "Luca Melis"),
        True,
    ),
    (
        2,
        72.7,
        "AI",
        "cs.AI",
        (2026, 6, 1, True),
        False,
        None,
        "Characterization of Multi-Model Agentic AI Systems on General Tasks via Trace-Driven Simulation",
        ("Donghwan Kim", "Prakhar Singh", "Younghoon Min"),
        True,
    ),
    (
        3,
        None,
        "LG",
        "cs.LG",
        (2023, 6, 5, False),
        False,
        "allen-ai",
        "Information Flow Control in Machine Learning through Modular Model Architecture",
        ("Trishita Tiwari", "Suchin Gururangan", "Chuan Guo"),
        True,
    ),
    (
        4,
        None,
        "LG",
        "cs.LG",
        (2022, 9, 12, False),
        False,
        None,
        "Cocktail Party Attack: Breaking Aggregation-Based Privacy in Federated Learning using Independent "
        "Component Analysis",
        ("Sanjay Kariyappa", "Chuan Guo", "Kiwan Maeng"),
        True,
    ),
    (
        5,
        None,
        "CR",
        "cs.CR",
        (2023, 1, 26, False),
        False,
        None,
        "GPU-based Private Information Retrieval for On-Device Machine Learning Inference",
        ("Maximilian Lam", "Jeff Johnson", "Wenjie Xiong"),
        True,
    ),
    (
        6,
        None,
        "LG",
        "cs.LG",
        (2023, 3, 26, False),
        False,
        None,
        "Green Federated Learning",
        ("Ashkan Yousefpour", "Shen Guo", "Ashish Shenoy"),
        True,
    ),
    (
        7,
        None,
        "CE",
        "cs.CE",
        (2022, 12, 12, False),
        False,
        None,
        "Data Leakage via Access Patterns of Sparse Features in Deep Learning-based Recommendation Systems",
        ("Hanieh Hashemi", "Wenjie Xiong", "Liu Ke"),
        True,
    ),
    (
        8,
        None,
        "IR",
        "cs.IR",
        (2022, 6, 7, False),
        False,
        None,
        "FEL: High Capacity Learning for Recommendation and Ranking via Federated Ensemble Learning",
        ("Meisam Hejazinia", "Dzmitry Huba", "Ilias Leontiadis"),
        True,
    ),
    (
        9,
        None,
        "CR",
        "cs.CR",
        (2022, 9, 21, False),
        False,
        None,
        "Measuring and Controlling Split Layer Privacy Leakage Using Fisher Information",
        ("Kiwan Maeng", "Chuan Guo", "Sanjay Kariyappa"),
        True,
    ),
    (
        10,
        None,
        "LG",
        "cs.LG",
        (2023, 9, 9, False),
        False,
        None,
        "Approximating ReLU on a Reduced Ring for Efficient MPC-based Private Inference",
        ("Kiwan Maeng", "G. Edward Suh"),
        False,
    ),
    (
        11,
        None,
        "IR",
        "cs.IR",
        (2024, 4, 12, False),
        False,
        None,
        "LazyDP: Co-Designing Algorithm-Software for Scalable Training of Differentially Private "
        "Recommendation Models",
        ("Juntaek Lim", "Youngeun Kwon", "Ranggi Hwang"),
        True,
    ),
    (
        12,
        38.3,
        "CR",
        "cs.CR",
        (2026, 3, 31, True),
        False,
        None,
        "Beyond Latency: A System-Level Characterization of MPC and FHE for PPML",
        ("Pengzhi Huang", "Kiwan Maeng", "G. Edward Suh"),
        False,
    ),
    (
        13,
        None,
        "CR",
        "cs.CR",
        (2025, 11, 24, False),
        False,
        None,
        "CrypTorch: PyTorch-based Auto-tuning Compiler for Machine Learning with Multi-party Computation",
        ("Jinyu Liu", "Gang Tan", "Kiwan Maeng"),
        False,
    ),
    (
        14,
        None,
        "AR",
        "cs.AR",
        (2025, 10, 8, False),
        False,
        None,
        "Cocoon: A System Architecture for Differentially Private Training with Correlated Noises",
        ("Donghwan Kim", "Xin Gu", "Jinho Baek"),
        True,
    ),
    (
        15,
        None,
        "LG",
        "cs.LG",
        (2025, 10, 6, False),
        False,
        None,
        "Correlating Cross-Iteration Noise for DP-SGD using Model Curvature",
        ("Xin Gu", "Yingtai Xiao", "Guanlin He"),
        True,
    ),
    (
        16,
        None,
        "CV",
        "cs.CV",
        (2025, 10, 2, False),
        False,
        None,
        "Towards Better Optimization For Listwise Preference in Diffusion Models",
        ("Jiamu Bai", "Xin Yu", "Meilong Xu"),
        True,
    ),
    (
        17,
        None,
        "LG",
        "cs.LG",
        (2023, 5, 6, False),
        False,
        None,
        "Bounding the Invertibility of Privacy-preserving Instance Encoding using Fisher Information",
        ("Kiwan Maeng", "Chuan Guo", "Sanjay Kariyappa"),
        True,
    ),
    (
        18,
        None,
        "LG",
        "cs.LG",
        (2021, 10, 30, False),
        False,
        None,
        "Sustainable AI: Environmental Implications, Challenges and Opportunities",
        ("Carole-Jean Wu", "Ramya Raghavendra", "Udit Gupta"),
        True,
    ),
    (
        19,
        None,
        "LG",
        "cs.LG",
        (2020, 11, 5, False),
        False,
        None,
        "CPR: Understanding and Improving Failure Tolerant Training for Deep Learning Recommendation "
        "with Partial Recovery",
        ("Kiwan Maeng", "Shivam Bharuka", "Isabel Gao"),
        True,
    ),
    (
        20,
        None,
        "LG",
        "cs.LG",
        (2019, 12, 4, False),
        False,
        None,
        "Enhancing Stratospheric Weather Analyses and Forecasts by Deploying Sensors from a Weather Balloon",
        ("Kiwan Maeng", "Iskender Kushan", "Brandon Lucia"),
        True,
    ),
]


@pytest.fixture(scope="module")
def parsed(seeds_present: None):
    return run_source(FEED_SEED.read_bytes(), "feed", name="002.txt")


def test_twenty_items_and_one_listing_each(parsed) -> None:
    assert len(parsed.works) == 20
    assert len(parsed.listings) == 20
    assert [lst.work for lst in parsed.listings] == [w.local_id for w in parsed.works]
    assert [w.local_id for w in parsed.works] == [f"feed/work/{k}" for k in range(1, 21)]
    assert [lst.local_id for lst in parsed.listings] == [f"feed/listing/{k}" for k in range(1, 21)]


@pytest.mark.parametrize("row", EXPECTED, ids=[f"item{r[0]}" for r in EXPECTED])
def test_item(parsed, row) -> None:
    pos, score, printed, category, (year, month, day, inferred), code, org, title, names, truncated = row
    work, listing = parsed.works[pos - 1], parsed.listings[pos - 1]
    assert listing.position == pos
    assert listing.score == score
    assert listing.category is not None
    assert listing.category.printed == printed
    assert listing.category.resolved == category
    assert work.categories == (listing.category,)
    assert listing.date == PartialDate(year, month, day, inferred)
    assert listing.date.precision == "day"
    assert work.date == listing.date and work.date_role == "listed"
    assert listing.code is code
    assert listing.organisation == org
    assert listing.captured == CAPTURED
    assert work.title == title
    assert work.byline is not None
    assert work.byline.names == names
    assert work.byline.truncated is truncated
    assert not work.byline.ambiguous
    assert work.flags == ()
    # three lines per item, provenance names the exact span and the file's hash
    assert (work.prov.line_start, work.prov.line_end) == (3 * pos - 2, 3 * pos)
    assert work.prov.sha256 == hashlib.sha256(FEED_SEED.read_bytes()).hexdigest()
    assert work.prov.source == "002.txt"


def test_abstracts_are_the_third_line_of_each_item(parsed) -> None:
    lines = seed_lines(FEED_SEED)
    for k, work in enumerate(parsed.works, 1):
        assert work.abstract == lines[3 * k - 1].strip()
        assert len(work.abstract) > 500
        assert "et al." not in work.abstract[:5]


def test_only_the_ambiguous_code_is_reported(parsed) -> None:
    cv = parsed.listings[15].category
    assert cv.resolution == "context" and cv.alternatives == ("cs.CV", "math.CV")
    assert [(d.severity, d.code, d.line, d.field) for d in parsed.diagnostics] == [
        ("info", "feed.category.context", 46, "category")
    ]
