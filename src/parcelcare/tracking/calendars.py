"""Business calendars per shop: its time zone, weekends and its country's public holidays."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from parcelcare.domain.calendar import BusinessCalendar


@lru_cache(maxsize=256)
def business_calendar(
    timezone: str, country: str, first_year: int, last_year: int
) -> BusinessCalendar:
    """The calendar for a time zone and country, with holidays of the years given."""
    years = range(first_year, last_year + 1)
    try:
        days: Iterable[date] = holidays.country_holidays(country.upper(), years=years).keys()
    except NotImplementedError:
        days = ()
    return BusinessCalendar.of(ZoneInfo(timezone), days)
