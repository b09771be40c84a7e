"""Order numbers, tracking numbers and postcodes are found in real-looking messages."""

import pytest

from parcelcare.domain.extract import extract

CASES = [
    ("Hallo, ik heb vorige week besteld (bestelnummer 10423) en nog niks", "10423", None),
    ("where is order #20931 please", "20931", None),
    ("Bestellung NL-100234 ist immer noch nicht da", "NL-100234", None),
    ("où est ma commande n°55120 ?", "55120", None),
    ("Auftrag: 10877", "10877", None),
    ("waar is 3SGRN0012345678", None, "3SGRN0012345678"),
    ("DHL 00340434161094042557 zeigt nichts", None, "00340434161094042557"),
    ("suivi du colis 6A12345678901", None, "6A12345678901"),
    ("refund of 49 EUR for order 10423", "10423", None),
    ("I expect a refund of $1499", None, None),
    ("thanks, all good", None, None),
]


@pytest.mark.parametrize(("text", "order", "tracking"), CASES)
def test_numbers_are_found(text: str, order: str | None, tracking: str | None) -> None:
    found = extract(text)
    assert found.order_number == order
    assert (found.tracking_numbers[0] if found.tracking_numbers else None) == tracking


def test_postcode_and_email() -> None:
    found = extract("order 10423, postcode 3811 AB, mail me at anne@example.org")
    assert "3811 AB" in found.postcodes
    assert found.emails == ("anne@example.org",)
