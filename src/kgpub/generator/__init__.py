"""A synthetic scholarly corpus in kgpub's source formats, for benchmarks and scale tests.

In the spirit of SP2Bench's DBLP generator: power-law authorship, realistic name shapes, works repeated
across sources with different parts known, and a few records broken on purpose — deterministic from a
seed and streamed, so a million works fit in bounded memory.
"""

from kgpub.generator.corpus import generate
from kgpub.generator.truth import BrokenRecord, GeneratedCorpus

__all__ = ["BrokenRecord", "GeneratedCorpus", "generate"]
