"""Money and remedy-ledger arithmetic: integer minor units plus an ISO 4217 code, never float.

`refundable` = paid - (refund + partial_refund + chargeback) + chargeback_reversal, kept within
[0, paid]: a chargeback gives the payment back through the bank, and its reversal takes it back.

What `check_entry` refuses for a new line against the order's payment and earlier lines:

| rule                          | refused when                                                  |
|-------------------------------|---------------------------------------------------------------|
| one currency per order        | the line's currency is not the one the order was paid in      |
| idempotency                   | the line's idempotency key is already in the ledger           |
| positive amounts              | amount <= 0; a reship may be 0 (its cost is booked elsewhere)  |
| no refund beyond payment      | refund or partial_refund > what is refundable                 |
| chargeback within the payment | chargeback > payment - chargebacks not yet reversed; it is    |
|                               | booked even after a refund (the bank decided; shop paid twice) |
| a refund is the whole rest    | refund != what is refundable: less than that is partial_refund |
| reversal only of a chargeback | chargeback_reversal > chargebacks not yet reversed            |

A `refund` therefore always leaves nothing refundable: the first one equals the payment, and one
after a partial refund equals the remainder. Anything smaller is booked as `partial_refund`, so the
ledger says plainly whether the customer got everything back.

`net_cost` counts vouchers and store credit at face value: the shop has promised them, whether or
not the customer spends them. A reship counts with its recorded cost.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import LedgerError


class RemedyKind(StrEnum):
    """Every kind of remedy ledger entry (DESIGN.md section 2)."""

    REFUND = "refund"
    PARTIAL_REFUND = "partial_refund"
    RESHIP = "reship"
    VOUCHER = "voucher"
    STORE_CREDIT = "store_credit"
    RETURN_SHIPPING = "return_shipping"
    CARRIER_CLAIM_RECOVERY = "carrier_claim_recovery"
    INSURANCE_PAYOUT = "insurance_payout"
    CHARGEBACK = "chargeback"
    CHARGEBACK_REVERSAL = "chargeback_reversal"


R = RemedyKind

MONEY_OUT = frozenset(
    {R.REFUND, R.PARTIAL_REFUND, R.VOUCHER, R.STORE_CREDIT, R.RETURN_SHIPPING, R.CHARGEBACK}
)
"""Kinds where value leaves the shop towards the customer (vouchers at face value)."""

MONEY_IN = frozenset({R.CARRIER_CLAIM_RECOVERY, R.INSURANCE_PAYOUT, R.CHARGEBACK_REVERSAL})
"""Kinds where money comes back to the shop."""

REFUNDS = frozenset({R.REFUND, R.PARTIAL_REFUND, R.CHARGEBACK})
"""Kinds that give back what the customer paid, so they are capped by the payment."""

COST_OUT = MONEY_OUT | {R.RESHIP}
"""Kinds that count as cost in `net_cost`: money out plus the cost of a reship."""


def _check_currency(currency: object) -> None:
    """Refuse anything that is not a three-letter upper-case ISO 4217 code."""
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
        and currency.isupper()
    ):
        raise LedgerError(f"currency must be an ISO 4217 code such as 'EUR', got {currency!r}")


def _check_minor_units(amount: object) -> None:
    """Refuse floats, bools and anything else that is not an integer amount of minor units."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise LedgerError(f"amounts are integer minor units (1250 = 12.50), got {amount!r}")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        _check_minor_units(self.amount)
        _check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        """No money in the given currency."""
        return cls(0, currency)

    def _same_currency(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise LedgerError(f"cannot combine money with {other!r}")
        if other.currency != self.currency:
            raise LedgerError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One remedy ledger entry: its kind, amount in minor units, currency and idempotency key."""

    kind: RemedyKind
    amount: int
    currency: str
    idempotency_key: str

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", RemedyKind(self.kind))
        except ValueError:
            raise LedgerError(f"unknown remedy kind {self.kind!r}") from None
        _check_minor_units(self.amount)
        _check_currency(self.currency)
        if not isinstance(self.idempotency_key, str) or not self.idempotency_key.strip():
            raise LedgerError("a ledger line needs a non-empty idempotency key")

    @property
    def money(self) -> Money:
        """The line's amount as Money."""
        return Money(self.amount, self.currency)


def _order_lines(paid: Money, lines: Iterable[LedgerLine]) -> tuple[LedgerLine, ...]:
    """The lines as a tuple, refusing a negative payment or a line in another currency."""
    if paid.amount < 0:
        raise LedgerError(f"an order cannot be paid a negative amount ({paid.amount})")
    kept = tuple(lines)
    for line in kept:
        if line.currency != paid.currency:
            raise LedgerError(
                f"ledger line {line.idempotency_key!r} is in {line.currency} "
                f"but the order was paid in {paid.currency}"
            )
    return kept


def refundable(*, paid: Money, lines: Iterable[LedgerLine]) -> Money:
    """What may still be refunded: paid - refunds + chargeback reversals, within [0, paid]."""
    kept = _order_lines(paid, lines)
    given_back = sum(line.amount for line in kept if line.kind in REFUNDS)
    taken_back = sum(line.amount for line in kept if line.kind == R.CHARGEBACK_REVERSAL)
    left = paid.amount - given_back + taken_back
    return Money(min(paid.amount, max(0, left)), paid.currency)


def replayed(*, lines: Iterable[LedgerLine], new: LedgerLine) -> bool:
    """Whether exactly this line is already in the ledger, so a retry can return it unchanged."""
    return any(line == new for line in lines)


def _check_amount(new: LedgerLine) -> None:
    """Refuse amounts that are not positive; a reship may be 0."""
    if new.kind == R.RESHIP:
        if new.amount < 0:
            raise LedgerError(f"a reship cannot cost a negative amount ({new.amount})")
    elif new.amount <= 0:
        raise LedgerError(f"a {new.kind} needs a positive amount, got {new.amount}")


def _check_refund(paid: Money, lines: tuple[LedgerLine, ...], new: LedgerLine) -> None:
    """Refuse a refund, partial refund or chargeback beyond what is refundable."""
    left = refundable(paid=paid, lines=lines).amount
    unit = f"{paid.currency} minor units; paid {paid.amount}"
    if new.amount > left:
        raise LedgerError(
            f"{new.kind} of {new.amount} exceeds the {left} still refundable ({unit})"
        )
    if new.kind == R.REFUND and new.amount != left:
        raise LedgerError(
            f"a full refund must be the remaining {left} ({unit}); "
            f"book {new.amount} as a partial_refund"
        )


def _check_reversal(lines: tuple[LedgerLine, ...], new: LedgerLine) -> None:
    """Refuse a chargeback reversal larger than the chargebacks not yet reversed."""
    charged = sum(line.amount for line in lines if line.kind == R.CHARGEBACK)
    reversed_ = sum(line.amount for line in lines if line.kind == R.CHARGEBACK_REVERSAL)
    if new.amount > charged - reversed_:
        raise LedgerError(
            f"chargeback reversal of {new.amount} exceeds the {charged - reversed_} "
            f"charged back and not yet reversed ({new.currency} minor units)"
        )


def _check_chargeback(paid: Money, lines: tuple[LedgerLine, ...], new: LedgerLine) -> None:
    """A chargeback is the bank's decision, booked even after a refund (the shop then paid
    twice), but it can never take back more than the payment itself."""
    charged = sum(line.amount for line in lines if line.kind == R.CHARGEBACK)
    reversed_ = sum(line.amount for line in lines if line.kind == R.CHARGEBACK_REVERSAL)
    left = paid.amount - (charged - reversed_)
    if new.amount > left:
        raise LedgerError(
            f"chargeback of {new.amount} exceeds the {left} of the payment not yet charged "
            f"back ({paid.currency} minor units; paid {paid.amount})"
        )


def check_entry(*, paid: Money, lines: Iterable[LedgerLine], new: LedgerLine) -> None:
    """Raise LedgerError when `new` cannot join the order's ledger; see the module's table."""
    if new.currency != paid.currency:
        raise LedgerError(
            f"a {new.kind} in {new.currency} cannot be booked on an order paid in {paid.currency}"
        )
    kept = _order_lines(paid, lines)
    for line in kept:
        if line.idempotency_key == new.idempotency_key:
            raise LedgerError(
                f"idempotency key {new.idempotency_key!r} is already booked "
                f"(as {line.kind} of {line.amount} {line.currency})"
            )
    _check_amount(new)
    if new.kind == R.CHARGEBACK:
        _check_chargeback(paid, kept, new)
    elif new.kind in REFUNDS:
        _check_refund(paid, kept, new)
    elif new.kind == R.CHARGEBACK_REVERSAL:
        _check_reversal(kept, new)


def net_cost(lines: Iterable[LedgerLine]) -> dict[str, int]:
    """Cost per currency in minor units: money out and reship costs minus money in."""
    totals: dict[str, int] = {}
    for line in lines:
        sign = 1 if line.kind in COST_OUT else -1
        totals[line.currency] = totals.get(line.currency, 0) + sign * line.amount
    return totals
