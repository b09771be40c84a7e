"""What a message may say: the facts of one shop, customer and shipment, formatted per locale."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from babel.numbers import format_currency, get_currency_precision

from parcelcare.integrations.carriers.names import carrier_name

REQUIRED = ("shop_name", "language", "order_number", "carrier_name", "tracking_url")
"""Fields every message needs: without them no template reads well."""


@dataclass(frozen=True, kw_only=True)
class MessageContext:
    """The facts one message is written from; dates are plain dates, moments aware datetimes."""

    shop_name: str
    language: str
    order_number: str
    carrier_name: str
    tracking_url: str
    shop_language: str = "en"
    brand_colour: str = ""
    logo_url: str = ""
    signature: str = ""
    sender_name: str = ""
    customer_name: str = ""
    tracking_number: str = ""
    unsubscribe_url: str = ""
    promised_date: date | None = None
    deadline: date | None = None
    days_left: int | None = None
    pickup_name: str = ""
    pickup_address: str = ""
    pickup_hours: str = ""
    level: int | None = None
    attempt: int | None = None
    reason: str = ""
    voucher_minor_units: int = 0
    voucher_currency: str = ""
    voucher_code: str = ""
    label_created_at: datetime | None = None
    business_days: int | None = None
    time_zone: str = "UTC"
    case_reference: str = ""
    case_url: str = ""
    playbook: str = ""
    status: str = ""
    step: str = ""
    remedy: str = ""
    amount_minor_units: int = 0
    amount_currency: str = ""
    share_percent: int = 0
    body: str = ""
    survey_url: str = ""
    return_address: str = ""
    arrived_at: datetime | None = None
    """When a return parcel arrived back at the shop."""

    def __post_init__(self) -> None:
        """Refuse a context that would render a broken or misleading message."""
        missing = [name for name in REQUIRED if not str(getattr(self, name)).strip()]
        if missing:
            raise ValueError(f"a message needs {', '.join(missing)}")
        voucher, currency = self.voucher_minor_units, self.voucher_currency
        if type(voucher) is not int or voucher < 0:
            raise ValueError("voucher_minor_units must be a whole number, at least 0")
        if voucher and not (len(currency) == 3 and currency.isascii() and currency.isupper()):
            raise ValueError("a voucher needs an ISO 4217 currency such as 'EUR'")
        for name in ("label_created_at", "arrived_at"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error

    @classmethod
    def from_payload(cls, payload: Mapping[str, str | int], **facts: Any) -> "MessageContext":
        """A context from a MessageIntent's payload plus the shop, customer and shipment facts."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in payload.items() if k in known}
        for name in ("promised_date", "deadline"):
            if isinstance(values.get(name), str):
                values[name] = date.fromisoformat(str(values[name])) if values[name] else None
        for name in ("label_created_at", "arrived_at"):
            if isinstance(values.get(name), str):
                raw = str(values[name])
                values[name] = datetime.fromisoformat(raw) if raw else None
        carrier = str(payload.get("carrier", ""))
        if carrier and "carrier_name" not in facts:
            values["carrier_name"] = carrier_name(carrier)
        return cls(**(values | facts))

    @property
    def first_name(self) -> str:
        """The customer's first name, for a friendly greeting; empty when unknown."""
        parts = self.customer_name.split()
        return parts[0] if parts else ""

    @property
    def sign_off(self) -> str:
        """The lines under the closing words: the shop's signature, else sender and shop."""
        if self.signature.strip():
            return self.signature.strip()
        return "\n".join(part for part in (self.sender_name.strip(), self.shop_name) if part)

    def money(self, minor_units: int, currency: str, locale: str) -> str:
        """An amount in minor units, shown the way the locale writes money."""
        # The one conversion to a decimal amount, exact: Decimal shifts the point, no float.
        amount = Decimal(minor_units).scaleb(-get_currency_precision(currency))
        return format_currency(amount, currency, locale=locale)

    def values(self, locale: str) -> dict[str, Any]:
        """The variables a template sees, with dates and money written for `locale`."""

        def long_date(day: date | None) -> str:
            return format_date(day, format="long", locale=locale) if day else ""

        def local_date(moment: datetime | None) -> str:
            return long_date(moment.astimezone(ZoneInfo(self.time_zone)).date() if moment else None)

        voucher = self.voucher_minor_units
        return {
            "language": locale,
            "shop_name": self.shop_name,
            "signature": self.sign_off,
            "sender_name": self.sender_name,
            "customer_name": self.customer_name,
            "first_name": self.first_name,
            "order_number": self.order_number,
            "carrier": self.carrier_name,
            "tracking_number": self.tracking_number,
            "tracking_url": self.tracking_url,
            "unsubscribe_url": self.unsubscribe_url,
            "promised_date": long_date(self.promised_date),
            "deadline": long_date(self.deadline),
            "days_left": self.days_left,
            "pickup_name": self.pickup_name,
            "pickup_address": self.pickup_address,
            "pickup_hours": self.pickup_hours,
            "level": self.level,
            "attempt": self.attempt,
            "reason": self.reason,
            "voucher": self.money(voucher, self.voucher_currency, locale) if voucher else "",
            "voucher_code": self.voucher_code,
            "label_created": local_date(self.label_created_at),
            "business_days": self.business_days,
            "case_reference": self.case_reference,
            "case_url": self.case_url,
            "playbook": self.playbook,
            "status": self.status,
            "step": self.step,
            "remedy": self.remedy,
            "amount": self._amount(locale),
            "share_percent": self.share_percent,
            "body": self.body,
            "survey_url": self.survey_url,
            "return_address": self.return_address,
            "arrived_on": local_date(self.arrived_at),
        }

    def _amount(self, locale: str) -> str:
        """A case's remedy amount written for the locale; empty when there is none."""
        if not self.amount_minor_units or not self.amount_currency:
            return ""
        return self.money(self.amount_minor_units, self.amount_currency, locale)


def shop_facts(shop: Any) -> dict[str, Any]:
    """The facts every message of a shop carries: its name, language, zone and brand."""
    return {
        "shop_name": shop.name,
        "shop_language": shop.default_language,
        "time_zone": shop.timezone,
        "brand_colour": shop.brand_colour,
        "logo_url": shop.logo_url,
        "signature": shop.signature,
        "sender_name": shop.sender_name,
    }


VARIABLES = frozenset(
    MessageContext(
        shop_name="-", language="en", order_number="-", carrier_name="-", tracking_url="-"
    ).values("en")
)
"""Every variable name a template, or a shop's override, may use."""
