"""A shop's return policy and what it says about one return request: eligibility, window,
deductions and the "keep the item" (green) return.

| rule                    | refused / decided when                                              |
|-------------------------|---------------------------------------------------------------------|
| window                  | now > delivered_at + window_days (the error says when it closed)    |
| not delivered           | no delivery date: a parcel still on its way is not returned yet     |
| non-returnable SKU      | a picked line's SKU is in `non_returnable_skus`                      |
| quantity                | picked quantity < 1 or above bought minus already returned           |
| resolution              | the resolution is not in `resolutions`                               |
| who pays return postage | `customer_pays` lists the reasons the customer pays for              |
| restocking fee          | `restocking_fee_percent` of the goods, only for `customer_pays`      |
| green return            | value <= `keep_below_minor`, or every SKU in `keep_skus`: no parcel  |
|                         | comes back, nothing is deducted                                      |

Money is integer minor units; the refund is never below 0 nor above the goods' value.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from .errors import DomainError, IllegalTransition


class ReturnError(DomainError):
    """A return request that the shop's policy does not accept, with the precise reason."""

    def __init__(self, code: str, message: str, **facts: object) -> None:
        super().__init__(message)
        self.code = code
        self.facts = facts


class ReturnReason(StrEnum):
    """Why the customer sends something back."""

    WRONG_SIZE = "wrong_size"
    POOR_QUALITY = "poor_quality"
    WRONG_ITEM = "wrong_item"
    NOT_AS_PICTURED = "not_as_pictured"
    DAMAGED = "damaged"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"


class Resolution(StrEnum):
    """What the customer asks for in return."""

    REFUND = "refund"
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"


