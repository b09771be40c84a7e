"""Language, time zone and dates as the customer's pages write them."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_skeleton
from django.utils.translation import gettext as _

from parcelcare.accounts.models import Shop
from parcelcare.domain.vocabulary import LANGUAGES

DEFAULT_LANGUAGE = "en"


def page_language(*choices: str | None) -> str:
    """The first choice that is a supported language ('de-AT' counts as 'de'), else English."""
    for choice in choices:
        code = (choice or "").strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def shop_zone(shop: Shop) -> ZoneInfo:
    """The shop's time zone; UTC when the stored name is not a known zone."""
    try:
        return ZoneInfo(shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def long_day(day: date, lang: str) -> str:
    """A date with its weekday and without the year, e.g. 'maandag 16 november'."""
    locale = Locale.parse(lang)
    pattern = re.sub(r"[\s,.]*y+", "", str(locale.date_formats["full"].pattern)).strip(" ,")
    return format_date(day, pattern, locale=locale)


def long_moment(moment: datetime, zone: ZoneInfo, lang: str) -> str:
    """A moment as its local weekday, date and time, e.g. 'Monday, November 16 at 14:05'."""
    local = moment.astimezone(zone)
    hour = format_skeleton("Hm", local, locale=Locale.parse(lang))
    return _("%(day)s at %(time)s") % {"day": long_day(local.date(), lang), "time": hour}
