"""Language and intent of a customer message, from models trained on the shipped data."""

import gc
import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parcelcare.domain import cues as cues_module
from parcelcare.domain.extract import Extracted, extract
from parcelcare.domain.intents import Intent
from parcelcare.domain.vocabulary import LANGUAGES

from . import bayes, linear
from .dataset import DATA, Example, training
from .features import intent_features, language_features

KNOWN_WORDS_MINIMUM = 0.35
"""Below this share of known words the message is in another language (Spanish, Polish…)."""
LANGUAGE_MINIMUM = 0.6
"""Below this the message's language is unclear and the shop's language is used."""
AUTO_SEND_PRECISION = 0.995
"""The precision the auto-send threshold is chosen for, on held-back folds of the training set."""
FOLDS = 4


@dataclass(frozen=True)
class Understanding:
    """What a message says: language, intent with confidence, numbers found."""

    language: str
    language_confidence: float
    intent: Intent
    confidence: float
    extracted: Extracted

    @property
    def order_number(self) -> str | None:
        """The most likely order number in the text."""
        return self.extracted.order_number

    def as_json(self) -> dict[str, object]:
        """The CLI's one-line answer."""
        return {
            "language": self.language,
            "intent": str(self.intent),
            "confidence": round(self.confidence, 4),
            "order_number": self.order_number,
            "tracking_number": next(iter(self.extracted.tracking_numbers), None),
        }


@dataclass(frozen=True)
class Classifier:
    """The two trained models and the confidence an answer needs to go out unreviewed."""

    language_model: bayes.Model
    intent_model: linear.Model
    threshold: float
    trained_in_seconds: float

    def understand(self, text: str, *, fallback_language: str = "en") -> Understanding:
        """Read one message; an unclear language falls back to `fallback_language`, and a
        message in a language the models do not know is never confident."""
        features = language_features(text)
        language, language_confidence = self.language_model.predict(features)
        letters = sum(c.isalpha() for c in text)
        known = self.known_words(features)
        foreign = known is not None and known < KNOWN_WORDS_MINIMUM
        if foreign:
            language_confidence = 0.0
        if letters < 3 or language_confidence < LANGUAGE_MINIMUM or language not in LANGUAGES:
            language = fallback_language
        intent, confidence = self.intent_model.predict(intent_features(text))
        return Understanding(
            language=language,
            language_confidence=language_confidence,
            intent=Intent(intent),
            confidence=0.0 if foreign else confidence,
            extracted=extract(text),
        )

    def known_words(self, features: set[str]) -> float | None:
        """The share of the message's words seen in training, in any language; None for fewer
        than three words (too short to tell)."""
        found = [f for f in features if f.startswith("w:")]
        if len(found) < 3:
            return None
        return sum(f in self.language_model.weights for f in found) / len(found)


def _intent_model(examples: Sequence[Example]) -> linear.Model:
    return linear.train([(intent_features(e.text), e.intent) for e in examples])


def _language_model(examples: Sequence[Example]) -> bayes.Model:
    return bayes.train([(language_features(e.text), e.language) for e in examples], alpha=0.1)


def calibrate(examples: Sequence[Example]) -> tuple[float, float]:
    """Temperature and auto-send threshold from held-back folds of the training examples."""
    predictions: list[tuple[list[float], int]] = []
    for fold in range(FOLDS):
        learn = [e for i, e in enumerate(examples) if i % FOLDS != fold]
        check = [e for i, e in enumerate(examples) if i % FOLDS == fold]
        model = _intent_model(learn)
        for example in check:
            scores = model.scores(intent_features(example.text))
            truth = model.labels.index(example.intent) if example.intent in model.labels else -1
            predictions.append((scores, truth))
    temperature = _best_temperature(predictions)
    return temperature, _threshold(predictions, temperature)


def _softmax(scores: list[float], temperature: float) -> list[float]:
    import math

    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _best_temperature(predictions: list[tuple[list[float], int]]) -> float:
    """The temperature with the lowest log loss on the folds (a coarse grid is enough)."""
    import math

    def loss(t: float) -> float:
        return -sum(
            math.log(max(_softmax(s, t)[truth], 1e-12)) for s, truth in predictions if truth >= 0
        )

    return min((0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8), key=loss)


def _threshold(predictions: list[tuple[list[float], int]], temperature: float) -> float:
    """The lowest confidence at which answers above it were right AUTO_SEND_PRECISION of the time
    on the folds (intent `other` never goes out by itself, so it does not count)."""
    scored = []
    for scores, truth in predictions:
        probs = _softmax(scores, temperature)
        best = max(range(len(probs)), key=probs.__getitem__)
        scored.append((probs[best], best == truth))
    scored.sort(reverse=True)
    threshold, right = 1.0, 0
    for count, (confidence, correct) in enumerate(scored, start=1):
        right += correct
        if right / count >= AUTO_SEND_PRECISION:
            threshold = confidence
    return max(threshold, 0.5)


def build(examples: Sequence[Example] | None = None) -> Classifier:
    """Train both models on the training part (or on `examples`) and calibrate."""
    started = time.perf_counter()
    chosen = list(examples if examples is not None else training())
    temperature, threshold = calibrate(chosen)
    intent = _intent_model(chosen)
    intent = linear.Model(intent.labels, intent.bias, intent.weights, temperature)
    return Classifier(
        language_model=_language_model(chosen),
        intent_model=intent,
        threshold=threshold,
        trained_in_seconds=time.perf_counter() - started,
    )


def _fingerprint() -> str:
    """What the trained models depend on: the shipped data and the code that learns from it."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = [*sorted(DATA.glob("*.tsv")), *(here / n for n in MODEL_CODE)]
    sources += [Path(cues_module.__file__ or ""), cues_module.LEXICON_FILE]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


MODEL_CODE = ("bayes.py", "linear.py", "features.py", "classifier.py", "dataset.py")


def cache_folder() -> Path:
    """Where trained models are kept between runs (PARCELCARE_MODEL_CACHE to move it)."""
    default = Path.home() / ".cache" / "parcelcare"
    return Path(os.environ.get("PARCELCARE_MODEL_CACHE") or default)


@cache
def classifier() -> Classifier:
    """The classifier of this process: trained from the shipped data on first use, then kept
    in the cache folder under a fingerprint of the data and code (a change retrains)."""
    found = _load_or_build()
    # Tens of thousands of weight rows never change: keep the garbage collector from walking
    # them again and again, which showed as 20 ms pauses in the classify p99.
    gc.collect()
    gc.freeze()
    return found


def _load_or_build() -> Classifier:
    path = cache_folder() / f"assistant-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)  # a file this program wrote itself
        if isinstance(found, Classifier):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as stream:
            pickle.dump(built, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # a read-only home still answers, it only trains again next time
    return built
