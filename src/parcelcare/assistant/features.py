"""Text to features: accent-free lower-case words, word pairs and character n-grams."""

import itertools
import re
import unicodedata

from parcelcare.domain.cues import cues

WORD = re.compile(r"[a-z0-9]+")
DIGITS = re.compile(r"\d+")
IDENTITY = re.compile(
    r"\b(?:postcode|post code|postal code|zip code|zip|plz|postleitzahl|code postal)\b"
    r"\s*:?\s*[a-z]{0,2}\d[\w-]*(?:\s?[a-z]{2}\b)?",
    re.IGNORECASE,
)
"""A postcode given to prove who one is says nothing about what one wants."""


def fold(text: str) -> str:
    """Lower case without accents (é -> e, ß -> ss), so typos and keyboards matter less."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of `text`, every number written as 0."""
    return WORD.findall(DIGITS.sub("0", fold(text)))


def intent_features(text: str) -> set[str]:
    """Words, word pairs, 3- to 5-letter pieces across the text (robust to typos and split or
    joined words), and cue meanings counted three times (few examples per language need them)."""
    found = words(IDENTITY.sub(" ", text))[:400]
    meanings = cues(" ".join(found))
    features = {f"w:{w}" for w in found}
    features.update(f"k:{m}{copy}" for m in meanings for copy in ("", "#2", "#3"))
    features.update(f"k:{a}+{b}" for a in meanings for b in meanings if a < b)
    features.update(f"b:{a}_{b}" for a, b in itertools.pairwise(found))
    joined = f" {' '.join(found)} "
    for size in (3, 4, 5):
        features.update(f"c:{joined[i : i + size]}" for i in range(len(joined) - size + 1))
    return features


def language_features(text: str) -> set[str]:
    """Letter 1- to 4-grams with accents kept: é, ü, ij and sch tell languages apart."""
    lowered = re.sub(r"[^\w']+", " ", DIGITS.sub(" ", text.lower()))[:2000]
    features = {f"w:{w}" for w in lowered.split()}
    padded = f" {lowered.strip()} "
    for size in (1, 2, 3, 4):
        features.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return features
