"""A time zone as a person reads it: "Amsterdam time (CET)", in the active language."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location, get_timezone_name
from django.utils import translation
from django.utils.translation import gettext as _

OFFSET_ONLY = re.compile(r"^(?:GMT|UTC)?[+-]\d")
"""Abbreviations that are only an offset ("+0100", "+04", "GMT+1"): no better than a number."""


def _locale() -> Locale:
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _abbreviation(local: datetime, locale: Locale) -> str:
    """The zone's short name in this language (MEZ, CET), else the offset as UTC+1."""
    for name in (get_timezone_name(local, "short", locale=locale), local.tzname() or ""):
        if name and not OFFSET_ONLY.match(name):
            return name
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(name: str, *, now: datetime) -> str:
    """'Amsterdam time (CET)' for 'Europe/Amsterdam', as the zone reads at `now`."""
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name
    if name in ("UTC", "Etc/UTC", "GMT", "Etc/GMT"):
        return "UTC"
    locale = _locale()
    local = now.astimezone(zone)
    city = get_timezone_location(zone, locale=locale, return_city=True)
    return _("%(city)s time (%(abbreviation)s)") % {
        "city": city,
        "abbreviation": _abbreviation(local, locale),
    }
