"""A multinomial naive Bayes model over feature sets: trains in one counting pass, no download."""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Model:
    """Log priors and per-feature log likelihoods per label."""

    labels: tuple[str, ...]
    priors: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    """Feature -> log P(feature | label); features never seen in training count for nothing."""
    temperature: float = 1.0

    def scores(self, features: Iterable[str]) -> list[float]:
        """Unnormalised log scores per label; features never seen in training are ignored."""
        totals = list(self.priors)
        for feature in features:
            row = self.weights.get(feature)
            if row is not None:
                for i, value in enumerate(row):
                    totals[i] += value
        return totals

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """Calibrated label probabilities (softmax of the scores over the temperature)."""
        scores = self.scores(features)
        top = max(scores)
        exps = [math.exp((s - top) / self.temperature) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def predict(self, features: Iterable[str]) -> tuple[str, float]:
        """The most likely label and its probability."""
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.labels[best], probs[best]


def train(
    examples: Sequence[tuple[set[str], str]], *, alpha: float = 0.3, min_count: int = 1
) -> Model:
    """Count features per label; add-alpha smoothing; rare features dropped."""
    labels = tuple(sorted({label for _, label in examples}))
    index = {label: i for i, label in enumerate(labels)}
    per_label = [Counter[str]() for _ in labels]
    seen: Counter[str] = Counter()
    docs = Counter(label for _, label in examples)
    for features, label in examples:
        per_label[index[label]].update(features)
        seen.update(features)
    vocabulary = [f for f, n in seen.items() if n >= min_count]
    size = len(vocabulary)
    denominators = [sum(c[f] for f in vocabulary) + alpha * size for c in per_label]
    weights = {
        feature: tuple(
            math.log((per_label[i][feature] + alpha) / denominators[i]) for i in range(len(labels))
        )
        for feature in vocabulary
    }
    priors = tuple(math.log(docs[label] / len(examples)) for label in labels)
    return Model(labels=labels, priors=priors, weights=weights)
