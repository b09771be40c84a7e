"""`{{ shop.timezone|zone_label }}`: a time zone as a person reads it, in the active language."""

from django import template

from parcelcare import clock
from parcelcare.tracking.zone_words import zone_label as words

register = template.Library()


@register.filter
def zone_label(name: str) -> str:
    """'Amsterdam time (CET)' for 'Europe/Amsterdam', as it reads now."""
    return words(str(name or ""), now=clock.now())
