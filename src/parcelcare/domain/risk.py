"""An explainable risk score for a "not received" or lost claim, and contact normalisation.

score = clamp(BASE + sum of the weights of the factors that apply, 0, 100). Each factor carries a
stable machine key (the UI translates it), its signed weight (positive raises the risk that the
claim is not genuine, negative lowers it) and the numbers behind it. Bands: high from 70, medium
from 40, low below that; `RemedyPolicy.high_risk_score` defaults to the same 70.

Contacts are compared in normalised form: `normalise_address`, `normalise_phone` and
`normalise_email` give equal strings for the same contact written differently, so earlier claims
can be matched by e-mail, phone or address across customer ids.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class PodStrength(StrEnum):
    """How strongly the carrier can prove the delivery."""

    NONE = "none"
    SCAN_ONLY = "scan_only"
    PHOTO = "photo"
    SIGNATURE = "signature"
    SIGNATURE_AND_GPS = "signature_and_gps"


class RiskBand(StrEnum):
    """A score's band, for sorting and colour in the case desk."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


BASE = 30
"""Where every claim starts: a plain claim with a delivery scan only lands in the low band."""

BANDS: tuple[tuple[int, RiskBand], ...] = ((70, RiskBand.HIGH), (40, RiskBand.MEDIUM))
"""Lowest score of each band above low, highest first."""

WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        # Per earlier claim by this customer: honest customers rarely lose parcel after parcel,
        # so repetition is the strongest single signal. Counted up to LIMITS' cap.
        "earlier_claims_by_customer": 15,
        # Per earlier claim under another customer id with the same e-mail, phone or address:
        # a new account on a known contact looks like dodging the history, so it weighs more.
        "earlier_claims_same_contact": 20,
        # No proof of delivery at all: the carrier cannot show the parcel arrived.
        "pod_none": -10,
        # A scan alone is the ordinary case and adds nothing; a photo shows a door, maybe ours.
        "pod_photo": 10,
        # Someone signed for it at the address.
        "pod_signature": 20,
        # A signature placed at the address by GPS leaves little room for a mistake.
        "pod_signature_and_gps": 25,
        # The carrier delivered elsewhere than the order's address: the carrier erred, not the
        # customer, so this lowers the customer's risk as much as a signature raises it.
        "address_mismatch": -20,
        # One or two earlier orders delivered without a claim.
        "returning_customer": -5,
        # Many orders delivered without a claim: a habit of honest dealing.
        "loyal_customer": -15,
        # No history to judge by; a small nudge only, most first orders are honest.
        "first_order": 5,
        # A much larger order than usual makes a false claim worth more to its maker.
        "high_order_value": 10,
        # Parcels are missed within days; noticing weeks later is less usual.
        "late_claim": 10,
    }
)
"""The weight of every factor, by its machine key."""

LIMITS: Mapping[str, float] = MappingProxyType(
    {
        "earlier_claims_by_customer": 3,
        "earlier_claims_same_contact": 2,
        "loyal_orders": 3,
        "high_value_ratio": 2.0,
        "late_claim_days": 14,
    }
)
"""Claims counted at most per kind, orders for loyalty, value ratio and days that trigger."""


@dataclass(frozen=True, slots=True)
class ClaimSignals:
    """The facts about a claim and its customer that the score weighs."""

    earlier_claims_by_customer: int
    earlier_claims_same_contact: int
    pod_strength: PodStrength
    days_since_delivery: int | None
    order_value_minor: int
    typical_order_value_minor: int
    first_order: bool
    address_mismatch: bool
    customer_orders: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "pod_strength", PodStrength(self.pod_strength))
        counts = {
            "earlier_claims_by_customer": self.earlier_claims_by_customer,
            "earlier_claims_same_contact": self.earlier_claims_same_contact,
            "order_value_minor": self.order_value_minor,
            "typical_order_value_minor": self.typical_order_value_minor,
            "customer_orders": self.customer_orders,
            "days_since_delivery": self.days_since_delivery or 0,
        }
        negative = sorted(name for name, value in counts.items() if value < 0)
        if negative:
            raise ValueError(f"claim signals cannot be negative: {', '.join(negative)}")


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One reason behind a score: machine key, signed weight and the numbers behind it."""

    key: str
    weight: int
    detail: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class RiskScore:
    """A claim's score from 0 to 100, its band and the factors, largest |weight| first."""

    score: int
    band: RiskBand
    factors: tuple[RiskFactor, ...]


