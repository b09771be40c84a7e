"""Carrier event texts that come only in English, said in the customer's language instead."""

from django.utils.translation import gettext

from parcelcare.integrations.carriers.registry import CARRIERS

ENGLISH_ONLY = ("cainiao", "yunexpress")
"""Carriers whose event texts are English whatever the parcel's destination."""

STANDARD: dict[tuple[str, str], str] = {
    (slug, code): text
    for slug in ENGLISH_ONLY
    for code, text in CARRIERS[slug].descriptions.items()
}
"""The English text of each known code; its translations are in the catalogs (msgid = text)."""


def event_text(carrier: str, code: str, raw: str, lang: str) -> tuple[str, str]:
    """(what the page says, the carrier's own words when they add something) for one event."""
    standard = STANDARD.get((carrier, code))
    if standard is None or lang == "en":
        return raw, ""
    # The code's text in the page's language; the carrier's English stays beside it when it says
    # more than the code does (a city, a flight), so nothing the carrier reported is lost.
    says_more = raw.strip() and raw.strip().casefold() != standard.casefold()
    return gettext(standard), raw if says_more else ""
