"""`parcelcare bench assistant` runs end to end on a small size and cleans up after itself."""

from parcelcare.assistant.models import InboundMessage
from parcelcare.bench import assistant
from parcelcare.cases.models import Case
from parcelcare.tracking.models import Order


def test_assistant_bench_answers_every_message(db: None) -> None:
    result = assistant.run(messages=20, repeat=1)
    assert sum(result["outcomes"].values()) == 20
    assert result["outcomes"]["case_opened"] == 4  # every fifth is "not received", delivered
    assert result["outcomes"]["auto_sent"] >= 8
    assert result["classify"]["p50_ms"] > 0 and result["inbound_to_reply"]["p99_ms"] > 0
    assert result["quality_held_out"]["messages"] > 200
    assert not InboundMessage.objects.exists() and not Case.objects.exists()
    assert not Order.objects.exists()
