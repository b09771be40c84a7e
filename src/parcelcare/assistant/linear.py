"""A multinomial logistic regression over feature sets, trained with AdaGrad on NumPy arrays."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Model:
    """One weight row per feature (a value per label) and a bias per label."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    temperature: float = 1.0

    def scores(self, features: Iterable[str]) -> list[float]:
        """Raw label scores; unknown features count for nothing."""
        found = [row for f in features if (row := self.weights.get(f)) is not None]
        scale = 1 / math.sqrt(len(found)) if found else 0.0
        totals = list(self.bias)
        for row in found:
            for i, value in enumerate(row):
                totals[i] += value * scale
        return totals

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """Label probabilities, softmax of the scores over the calibrated temperature."""
        return softmax(self.scores(features), self.temperature)

    def predict(self, features: Iterable[str]) -> tuple[str, float]:
        """The most likely label and its probability."""
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.labels[best], probs[best]


def softmax(scores: Sequence[float], temperature: float = 1.0) -> list[float]:
    """Probabilities from scores, numerically stable."""
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def train(
    examples: Sequence[tuple[set[str], str]],
    *,
    epochs: int = 20,
    rate: float = 0.5,
    l2: float = 1e-4,
    batch: int = 32,
    seed: int = 1,
    runs: int = 3,
) -> Model:
    """Fit the weights by mini-batch AdaGrad on the cross-entropy, `runs` times over differently
    shuffled batches, and average them (steadier than one run); deterministic per seed."""
    import numpy as np

    labels = tuple(sorted({label for _, label in examples}))
    index = {label: i for i, label in enumerate(labels)}
    vocabulary: dict[str, int] = {}
    rows = []
    for features, label in examples:
        if not features:
            continue  # nothing to learn from (an emoji-only message); the bias covers it
        found = [vocabulary.setdefault(f, len(vocabulary)) for f in sorted(features)]
        rows.append((np.array(found, dtype=np.int64), index[label]))
    shape = (len(vocabulary), len(labels))
    fitted = [
        _fit(rows, shape, epochs=epochs, rate=rate, l2=l2, batch=batch, seed=seed + run)
        for run in range(max(runs, 1))
    ]
    weights = sum(w for w, _ in fitted) / len(fitted)
    bias = sum(b for _, b in fitted) / len(fitted)
    table = {f: tuple(float(v) for v in weights[i]) for f, i in vocabulary.items()}
    return Model(labels=labels, bias=tuple(float(b) for b in bias), weights=table)


def _fit(
    rows: list[tuple[Any, int]],
    shape: tuple[int, int],
    *,
    epochs: int,
    rate: float,
    l2: float,
    batch: int,
    seed: int,
) -> tuple[Any, Any]:
    """One AdaGrad run over rows of (feature ids, label index): weights and bias."""
    import numpy as np

    weights = np.zeros(shape)
    squares = np.full_like(weights, 1e-8)
    bias, bias_squares = np.zeros(shape[1]), np.full(shape[1], 1e-8)
    generator = np.random.default_rng(seed)
    for _ in range(epochs):
        order = generator.permutation(len(rows))
        for start in range(0, len(order), batch):
            chosen = [rows[n] for n in order[start : start + batch]]
            ids = np.concatenate([r[0] for r in chosen])
            starts = np.cumsum([0] + [len(r[0]) for r in chosen[:-1]])
            lengths = np.array([len(r[0]) for r in chosen])
            owner = np.repeat(np.arange(len(chosen)), lengths)
            scale = 1 / np.sqrt(lengths)
            totals = np.add.reduceat(weights[ids], starts) * scale[:, None] + bias
            totals -= totals.max(axis=1, keepdims=True)
            probs = np.exp(totals)
            probs /= probs.sum(axis=1, keepdims=True)
            probs[np.arange(len(chosen)), [r[1] for r in chosen]] -= 1.0
            touched, inverse = np.unique(ids, return_inverse=True)
            by_feature = np.argsort(inverse, kind="stable")
            firsts = np.searchsorted(inverse[by_feature], np.arange(len(touched)))
            contributions = (probs * scale[:, None])[owner][by_feature]
            grad = np.add.reduceat(contributions, firsts) + l2 * weights[touched]
            squares[touched] += grad**2
            weights[touched] -= rate * grad / np.sqrt(squares[touched])
            bias_grad = probs.sum(axis=0)
            bias_squares += bias_grad**2
            bias -= rate * bias_grad / np.sqrt(bias_squares)
    return weights, bias
