"""Fixed word and name tables the synthetic corpus draws from.

Everything here is invented or generic: no real abstract text and no real person. The tables are
chosen so that the generated sources exercise what the parsers must cope with in real pages — initials,
hyphenated and several given names, particles (van, de, da), apostrophes, non-ASCII letters, titles that
end in an acronym, a digit, a question mark or a parenthesis, and bare arXiv codes that exist in more
than one archive.
"""

from __future__ import annotations

# fmt: off

GIVEN = (
    "Alice", "Bruno", "Chen", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ivan", "Jia", "Kiran",
    "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sanjay", "Tomás", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoë", "Amélie", "Björn", "Çağla", "Dorotéa", "Émile", "Frédéric",
    "Gökhan", "Håkon", "Inés", "Jürgen", "Łukasz", "Míriam", "Nuño", "Øystein", "Pál", "Renée",
    "Søren", "Thảo", "Ülkü", "Vojtěch", "Zdeněk", "Jean-Pierre", "Hsien-Hsin", "Anne-Marie",
    "Ji-Hoon", "Mei-Ling", "Karl-Heinz", "Kiwan", "Haiyu", "Donghwan", "Meisam", "Ranggi", "Udit",
    "Maria", "José", "Luisa", "Ahmed", "Fatima", "Olusegun", "Chidi", "Aiko", "Takeshi", "Sung-Min",
)

FAMILY = (
    "Smith", "Garcia", "Nguyen", "Kim", "Müller", "Novák", "Kowalski", "Rossi", "Silva", "Yılmaz",
    "Andersson", "Dubois", "Ivanova", "Tanaka", "Li", "Wang", "Zhang", "Patel", "Okafor", "Haddad",
    "Lee", "Park", "Chen", "Sørensen", "Ødegård", "Ångström", "Śliwa", "Dvořák", "Öztürk", "Peña",
    "Núñez", "Gonçalves", "Łukasiewicz", "Schäfer", "Brontë", "Hashemi", "Kariyappa", "Suh",
    "Smith-Jones", "Lloyd-Webber", "García-Márquez", "Bose-Chaudhuri", "Hwang", "Maeng", "Lucia",
    "Tiwari", "Gururangan", "Huba", "Xiong", "Baek", "Fischer", "Moreau", "Costa", "Ferreira",
)

PARTICLES = ("van", "van der", "de", "de la", "da", "von", "di", "del", "dos", "ter", "le", "bin", "al")
APOSTROPHE_FAMILY = ("O'Brien", "D'Angelo", "O'Neil", "D'Souza", "N'Diaye", "L'Heureux", "Dell'Orco")
INITIALS = "ABCDEFGHJKLMNPRSTW"

ORG_TAGS = (
    "allen-ai", "deep-lab", "meta-fair", "vision-group", "secure-ml", "sys-lab", "nlp-collective",
    "graph-hub", "robotics-unit", "quantum-lab", "data-commons", "open-science",
)
ORG_PREFIX = ("University of", "Institute for", "Centre for", "Laboratory of", "Academy of")
ORG_PLACE = (
    "Northfield", "Eastbrook", "Lakeside", "Westmoor", "Highgate", "Riverton", "Stonebridge", "Ashford",
    "São Mirandela", "Kraków", "Zürich", "Aarhus", "Coimbra", "Tōkai", "Daejeon", "Bengaluru",
)
ORG_FIELD = ("Technology", "Computing", "Science", "Applied Mathematics", "Data Science", "Engineering")

# arXiv categories: full code and whether the bare subject class is shared with another archive.
CATEGORIES = (
    "cs.LG", "cs.CR", "cs.AI", "cs.IR", "cs.CV", "cs.CL", "cs.AR", "cs.DC", "cs.CE", "cs.DB", "cs.DS",
    "cs.NA", "cs.IT", "cs.LO", "cs.GT", "cs.SY", "cs.PL", "cs.SE", "cs.NI", "cs.RO", "cs.HC", "cs.NE",
    "stat.ML", "stat.ME", "stat.CO", "math.OC", "math.ST", "math.NA", "math.IT", "math.CO", "math.PR",
    "eess.SY", "eess.SP", "q-bio.NC",
)
# Relative popularity: machine learning and security dominate, as in the seeds.
CATEGORY_WEIGHTS = (
    30, 14, 12, 8, 10, 9, 4, 5, 2, 3, 3, 1, 2, 1, 1, 1, 2, 3, 2, 3, 2, 2,
    8, 2, 1, 4, 1, 1, 1, 1, 1, 1, 2, 1,
)

VENUES_CONF = ("ICCAD", "ISLPED", "NeurIPS", "ICML", "ICLR", "MICRO", "ISCA", "HPCA", "USENIX Security",
               "CCS", "KDD", "SIGIR", "RecSys", "ACL", "CVPR", "VLDB")
VENUES_JOURNAL = ("TPAMI", "JMLR", "TOCS", "CACM", "TKDE", "TIFS")
VENUE_LONG = {
    "ISLPED": "International Symposium on Low Power Electronics and Design",
    "ICCAD": "International Conference on Computer-Aided Design",
    "MICRO": "International Symposium on Microarchitecture",
    "HPCA": "International Symposium on High-Performance Computer Architecture",
}

# Generic research vocabulary for titles and abstracts (no sentence is taken from a real text).
NOUNS = (
    "model", "system", "framework", "dataset", "benchmark", "architecture", "algorithm", "inference",
    "training", "privacy", "accelerator", "memory", "graph", "embedding", "workload", "network", "cache",
    "compiler", "protocol", "representation", "gradient", "attack", "defense", "recommendation",
    "scheduler", "kernel", "pipeline", "encoder", "decoder", "simulation", "trace", "latency",
    "throughput", "budget", "noise", "ensemble", "query", "index", "retrieval", "policy", "agent",
)
ADJECTIVES = (
    "scalable", "private", "efficient", "robust", "federated", "sparse", "dense", "adaptive",
    "heterogeneous", "distributed", "approximate", "secure", "differentiable", "multi-party",
    "energy-aware", "low-latency", "end-to-end", "near-memory", "on-device", "hierarchical",
)
VERBS = (
    "improves", "reduces", "characterizes", "accelerates", "bounds", "quantifies", "explores",
    "evaluates", "exposes", "mitigates", "balances", "predicts", "compresses", "schedules", "measures",
)
FILLER = (
    "the", "a", "of", "in", "for", "with", "across", "under", "while", "and", "by", "to", "on", "at",
    "from", "that", "this", "these", "our", "we", "which", "than", "its", "over", "per",
)
SYSTEM_STEMS = ("Rec", "Deep", "Cryp", "Lazy", "Fed", "Trace", "Graph", "Quant", "Spar", "Hydra",
                "Neuro", "Flux", "Tensor", "Privy", "Orbit", "Cocoon", "Herc", "Vidur", "Mosaic")
SYSTEM_TAILS = ("NMP", "Sys", "Torch", "DP", "Net", "Flow", "Bench", "ML", "Gen", "", "X", "2")
ACRONYMS = ("MPC", "FHE", "PPML", "DNN", "GPU", "LLM", "SGD", "MoE", "CNN", "RL", "NLP", "FPGA", "DRAM")
LATEX = (r"$\ell_1$", r"$O(n \log n)$", r"$\epsilon$-DP", r"$k$-NN", r"$\mathcal{H}_\infty$")
