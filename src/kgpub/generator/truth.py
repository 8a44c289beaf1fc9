"""The ground truth of a generated corpus: what was written, so a build can be checked against it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "kgpub.sources.toml"
TRUTH = "ground-truth.json"


@dataclass(frozen=True, slots=True)
class BrokenRecord:
    """One appearance damaged on purpose: where, which work, and what was done to it."""

    file: str
    line: int
    defect: str
    work: str


@dataclass(slots=True)
class GeneratedCorpus:
    """What :func:`generate` wrote, and the ground truth a pipeline run can be checked against."""

    out_dir: Path
    seed: int
    works: int  # distinct works
    repeated: int  # works that appear in more than one source file
    appearances: Counter[str] = field(default_factory=Counter)  # per kind: work blocks written
    files: list[tuple[str, str]] = field(default_factory=list)  # (relative path, kind)
    persons: int = 0  # person lines written (records files)
    profiles: int = 0  # profile snapshots (pages + records)
    broken: list[BrokenRecord] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST

    @property
    def truth(self) -> Path:
        return self.out_dir / TRUTH

    @property
    def paths(self) -> list[Path]:
        return [self.out_dir / rel for rel, _ in self.files]

    def to_json(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "works": self.works,
            "repeated": self.repeated,
            "appearances": dict(sorted(self.appearances.items())),
            "persons": self.persons,
            "profiles": self.profiles,
            "files": dict(sorted(Counter(k for _, k in self.files).items())),
            "broken": [
                {"file": b.file, "line": b.line, "defect": b.defect, "work": b.work} for b in self.broken
            ],
        }
