"""What can be said to whom and how: message kinds, channels, a shop's policy, a recipient.

Priority (a lower number gets a free slot under the daily cap first; ties go by kind name):

| prio | kind             | why it comes first                                            |
|------|------------------|---------------------------------------------------------------|
| 1    | delivered        | ends every worry; it supersedes all progress and delay news   |
| 2    | likely_lost      | an apology is owed before anything else; supersedes delays    |
| 3    | out_for_delivery | only true today, and tells the customer to be home            |
| 4    | failed_attempt   | asks for action: rebook or collect                            |
| 5    | pickup_reminder  | a deadline is close                                           |
| 6    | awaiting_pickup  | asks for action: collect                                      |
| 7    | returning        | asks a question: still wanted, which address                  |
| 8    | returned         | the parcel is back with the shop                              |
| 9    | delayed_3        | the most serious delay, with a voucher when configured        |
| 10   | delayed_2        |                                                               |
| 11   | delayed_1        |                                                               |
| 12   | shipped          | good to know, nothing to do                                   |

Consent: e-mail about an order the customer placed is transactional, so it needs no marketing
consent and `consent_email` defaults to True; a customer who withdrew it still gets nothing by
e-mail. SMS and WhatsApp need explicit consent (`consent_sms`, `consent_whatsapp`, default False).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from .notify_timing import NIGHT, QuietHours
from .vocabulary import LANGUAGES


class Channel(StrEnum):
    """How a message reaches its reader."""

    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"


class Audience(StrEnum):
    """Who a message is for."""

    CUSTOMER = "customer"
    MERCHANT = "merchant"
    AGENT = "agent"


class MessageKind(StrEnum):
    """What a message says; each kind has its own copy."""

    SHIPPED = "shipped"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELAYED_1 = "delayed_1"
    DELAYED_2 = "delayed_2"
    DELAYED_3 = "delayed_3"
    FAILED_ATTEMPT = "failed_attempt"
    AWAITING_PICKUP = "awaiting_pickup"
    PICKUP_REMINDER = "pickup_reminder"
    DELIVERED = "delivered"
    RETURNING = "returning"
    RETURNED = "returned"
    LIKELY_LOST = "likely_lost"
    NOT_SHIPPED_MERCHANT = "not_shipped_merchant"
    AGENT_FOLLOWUP = "agent_followup"
    CASE_RECEIVED = "case_received"
    CASE_REQUEST = "case_request"
    CASE_REPLY = "case_reply"
    CASE_RESOLVED = "case_resolved"
    ASSISTANT_REPLY = "assistant_reply"
    RETURN_RECEIVED = "return_received"
    RETURN_APPROVED = "return_approved"
    RETURN_ARRIVED = "return_arrived"
    RETURN_REJECTED = "return_rejected"
    RETURN_REFUNDED = "return_refunded"


K = MessageKind

RETURN_KINDS = frozenset(
    {K.RETURN_RECEIVED, K.RETURN_APPROVED, K.RETURN_ARRIVED, K.RETURN_REJECTED, K.RETURN_REFUNDED}
)
"""Messages about a return request; the returns desk sends them."""

CASE_KINDS = (
    frozenset({K.CASE_RECEIVED, K.CASE_REQUEST, K.CASE_REPLY, K.CASE_RESOLVED}) | RETURN_KINDS
)
"""Messages the case and returns desks send; detection never plans them."""

DELAYED = (K.DELAYED_1, K.DELAYED_2, K.DELAYED_3)
"""The delay kinds, indexed by level - 1."""

AUDIENCE: Mapping[MessageKind, Audience] = MappingProxyType(
    {kind: Audience.CUSTOMER for kind in MessageKind}
    | {K.NOT_SHIPPED_MERCHANT: Audience.MERCHANT, K.AGENT_FOLLOWUP: Audience.AGENT}
)

CUSTOMER_KINDS = frozenset(k for k, audience in AUDIENCE.items() if audience == Audience.CUSTOMER)

PRIORITY: Mapping[MessageKind, int] = MappingProxyType(
    {
        kind: rank
        for rank, kind in enumerate(
            (
                K.DELIVERED,
                K.LIKELY_LOST,
                K.OUT_FOR_DELIVERY,
                K.FAILED_ATTEMPT,
                K.PICKUP_REMINDER,
                K.AWAITING_PICKUP,
                K.RETURNING,
                K.RETURNED,
                K.DELAYED_3,
                K.DELAYED_2,
                K.DELAYED_1,
                K.SHIPPED,
                K.ASSISTANT_REPLY,  # an answer the customer asked for; never planned by rules
            ),
            start=1,
        )
    }
)
"""The priority table of the module docstring, as data."""

STALE_ONCE_DELIVERED = frozenset(
    {
        K.SHIPPED,
        K.OUT_FOR_DELIVERY,
        *DELAYED,
        K.FAILED_ATTEMPT,
        K.AWAITING_PICKUP,
        K.PICKUP_REMINDER,
        K.LIKELY_LOST,
        K.AGENT_FOLLOWUP,
    }
)
"""Kinds that are wrong to send, or to keep queued, once the parcel is delivered."""

SUPERSEDES: Mapping[MessageKind, frozenset[MessageKind]] = MappingProxyType(
    {
        K.DELIVERED: STALE_ONCE_DELIVERED - {K.AGENT_FOLLOWUP},
        K.LIKELY_LOST: frozenset(DELAYED),
        K.DELAYED_3: frozenset({K.DELAYED_1, K.DELAYED_2}),
        K.DELAYED_2: frozenset({K.DELAYED_1}),
        K.RETURNED: frozenset({K.RETURNING}),
    }
)
"""A kind sent, queued or decided now makes the kinds it supersedes pointless if not yet out."""

CARRIER_NOTIFIED = frozenset({K.FAILED_ATTEMPT, K.OUT_FOR_DELIVERY, K.AWAITING_PICKUP})
"""Kinds a shop may leave to carriers that tell the recipient themselves."""

SAME_DAY_ONLY = frozenset({K.OUT_FOR_DELIVERY})
"""Kinds that are dropped rather than deferred to another day by the cap: stale news misleads."""

SMS_TOO = frozenset({K.OUT_FOR_DELIVERY, K.FAILED_ATTEMPT, K.PICKUP_REMINDER, K.DELAYED_3})

DEFAULT_CHANNELS: Mapping[MessageKind, frozenset[Channel]] = MappingProxyType(
    {
        kind: frozenset({Channel.EMAIL, Channel.SMS} if kind in SMS_TOO else {Channel.EMAIL})
        for kind in MessageKind
        if kind not in (K.AGENT_FOLLOWUP, K.ASSISTANT_REPLY) and kind not in CASE_KINDS
    }
)
"""E-mail for every customer-facing kind and the merchant, SMS as well for the urgent ones."""

DESK = "desk"
"""The channel name in keys of agent follow-ups: a task on the case desk, never sent out."""


def zone_of(zone: str | tzinfo) -> tzinfo:
    """A tzinfo from an IANA name or a tzinfo; a clear ValueError for an unknown name."""
    if isinstance(zone, tzinfo):
        return zone
    return _named_zone(zone)


@lru_cache(maxsize=512)
def _named_zone(zone: str) -> tzinfo:
    """The zone for an IANA name, looked up once per name (a review asks thousands of times)."""
    # Imported here: importing zoneinfo loads the interpreter's build-time _sysconfigdata module,
    # which the domain purity check cannot tell from a third-party one.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {zone!r}") from error


def message_key(shipment_id: int, kind: MessageKind, detail: str, channel: Channel | None) -> str:
    """The idempotency key: one message per (shipment, kind, level/attempt, channel)."""
    return f"{shipment_id}:{kind}:{detail}:{channel or DESK}"


def _channels(
    value: Mapping[MessageKind, frozenset[Channel]],
) -> Mapping[MessageKind, frozenset[Channel]]:
    return MappingProxyType(
        {MessageKind(kind): frozenset(Channel(c) for c in chans) for kind, chans in value.items()}
    )


@dataclass(frozen=True)
class NotifyPolicy:
    """One shop's notification settings; the defaults are the documented starting point."""

    channels: Mapping[MessageKind, frozenset[Channel]] = field(
        default_factory=lambda: DEFAULT_CHANNELS, hash=False
    )
    enabled: frozenset[MessageKind] = frozenset(MessageKind)
    quiet_hours: QuietHours = NIGHT
    daily_cap: int | None = 2
    level3_voucher_minor_units: int = 0
    voucher_currency: str = ""
    silent_when_carrier_notifies: bool = False
    carriers_that_notify: frozenset[str] = frozenset()
    shop_time_zone: str | tzinfo = UTC
    merchant_quiet_hours: QuietHours = NIGHT
    pickup_reminder_days: tuple[int, ...] = (2, 1)
    default_language: str = "en"

    def __post_init__(self) -> None:
        """Normalise collections and refuse settings that cannot be applied."""
        cap, voucher = self.daily_cap, self.level3_voucher_minor_units
        if cap is not None and (type(cap) is not int or cap < 1):
            raise ValueError("daily_cap must be a whole number of at least 1, or None for no cap")
        if type(voucher) is not int or voucher < 0:
            raise ValueError("level3_voucher_minor_units must be a whole number, at least 0")
        currency = self.voucher_currency
        if voucher and not (len(currency) == 3 and currency.isascii() and currency.isupper()):
            raise ValueError("a level 3 voucher needs an ISO 4217 currency such as 'EUR'")
        days = tuple(self.pickup_reminder_days)
        if not all(type(d) is int and d >= 1 for d in days):
            raise ValueError("pickup_reminder_days must be whole days of at least 1")
        if self.default_language not in LANGUAGES:
            raise ValueError(f"default_language must be one of {', '.join(LANGUAGES)}")
        zone_of(self.shop_time_zone)
        fix = object.__setattr__
        fix(self, "channels", _channels(self.channels))
        fix(self, "enabled", frozenset(MessageKind(k) for k in self.enabled))
        fix(self, "carriers_that_notify", frozenset(c.lower() for c in self.carriers_that_notify))
        fix(self, "pickup_reminder_days", tuple(sorted(set(days))))

    @property
    def shop_zone(self) -> tzinfo:
        """The shop's own time zone, for the merchant's quiet hours."""
        return zone_of(self.shop_time_zone)

    def carrier_tells(self, carrier: str, kind: MessageKind) -> bool:
        """Whether this shop leaves `kind` to the carrier, which notifies the recipient itself."""
        return (
            self.silent_when_carrier_notifies
            and kind in CARRIER_NOTIFIED
            and carrier.lower() in self.carriers_that_notify
        )

    def language(self, wanted: str) -> str:
        """The recipient's language when supported, else the shop's default."""
        return wanted if wanted in LANGUAGES else self.default_language


