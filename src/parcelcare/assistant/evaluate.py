"""Accuracy per language and intent, and the precision and coverage of auto-sent answers."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from parcelcare.domain.intents import Intent

from .classifier import Classifier


@dataclass(frozen=True)
class Labelled:
    """A message with the language and intent a person gave it."""

    text: str
    language: str
    intent: str


def _ratio(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def evaluate(classifier: Classifier, messages: Iterable[Labelled]) -> dict[str, object]:
    """Score the classifier on labelled messages; auto-send means confident and not `other`."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sent = sent_right = total = right = language_right = 0
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for message in messages:
        found = classifier.understand(message.text, fallback_language=message.language)
        hit = found.intent == message.intent
        total += 1
        right += hit
        language_right += found.language == message.language
        for key in (f"language:{message.language}", f"intent:{message.intent}"):
            counts[key][0] += hit
            counts[key][1] += 1
        if not hit:
            confusion[message.intent][str(found.intent)] += 1
        if found.intent != Intent.OTHER and found.confidence >= classifier.threshold:
            sent += 1
            sent_right += hit
    return {
        "messages": total,
        "intent_accuracy": _ratio(right, total),
        "language_accuracy": _ratio(language_right, total),
        "accuracy_per_language": {
            k.split(":", 1)[1]: _ratio(*v) for k, v in sorted(counts.items()) if k[0] == "l"
        },
        "accuracy_per_intent": {
            k.split(":", 1)[1]: _ratio(*v) for k, v in sorted(counts.items()) if k[0] == "i"
        },
        "auto_send_threshold": round(classifier.threshold, 4),
        "auto_send_precision": _ratio(sent_right, sent),
        "auto_send_coverage": _ratio(sent, total),
        "auto_sent": sent,
        "errors": {truth: dict(found) for truth, found in sorted(confusion.items())},
    }
