"""Order numbers, tracking numbers, postcodes and e-mail addresses found in a message's text."""

import re
from dataclasses import dataclass

ORDER_WORDS = (
    r"order|bestelling|bestelnummer|bestelnr|ordernummer|ordernr|bestellung|bestellnummer|"
    r"auftrag|auftragsnummer|commande|cde|purchase|n°|nr|no|number|nummer|numéro"
)
ORDER_AFTER_WORD = re.compile(
    rf"(?:{ORDER_WORDS})\.?\s*(?:#|:|n°|nr\.?|no\.?|number|nummer|numéro)?\s*"
    r"(#?[A-Z]{0,4}-?\d{3,12})\b",
    re.IGNORECASE,
)
HASH_NUMBER = re.compile(r"(?<![\w#])#\s?([A-Z]{0,4}-?\d{3,12})\b", re.IGNORECASE)
TRACKING = re.compile(
    r"\b("
    r"3S[A-Z]{3,4}\d{6,12}"  # PostNL
    r"|[A-Z]{2}\d{9}[A-Z]{2}"  # UPU S10 (post, Cainiao, YunExpress)
    r"|1Z[0-9A-Z]{16}"  # UPS
    r"|JJD\d{10,20}|JVGL\d{8,20}"  # DHL
    r"|00\d{18}"  # DHL Germany / SSCC
    r"|[0-9][A-Z]\d{11}"  # Colissimo
    r"|\d{14}"  # DPD, GLS, bpost
    r"|YT\d{16}|LP\d{14}"  # YunExpress, Cainiao
    r")\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(
    r"\b(\d{4}\s?[A-Z]{2}|\d{5}|\d{4}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b", re.IGNORECASE
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Extracted:
    """Candidates found in a message, best first; nothing here is checked against any shop."""

    order_numbers: tuple[str, ...]
    tracking_numbers: tuple[str, ...]
    postcodes: tuple[str, ...]
    emails: tuple[str, ...]

    @property
    def order_number(self) -> str | None:
        """The most likely order number, or None."""
        return self.order_numbers[0] if self.order_numbers else None


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def extract(text: str) -> Extracted:
    """Every candidate in `text`; tracking numbers are never taken for order numbers."""
    tracking = _unique([m.group(1).upper() for m in TRACKING.finditer(text)])
    orders = [m.group(1).lstrip("#").upper() for m in ORDER_AFTER_WORD.finditer(text)]
    orders += [m.group(1).upper() for m in HASH_NUMBER.finditer(text)]
    orders = [o for o in orders if o not in tracking and not _is_money_or_date(text, o)]
    without = EMAIL.sub(" ", text)
    postcodes = [m.group(1).upper() for m in POSTCODE.finditer(without)]
    return Extracted(
        order_numbers=_unique(orders),
        tracking_numbers=tracking,
        postcodes=_unique([p for p in postcodes if p not in orders]),
        emails=_unique([m.group(0).lower() for m in EMAIL.finditer(text)]),
    )


def _is_money_or_date(text: str, candidate: str) -> bool:
    """A number followed by a currency or preceded by one is an amount, not an order."""
    pattern = (
        rf"(?:[€$£]\s?{re.escape(candidate)}|{re.escape(candidate)}\s?(?:€|eur|euro|usd|\$|£))"
    )
    return re.search(pattern, text, re.IGNORECASE) is not None
