"""The memory channel: records from many threads at once and refuses on request."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.integrations.channels.memory import MemoryChannel


def message(number: int) -> OutgoingMessage:
    return OutgoingMessage(
        channel="sms", to=f"+316{number % 3:08d}", idempotency_key=f"k{number}", text="Hoi"
    )


def test_concurrent_sends_are_all_recorded_with_distinct_ids() -> None:
    channel = MemoryChannel()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(channel.send, (message(number) for number in range(400))))

    assert len(channel.sent) == 400
    assert len({result.provider_message_id for result in results}) == 400
    assert {sent.idempotency_key for sent in channel.sent} == {f"k{n}" for n in range(400)}
    assert len(channel.to("+31600000001")) == 133


def test_queued_failures_are_raised_first_then_sending_resumes() -> None:
    channel = MemoryChannel("demo")
    channel.fail_next(ChannelError("memory: down", True), times=2)

    for _ in range(2):
        with pytest.raises(ChannelError):
            channel.send(message(1))
    result = channel.send(message(1))

    assert result.provider_message_id == "demo-1"
    assert result.status == "sent"
    channel.clear()
    assert channel.sent == []
