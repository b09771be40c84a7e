"""Typed shapes of the JSON API: orders in, shipments and orders out."""

from datetime import date, datetime
from typing import Any, Literal, get_args

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AwareDatetime, Field, field_validator

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus
from parcelcare.integrations.carriers.registry import CARRIERS

from .limits import DATE_RANGE, MAX_AMOUNT_MINOR, MAX_QUANTITY, check_date, check_instant

LANGUAGE_PATTERN = r"^(nl|de|en|fr)$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
CARRIER_SLUGS: list[Any] = sorted(CARRIERS)

ConsentChannel = Literal["sms", "whatsapp"]
CONSENT_CHANNELS: tuple[str, ...] = get_args(ConsentChannel)
"""Channels that need the customer's explicit consent; e-mail about an order does not."""


class CustomerIn(Schema):
    """The customer of an order."""

    email: str | None = Field(None, max_length=254)
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=32)
    language: str | None = Field(None, pattern=LANGUAGE_PATTERN)
    consent: list[ConsentChannel] | None = Field(
        None, description="Channels the customer agreed to; leave out to keep earlier consent."
    )

    @field_validator("consent", mode="before")
    @classmethod
    def _known_channels(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        clean = [v.strip().lower() if isinstance(v, str) else v for v in value]
        for item in clean:
            if item not in CONSENT_CHANNELS:
                raise ValueError(f"unknown consent channel {item!r}; use sms or whatsapp")
        return list(dict.fromkeys(clean))

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("is not a valid e-mail address") from None
        return value.strip().lower()


class AddressIn(Schema):
    """Where the order ships to."""

    name: str = Field("", max_length=200)
    line1: str = Field("", max_length=200)
    line2: str = Field("", max_length=200)
    postcode: str = Field("", max_length=20)
    city: str = Field("", max_length=100)
    country: str = Field(..., pattern=r"^[A-Z]{2}$")


class LineIn(Schema):
    """One product line; money in integer minor units."""

    sku: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)
    unit_price: int = Field(..., ge=0, le=MAX_AMOUNT_MINOR)
    currency: str = Field(..., pattern=CURRENCY_PATTERN)


class LegIn(Schema):
    """A later leg of the same parcel under another carrier's tracking number."""

    carrier: str = Field(..., min_length=1, max_length=32)
    tracking_number: str = Field(..., min_length=1, max_length=64)

    @field_validator("carrier")
    @classmethod
    def _carrier_lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("tracking_number")
    @classmethod
    def _number_upper(cls, value: str) -> str:
        return value.strip().upper()


class ShipmentIn(Schema):
    """One parcel of the order, as the shop shipped it; `legs` for a last-mile hand-over."""

    carrier: str = Field(..., min_length=1, max_length=32)
    tracking_number: str = Field(..., min_length=1, max_length=64)
    shipped_at: AwareDatetime | None = Field(None, description=f"Aware time {DATE_RANGE}.")
    promised_delivery_date: date | None = Field(None, description=f"A date {DATE_RANGE}.")
    legs: list[LegIn] = Field(default_factory=list, max_length=5)

    @field_validator("shipped_at")
    @classmethod
    def _shipped_in_range(cls, value: datetime | None) -> datetime | None:
        if value is not None:
            check_instant(value, "shipped_at")
        return value

    @field_validator("promised_delivery_date")
    @classmethod
    def _promised_in_range(cls, value: date | None) -> date | None:
        return None if value is None else check_date(value, "promised_delivery_date")

    @field_validator("carrier")
    @classmethod
    def _carrier_lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("tracking_number")
    @classmethod
    def _number_upper(cls, value: str) -> str:
        return value.strip().upper()


class OrderIn(Schema):
    """An order with its customer, address, lines and shipments."""

    order_number: str = Field(..., min_length=1, max_length=64)
    placed_at: AwareDatetime = Field(..., description=f"Aware time {DATE_RANGE}.")
    currency: str = Field(..., pattern=CURRENCY_PATTERN)
    customer: CustomerIn
    shipping_address: AddressIn
    lines: list[LineIn] = Field(default_factory=list, max_length=500)
    shipments: list[ShipmentIn] = Field(default_factory=list, max_length=50)

    @field_validator("placed_at")
    @classmethod
    def _placed_in_range(cls, value: datetime) -> datetime:
        check_instant(value, "placed_at")
        return value


class EventIn(Schema):
    """One carrier tracking event (documentation of the batch items; `normalise` checks them)."""

    carrier: str = Field(
        ...,
        max_length=32,
        json_schema_extra={"enum": CARRIER_SLUGS},
        description="The carrier's slug (`parcelcare carriers`).",
    )
    tracking_number: str = Field(..., min_length=1, max_length=64)
    occurred_at: AwareDatetime = Field(
        ..., description=f"Aware time {DATE_RANGE}, at most an hour ahead of the server's clock."
    )
    code: str = Field(..., min_length=1, max_length=64)
    status: ShipmentStatus | None = None
    description: str = Field("", max_length=500)
    location: str = Field("", max_length=200)
    reason: IncidentReason | None = None


class EventBatchOut(Schema):
    """What happened to a batch of events."""

    accepted: int
    duplicates: int
    unattached: int
    rejected: list[dict[str, Any]]


class FindingOut(Schema):
    """An open finding with its evidence."""

    kind: str
    level: int | None
    attempt: int | None
    reason: str | None
    evidence: dict[str, Any]
    opened_at: datetime
    informational: bool = False
    """True for a good outcome (`delivered`): the shipment's status, not a problem."""


class EventOut(Schema):
    """One event of a shipment's timeline."""

    carrier: str
    occurred_at: datetime
    code: str
    status: str | None
    reason: str | None
    description: str
    location: str


class ShipmentOut(Schema):
    """A shipment in a list."""

    id: int
    order_number: str
    carrier: str
    tracking_number: str
    status: str
    reason: str | None
    shipped_at: datetime | None
    promised_delivery_date: date | None
    last_event_at: datetime | None
    delivered_at: datetime | None
    next_review_at: datetime | None
    findings: list[FindingOut]


class ShipmentDetailOut(ShipmentOut):
    """A shipment with its timeline (all legs in one journey)."""

    legs: list[dict[str, str]]
    failed_attempts: int
    unknown_codes: int
    pickup_point: dict[str, str] = Field(
        default_factory=dict,
        description="The pickup point as the carrier named it: name, address, hours; {} if none.",
    )
    timeline: list[EventOut]


class ShipmentPage(Schema):
    """One page of shipments and the cursor of the next."""

    items: list[ShipmentOut]
    next_cursor: str | None


class LineOut(Schema):
    """One order line."""

    sku: str
    name: str
    quantity: int
    unit_price: int
    currency: str


class OrderOut(Schema):
    """An order with its lines and shipments."""

    order_number: str
    placed_at: datetime
    currency: str
    total: int
    customer: dict[str, Any]
    shipping_address: dict[str, Any]
    lines: list[LineOut]
    shipments: list[ShipmentOut]
