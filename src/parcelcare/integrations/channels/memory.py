"""A channel that keeps messages in memory, for tests and the demo; safe across threads."""

import threading

from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage, SendResult


class MemoryChannel:
    """Records every message it is given; can be told to refuse the next ones."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._sent: list[OutgoingMessage] = []
        self._failures: list[ChannelError] = []

    def send(self, message: OutgoingMessage) -> SendResult:
        """Record the message, or raise the oldest failure queued with `fail_next`."""
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            self._sent.append(message)
            return SendResult(f"{self.name}-{len(self._sent)}", "sent")

    def fail_next(self, error: ChannelError, times: int = 1) -> None:
        """Refuse the next `times` messages with `error`."""
        with self._lock:
            self._failures.extend([error] * times)

    @property
    def sent(self) -> list[OutgoingMessage]:
        """A copy of the recorded messages, oldest first."""
        with self._lock:
            return list(self._sent)

    def to(self, recipient: str) -> list[OutgoingMessage]:
        """The recorded messages for one recipient, oldest first."""
        return [message for message in self.sent if message.to == recipient]

    def clear(self) -> None:
        """Forget every recorded message and queued failure."""
        with self._lock:
            self._sent.clear()
            self._failures.clear()
