"""Hand-written cue words per meaning in Dutch, German, English and French: a small bilingual
lexicon that lets a few examples per language generalise to the other three."""

import re
import tomllib
from functools import cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("cue_lexicon.toml")
"""The lexicon's data file: one table per meaning, one array of phrases per language."""

LANGUAGES = ("nl", "de", "en", "fr")


def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, dict[str, tuple[str, ...]]]:
    """Meaning -> language -> cue phrases, accent-free and lower case, read from `path`."""
    with path.open("rb") as stream:
        raw = tomllib.load(stream)
    return {
        meaning: {language: tuple(phrases) for language, phrases in languages.items()}
        for meaning, languages in raw.items()
    }


_LEXICON = load_lexicon()
"""Meaning -> language -> cue phrases, accent-free and lower case. A phrase matches at a word
start (`kapot` finds `kapotte`); one ending in `=` only as a whole word."""

CUES: dict[str, tuple[str, ...]] = {
    meaning: tuple(dict.fromkeys(p for phrases in languages.values() for p in phrases))
    for meaning, languages in _LEXICON.items()
}
"""Meaning -> every cue phrase, all languages together."""

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _alternatives(phrases: tuple[str, ...]) -> str:
    """One regular expression for many phrases, shared beginnings merged into a letter tree so
    that a text is read once per meaning however long the lexicon grows."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for char in phrase.rstrip("=") + ("=" if phrase.endswith("=") else "\0"):
            node = node.setdefault(char, {})
    return _branch(tree)


def _branch(node: dict[str, dict]) -> str:
    if "\0" in node:
        return ""  # a shorter phrase already matches here: the longer ones add nothing
    parts = [
        "(?![a-z])" if char == "=" else re.escape(char) + _branch(child)
        for char, child in sorted(node.items())
    ]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        meaning: re.compile(r"(?:^| )" + _alternatives(phrases))
        for meaning, phrases in CUES.items()
    }


def cues(folded: str) -> set[str]:
    """The meanings whose cues occur in an accent-free lower-case text."""
    text = _NOT_WORD.sub(" ", folded)
    return {meaning for meaning, pattern in _patterns().items() if pattern.search(text)}
