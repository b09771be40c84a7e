"""The offline classifier: measured on the held-out part it never trained on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parcelcare.assistant.classifier import Classifier, classifier
from parcelcare.assistant.dataset import examples, held_out, training
from parcelcare.assistant.evaluate import Labelled, evaluate
from parcelcare.domain.intents import Intent, ReplyFacts, auto_send_reasons


@pytest.fixture(scope="module")
def model() -> Classifier:
    return classifier()


def test_data_set_is_large_enough_and_split() -> None:
    own = [e for e in examples() if e.source == "own"]
    assert len(own) >= 4200
    assert {e.language for e in own} == {"nl", "de", "en", "fr"}
    assert {e.intent for e in own} == {str(i) for i in Intent}
    texts = {e.text for e in training()}
    assert held_out() and not any(e.text in texts for e in held_out())


def test_held_out_scores(model: Classifier) -> None:
    result = evaluate(model, [Labelled(e.text, e.language, e.intent) for e in held_out()])
    assert result["messages"] >= 900 and result["language_accuracy"] >= 0.99
    assert result["intent_accuracy"] >= 0.93
    assert result["auto_send_precision"] >= 0.99
    assert result["auto_send_coverage"] >= 0.42


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        ("waar blijft mijn pakket, bestelling 10423", "nl", "order_status"),
        ("Paket als zugestellt markiert aber nichts bekommen", "de", "not_received"),
        ("I want to cancel my order please", "en", "cancel_order"),
        ("je voudrais retourner ma commande", "fr", "return_request"),
    ],
)
def test_clear_messages(model: Classifier, text: str, language: str, intent: str) -> None:
    found = model.understand(text)
    assert (found.language, found.intent) == (language, intent)


def test_unclear_language_falls_back(model: Classifier) -> None:
    assert model.understand("10423", fallback_language="de").language == "de"
    for text in ("¿Dónde está mi pedido? Lo compré hace una semana", "Gdzie jest moja paczka?"):
        found = model.understand(text, fallback_language="nl")
        assert found.language == "nl" and found.confidence == 0.0  # never answered alone
    assert model.understand("wen will my oder arive", fallback_language="nl").language == "en"


def test_auto_send_needs_every_condition() -> None:
    facts = ReplyFacts(
        intent=Intent.ORDER_STATUS,
        confidence=0.99,
        threshold=0.95,
        verified=True,
        determined=True,
        enabled=True,
    )
    assert auto_send_reasons(facts) == ()
    from dataclasses import replace

    assert auto_send_reasons(replace(facts, verified=False)) == ("sender_not_verified",)
    assert auto_send_reasons(replace(facts, confidence=0.5, intent=Intent.OTHER)) == (
        "intent_other",
        "low_confidence",
    )


def test_cli_classify_and_eval(tmp_path, model: Classifier) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    lines = '{"text": "wo ist mein Paket? Bestellung 10877"}\n{"text": "annuler commande 55120"}\n'
    done = subprocess.run(
        [sys.executable, "-m", "parcelcare", "assistant", "classify", "--json"],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert answers[0]["language"] == "de" and answers[0]["order_number"] == "10877"
    assert answers[1]["intent"] == "cancel_order" and set(answers[1]) >= {
        "language",
        "intent",
        "confidence",
        "order_number",
    }
    labelled = tmp_path / "m.jsonl"
    labelled.write_text(
        '{"text": "where is my parcel", "language": "en", "intent": "order_status"}\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "parcelcare", "assistant", "eval", str(labelled), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["messages"] == 1 and result["accuracy_per_language"] == {"en": 1.0}
    bad = subprocess.run(
        [sys.executable, "-m", "parcelcare", "assistant", "classify", "--json"],
        input="not json\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and "line 1" in bad.stderr


def _fixture_scores(model: Classifier, name: str) -> dict[str, object]:
    path = Path(__file__).parent.parent / "fixtures" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return evaluate(model, [Labelled(r["text"], r["language"], r["intent"]) for r in rows])


def test_fresh_set(model: Classifier) -> None:
    """A small second evaluation set, never trained on."""
    result = _fixture_scores(model, "assistant_fresh.jsonl")
    assert result["messages"] == 64 and result["language_accuracy"] >= 0.95
    assert result["intent_accuracy"] >= 0.9
    assert result["auto_send_precision"] >= 0.97 and result["auto_send_coverage"] >= 0.3


def test_blind_set(model: Classifier) -> None:
    """320 messages written apart from the training data, never trained on nor tuned against:
    every language, every intent, and what goes out alone is right."""
    result = _fixture_scores(model, "assistant_blind.jsonl")
    assert result["messages"] == 320 and result["language_accuracy"] >= 0.98
    assert result["intent_accuracy"] >= 0.95
    per_language = result["accuracy_per_language"]
    assert isinstance(per_language, dict) and min(per_language.values()) >= 0.9
    assert result["auto_send_precision"] >= 0.99 and result["auto_send_coverage"] >= 0.6
