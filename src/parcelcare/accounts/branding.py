"""A shop's brand as messages and the tracking page show it: colour, ink on it, logo, sender.

Plain values and checks only: the model validates with these, rendering reads them.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

DEFAULT_COLOUR = "#1f2937"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
HTTPS_URL = URLValidator(schemes=["https"], message=_("Enter an https:// address."))


def colour(value: str) -> str:
    """The shop's colour when it is a hex colour, else a calm default."""
    return value if HEX_COLOUR.fullmatch(value or "") else DEFAULT_COLOUR


def ink(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    digits = background[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return "#111111" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.6 else "#ffffff"


def safe_logo(url: str) -> str:
    """The logo address when it is https, else nothing: a page must never load it in clear."""
    return url if (url or "").startswith("https://") else ""


def validate_colour(value: str) -> None:
    """Refuse anything but #rgb or #rrggbb: the value lands in CSS."""
    if value and not HEX_COLOUR.fullmatch(value):
        raise ValidationError(_("Enter a colour as #rgb or #rrggbb, for example #2f6f4f."))


def validate_carriers(value: Any) -> None:
    """Refuse anything but a list of carrier slugs."""
    if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
        raise ValidationError(_("Enter a list of carrier names."))


@dataclass(frozen=True)
class Brand:
    """What a branded page header needs: the bar's colour, the text colour on it, the logo."""

    colour: str
    ink: str
    logo_url: str
    custom: bool


def brand_of(shop: Any) -> Brand:
    """The shop's brand, falling back to the neutral look where a value is missing or unsafe."""
    chosen = shop.brand_colour if HEX_COLOUR.fullmatch(shop.brand_colour or "") else ""
    background = colour(chosen)
    return Brand(background, ink(background), safe_logo(shop.logo_url), custom=bool(chosen))
