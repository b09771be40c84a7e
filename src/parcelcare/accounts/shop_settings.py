"""A shop's country, time zone and language, checked before they are stored."""

from functools import lru_cache
from zoneinfo import available_timezones

import holidays
from babel import Locale

from parcelcare.domain.vocabulary import LANGUAGES


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes whose public holidays are known (so business days are right)."""
    iso = set(Locale.parse("en").territories)
    return frozenset(c for c in holidays.list_supported_countries() if len(c) == 2 and c in iso)


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(available_timezones())


def check_country(country: str) -> str:
    """The country code in capitals; ValueError naming the problem otherwise."""
    code = country.strip().upper()
    if code in countries():
        return code
    hint = " (the United Kingdom is GB)" if code == "UK" else ""
    raise ValueError(
        f"unknown country {country!r}{hint}: give an ISO 3166-1 alpha-2 code whose public "
        "holidays are known, such as NL, BE, DE or FR"
    )


def check_time_zone(zone: str) -> str:
    """The IANA time zone name as given; ValueError naming the problem otherwise."""
    if zone in time_zones():
        return zone
    match = next((z for z in sorted(time_zones()) if z.lower() == zone.strip().lower()), None)
    hint = f"; did you mean {match}?" if match else ", such as Europe/Amsterdam"
    raise ValueError(f"unknown time zone {zone!r}: give an IANA name{hint}")


def check_language(language: str) -> str:
    """One of parcelcare's languages; ValueError naming the problem otherwise."""
    code = language.strip().lower()
    if code in LANGUAGES:
        return code
    raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