@dataclass(frozen=True)
class Recipient:
    """The customer a shipment's messages go to: zone, language, contact data and consent."""

    time_zone: str | tzinfo
    language: str = "en"
    consent_email: bool = True
    consent_sms: bool = False
    consent_whatsapp: bool = False
    opted_out: frozenset[Channel] = frozenset()
    has_email: bool = True
    has_phone: bool = False

    def __post_init__(self) -> None:
        """Check the zone now, so a bad one fails where the recipient is built."""
        zone_of(self.time_zone)
        object.__setattr__(self, "opted_out", frozenset(Channel(c) for c in self.opted_out))

    @property
    def zone(self) -> tzinfo:
        """The recipient's own time zone, in which quiet hours and days are read."""
        return zone_of(self.time_zone)

    def reachable(self, channel: Channel) -> bool:
        """Whether this recipient may and can be reached on `channel`."""
        if channel in self.opted_out:
            return False
        if channel == Channel.EMAIL:
            return self.has_email and self.consent_email
        consent = self.consent_sms if channel == Channel.SMS else self.consent_whatsapp
        return self.has_phone and consent


@dataclass(frozen=True)
class MessageIntent:
    """One message to write to the outbox; `channel` is None for a task on the agent desk."""

    kind: MessageKind
    channel: Channel | None
    audience: Audience
    detail: str
    idempotency_key: str
    send_at: datetime
    payload: dict[str, str | int] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Sent:
    """A message already written to the outbox for this shipment, sent or still queued."""

    kind: MessageKind
    channel: Channel | None
    sent_at: datetime
    detail: str = "-"

    def __post_init__(self) -> None:
        """Days and caps are read in local zones, so a naive moment would be a guess."""
        if self.sent_at.utcoffset() is None:
            raise ValueError("sent_at must be timezone-aware")

    @classmethod
    def of(cls, intent: MessageIntent) -> "Sent":
        """The record an intent leaves once it is written, dated when it goes out."""
        return cls(intent.kind, intent.channel, intent.send_at, intent.detail)

    def key(self, shipment_id: int) -> str:
        """The idempotency key this record occupies."""
        return message_key(shipment_id, self.kind, self.detail, self.channel)
