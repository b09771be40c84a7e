"""The labelled messages shipped in data/: our own NL/DE/EN/FR set and English public sets."""

import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HELD_OUT_EVERY = 5
"""One message in five (chosen by a checksum of its text, so stable) is kept for evaluation."""


@dataclass(frozen=True)
class Example:
    """One labelled customer message."""

    text: str
    language: str
    intent: str
    source: str

    @property
    def held_out(self) -> bool:
        """Whether the message belongs to the evaluation part, never seen in training."""
        return zlib.crc32(self.text.encode()) % HELD_OUT_EVERY == 0


def read(path: Path) -> list[Example]:
    """Examples from a TSV file: intent, language, text and, optionally, source."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) not in (3, 4):
            raise ValueError(f"{path.name} line {number}: expected 3 or 4 tab-separated fields")
        source = parts[3] if len(parts) == 4 else "own"
        examples.append(Example(text=parts[2], language=parts[1], intent=parts[0], source=source))
    return examples


@cache
def examples() -> tuple[Example, ...]:
    """Every shipped example, our own first."""
    found: list[Example] = []
    for path in sorted(DATA.glob("own_*.tsv")) + sorted(DATA.glob("external_*.tsv")):
        found.extend(read(path))
    return tuple(found)


def training() -> list[Example]:
    """The part the models learn from."""
    return [e for e in examples() if not e.held_out]


def held_out() -> list[Example]:
    """The part kept aside to measure the models honestly."""
    return [e for e in examples() if e.held_out]
