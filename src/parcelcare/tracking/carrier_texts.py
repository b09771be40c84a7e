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


def event_text(
    carrier: str, code: str, raw: str, lang: str, parcel_carrier: str = ""
) -> tuple[str, str]:
    """(what the page says, the carrier's own words when they add something) for one event;
    `parcel_carrier` is the parcel's own carrier when an aggregator relayed the event."""
    if lang == "en":
        return raw, ""
    standard = STANDARD.get((carrier, code))
    if standard is None:
        if parcel_carrier in ENGLISH_ONLY and carrier not in ENGLISH_ONLY and raw.strip():
            # Relayed by an aggregator in the carrier's English: the status label says it in the
            # customer's language; the English stays beside it as what the carrier wrote.
            return "", raw
        return raw, ""
    # The code's text in the page's language; the carrier's English stays beside it when it says
    # more than the code does (a city, a flight), so nothing the carrier reported is lost.
    says_more = raw.strip() and raw.strip().casefold() != standard.casefold()
    return gettext(standard), raw if says_more else ""