class ReturnStatus(StrEnum):
    """Where a return request stands."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    INSPECTED = "inspected"
    RESOLVED = "resolved"
    CLOSED = "closed"


S = ReturnStatus
TRANSITIONS: Mapping[ReturnStatus, frozenset[ReturnStatus]] = MappingProxyType(
    {
        S.REQUESTED: frozenset({S.APPROVED, S.REJECTED}),
        S.APPROVED: frozenset({S.IN_TRANSIT, S.RECEIVED, S.RESOLVED, S.REJECTED}),
        S.IN_TRANSIT: frozenset({S.RECEIVED}),
        S.RECEIVED: frozenset({S.INSPECTED}),
        S.INSPECTED: frozenset({S.RESOLVED, S.REJECTED}),
        S.RESOLVED: frozenset({S.CLOSED}),
        S.REJECTED: frozenset({S.CLOSED}),
        S.CLOSED: frozenset(),
    }
)
"""Allowed moves; a green return goes from approved straight to resolved."""

OPEN_STATUSES = frozenset({S.REQUESTED, S.APPROVED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED})

SELLER_FAULT = frozenset(
    {ReturnReason.POOR_QUALITY, ReturnReason.WRONG_ITEM, ReturnReason.NOT_AS_PICTURED,
     ReturnReason.DAMAGED}
)  # fmt: skip
"""Reasons where the shop sent something wrong; by default the shop pays the postage."""


def check_move(current: str, target: str) -> ReturnStatus:
    """The target status when the TRANSITIONS table allows the move; else IllegalTransition."""
    here, there = ReturnStatus(current), ReturnStatus(target)
    if there not in TRANSITIONS[here]:
        raise IllegalTransition(f"a return cannot move from {here} to {there}")
    return there


@dataclass(frozen=True, slots=True)
class ReturnPolicy:
    """A shop's return rules; amounts in minor units, 0 or empty switches a rule off."""

    window_days: int = 30
    non_returnable_skus: frozenset[str] = frozenset()
    customer_pays: frozenset[ReturnReason] = frozenset(set(ReturnReason) - SELLER_FAULT)
    return_shipping_minor: int = 0
    restocking_fee_percent: int = 0
    resolutions: frozenset[Resolution] = frozenset(Resolution)
    keep_below_minor: int = 0
    keep_skus: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("window_days", "restocking_fee_percent"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ReturnError("policy", f"{name} must be a whole number, got {value!r}")
        if not 1 <= self.window_days <= 365:
            raise ReturnError("policy", f"window_days must be 1-365, got {self.window_days}")
        if not 0 <= self.restocking_fee_percent <= 100:
            raise ReturnError(
                "policy", f"restocking_fee_percent must be 0-100, got {self.restocking_fee_percent}"
            )
        for name in ("return_shipping_minor", "keep_below_minor"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ReturnError("policy", f"{name} must be minor units >= 0, got {value!r}")
        if not self.resolutions:
            raise ReturnError("policy", "a policy offers at least one resolution")
        object.__setattr__(self, "customer_pays", frozenset(map(ReturnReason, self.customer_pays)))
        object.__setattr__(self, "resolutions", frozenset(map(Resolution, self.resolutions)))
        object.__setattr__(self, "non_returnable_skus", frozenset(self.non_returnable_skus))
        object.__setattr__(self, "keep_skus", frozenset(self.keep_skus))

    def as_dict(self) -> dict[str, object]:
        """The policy as JSON-ready values, sets sorted."""
        return {
            "window_days": self.window_days,
            "non_returnable_skus": sorted(self.non_returnable_skus),
            "customer_pays": sorted(self.customer_pays),
            "return_shipping_minor": self.return_shipping_minor,
            "restocking_fee_percent": self.restocking_fee_percent,
            "resolutions": sorted(self.resolutions),
            "keep_below_minor": self.keep_below_minor,
            "keep_skus": sorted(self.keep_skus),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> "ReturnPolicy":
        """A policy from stored values; unknown keys and bad values raise ReturnError."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ReturnError("policy", f"unknown policy settings: {', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        for key, value in data.items():
            if key in {"non_returnable_skus", "customer_pays", "resolutions", "keep_skus"}:
                if not isinstance(value, list | tuple | set | frozenset):
                    raise ReturnError("policy", f"{key} must be a list, got {value!r}")
                try:
                    parsed = _members(key, value)
                except ValueError as error:
                    raise ReturnError("policy", f"{key}: {error}") from None
                values[key] = parsed
            else:
                values[key] = value
        return cls(**values)  # type: ignore[arg-type]


def _members(key: str, value: Iterable[object]) -> frozenset[object]:
    if key == "customer_pays":
        return frozenset(ReturnReason(str(item)) for item in value)
    if key == "resolutions":
        return frozenset(Resolution(str(item)) for item in value)
    return frozenset(str(item).strip() for item in value if str(item).strip())


@dataclass(frozen=True, slots=True)
class Bought:
    """One order line as bought: SKU, quantity, unit price and how many are already returned."""

    line_id: int
    sku: str
    quantity: int
    unit_price: int
    returned: int = 0


@dataclass(frozen=True, slots=True)
class Pick:
    """One line the customer wants to return and how many of it."""

    line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the policy says about a valid request: money, who pays, and whether to keep it."""

    goods_minor: int
    restocking_fee_minor: int
    return_shipping_minor: int
    refund_minor: int
    customer_pays_shipping: bool
    keep_item: bool
    window_closes_at: datetime
    lines: tuple[tuple[int, int, int], ...] = field(default=())
    """(line id, quantity, unit price) per picked line."""


def window_closes(*, delivered_at: datetime, policy: ReturnPolicy) -> datetime:
    """The moment the return window closes: delivery plus the window's days."""
    return delivered_at + timedelta(days=policy.window_days)


def _check_window(policy: ReturnPolicy, delivered_at: datetime | None, now: datetime) -> datetime:
    if delivered_at is None:
        raise ReturnError("not_delivered", "the order has not been delivered yet")
    closes = window_closes(delivered_at=delivered_at, policy=policy)
    if now > closes:
        raise ReturnError(
            "window_closed",
            f"the {policy.window_days}-day return window closed on {closes.date().isoformat()}",
            closed_at=closes,
        )
    return closes


def _check_picks(
    policy: ReturnPolicy, bought: Iterable[Bought], picks: Iterable[Pick]
) -> list[tuple[Bought, int]]:
    lines = {line.line_id: line for line in bought}
    chosen: list[tuple[Bought, int]] = []
    seen: set[int] = set()
    for pick in picks:
        line = lines.get(pick.line_id)
        if line is None or pick.line_id in seen:
            raise ReturnError("unknown_line", f"line {pick.line_id} is not on this order")
        seen.add(pick.line_id)
        if line.sku in policy.non_returnable_skus:
            raise ReturnError("not_returnable", f"{line.sku} cannot be returned", sku=line.sku)
        left = line.quantity - line.returned
        if pick.quantity < 1 or pick.quantity > left:
            raise ReturnError(
                "quantity",
                f"{line.sku}: {pick.quantity} asked, {left} of {line.quantity} can be returned",
                sku=line.sku,
                left=left,
            )
        chosen.append((line, pick.quantity))
    if not chosen:
        raise ReturnError("nothing_picked", "pick at least one line to return")
    return chosen


def is_green(*, policy: ReturnPolicy, goods_minor: int, skus: Iterable[str]) -> bool:
    """Keep the item: the goods are worth less than the threshold, or every SKU is listed."""
    listed = list(skus)
    if policy.keep_below_minor and goods_minor < policy.keep_below_minor:
        return True
    return bool(listed) and bool(policy.keep_skus) and all(s in policy.keep_skus for s in listed)


def deductions(
    *, policy: ReturnPolicy, reason: ReturnReason, goods_minor: int, keep_item: bool
) -> tuple[int, int]:
    """Restocking fee and return postage the customer bears, each within the goods' value."""
    if keep_item or reason not in policy.customer_pays:
        return 0, 0
    fee = goods_minor * policy.restocking_fee_percent // 100
    postage = min(policy.return_shipping_minor, goods_minor - fee)
    return fee, postage


def assess(
    *,
    policy: ReturnPolicy,
    bought: Iterable[Bought],
    picks: Iterable[Pick],
    reason: str,
    resolution: str,
    delivered_at: datetime | None,
    now: datetime,
) -> Assessment:
    """Check a request against the policy; raise ReturnError with the first rule it breaks."""
    try:
        why = ReturnReason(reason)
    except ValueError:
        raise ReturnError("reason", f"unknown return reason {reason!r}") from None
    try:
        wanted = Resolution(resolution)
    except ValueError:
        raise ReturnError("resolution", f"unknown resolution {resolution!r}") from None
    closes = _check_window(policy, delivered_at, now)
    chosen = _check_picks(policy, bought, picks)
    if wanted not in policy.resolutions:
        raise ReturnError("resolution", f"this shop does not offer {wanted} for returns")
    goods = sum(line.unit_price * qty for line, qty in chosen)
    keep = is_green(policy=policy, goods_minor=goods, skus=[line.sku for line, _ in chosen])
    fee, postage = deductions(policy=policy, reason=why, goods_minor=goods, keep_item=keep)
    return Assessment(
        goods_minor=goods,
        restocking_fee_minor=fee,
        return_shipping_minor=postage,
        refund_minor=goods - fee - postage,
        customer_pays_shipping=why in policy.customer_pays and not keep,
        keep_item=keep,
        window_closes_at=closes,
        lines=tuple((line.line_id, qty, line.unit_price) for line, qty in chosen),
    )