def _factor(key: str, times: int = 1, **detail: object) -> RiskFactor:
    return RiskFactor(key, WEIGHTS[key] * times, detail)


def _claims(signals: ClaimSignals) -> list[RiskFactor]:
    found = []
    for key in ("earlier_claims_by_customer", "earlier_claims_same_contact"):
        count = getattr(signals, key)
        if count:
            found.append(_factor(key, min(count, int(LIMITS[key])), claims=count))
    return found


def _proof(signals: ClaimSignals) -> list[RiskFactor]:
    if signals.pod_strength == PodStrength.SCAN_ONLY:
        return []
    return [_factor(f"pod_{signals.pod_strength}", strength=str(signals.pod_strength))]


def _history(signals: ClaimSignals) -> list[RiskFactor]:
    found = []
    if signals.first_order:
        found.append(_factor("first_order"))
    orders = signals.customer_orders
    if orders >= LIMITS["loyal_orders"]:
        found.append(_factor("loyal_customer", orders=orders))
    elif orders:
        found.append(_factor("returning_customer", orders=orders))
    return found


def _circumstances(signals: ClaimSignals) -> list[RiskFactor]:
    found = []
    if signals.address_mismatch:
        found.append(_factor("address_mismatch"))
    typical = signals.typical_order_value_minor
    if typical > 0 and signals.order_value_minor >= LIMITS["high_value_ratio"] * typical:
        ratio = round(signals.order_value_minor / typical, 1)
        found.append(
            _factor(
                "high_order_value",
                ratio=ratio,
                order_value_minor=signals.order_value_minor,
                typical_order_value_minor=typical,
            )
        )
    days = signals.days_since_delivery
    if days is not None and days >= LIMITS["late_claim_days"]:
        found.append(_factor("late_claim", days=days))
    return found


RULES: tuple[Callable[[ClaimSignals], list[RiskFactor]], ...] = (
    _claims,
    _proof,
    _history,
    _circumstances,
)


def band_for(score: int) -> RiskBand:
    """The band a score falls in."""
    for lowest, band in BANDS:
        if score >= lowest:
            return band
    return RiskBand.LOW


def score_claim(signals: ClaimSignals) -> RiskScore:
    """Score a claim: clamp(BASE + weights, 0, 100), with the factors that apply."""
    factors = sorted(
        (factor for rule in RULES for factor in rule(signals)),
        key=lambda factor: (-abs(factor.weight), factor.key),
    )
    score = max(0, min(100, BASE + sum(factor.weight for factor in factors)))
    return RiskScore(score, band_for(score), tuple(factors))


def _plain(text: str) -> str:
    """Casefolded, accents dropped, every run of non-alphanumerics turned into one space."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def normalise_address(*, line1: str, postcode: str, country: str) -> str:
    """One comparable string for an address: "Keizersgracht 12 A" equals "keizersgracht 12a"."""
    street = re.sub(r"(?<=\d) (?=[a-z]\b)", "", _plain(line1))
    return "|".join((street, _plain(postcode).replace(" ", ""), _plain(country).replace(" ", "")))


def normalise_phone(raw: str, *, default_country_code: str | None = None) -> str:
    """Digits only, "+" kept before a country code ("00" counts as "+"); no number validation."""
    text = raw.strip().replace("(0)", "")
    digits = "".join(char for char in text if char.isascii() and char.isdigit())
    if text.startswith("+"):
        return f"+{digits}" if digits else ""
    if digits.startswith("00"):
        return f"+{digits[2:]}" if digits[2:] else ""
    if default_country_code and digits.startswith("0"):
        return f"+{default_country_code.lstrip('+')}{digits[1:]}"
    return digits


def normalise_email(raw: str) -> str:
    """An e-mail address trimmed and casefolded for comparison."""
    return raw.strip().casefold()
