"""What each registered carrier or aggregator adapter can do, for `parcelcare carriers`."""

from importlib.util import find_spec
from typing import Any

from .carriers.detect import PATTERNS, S10_COUNTRIES
from .carriers.registry import CARRIERS
from .polling.client import supports, via_karrio
from .sources import SOURCES

MODULE_OF = {"17track": "seventeentrack", "shopify": "shopify_fulfillment"}
"""Folder names that differ from the slug (a module name cannot start with a digit)."""


def _detectable() -> set[str]:
    slugs = {slug for _, slug, _ in PATTERNS} | {slug for slug, _ in S10_COUNTRIES.values()}
    return slugs | {"ups"}


def adapters() -> list[dict[str, Any]]:
    """One row per adapter: code table size, and whether it parses, takes webhooks, detects."""
    detectable = _detectable()
    rows = []
    for slug, info in CARRIERS.items():
        folder = MODULE_OF.get(slug, slug)
        rows.append(
            {
                "slug": slug,
                "name": info.name,
                "codes": len(info.codes),
                "parser": find_spec(f"parcelcare.integrations.carriers.{folder}.parse") is not None,
                "webhook": slug in SOURCES,
                "detection": slug in detectable,
                "polling": ("karrio" if via_karrio(slug) else "yes") if supports(slug) else "-",
            }
        )
    return rows
