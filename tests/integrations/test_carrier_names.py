"""One carrier-name lookup: registry names, names beyond the registry, tidy unknown slugs."""

import pytest

from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.integrations.carriers.registry import CARRIERS


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("postnl", "PostNL"),
        ("dhl", "DHL"),
        ("17track", "17TRACK"),
        ("seventeentrack", "17TRACK"),
        ("yunexpress", "YunExpress"),
        ("shopify", "Shopify"),
        ("dhl_express", "DHL Express"),
        ("PostNL", "PostNL"),
        ("colis_prive", "Colis Privé"),
        ("speedy_pak", "Speedy pak"),
        ("Bezorgdienst Jansen", "Bezorgdienst Jansen"),
        ("", ""),
    ],
)
def test_carrier_name(slug: str, name: str) -> None:
    assert carrier_name(slug) == name


def test_every_registered_carrier_has_a_name_other_than_its_slug() -> None:
    for slug in CARRIERS:
        assert carrier_name(slug) != slug or slug == "bpost", slug
