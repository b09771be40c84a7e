"""Carrier detection from tracking number formats: check digits, countries and ambiguity."""

import pytest

from parcelcare.integrations.carriers.detect import (
    detect_carrier,
    normalise,
    s10_check_digit,
    ups_check_digit,
)
from parcelcare.integrations.carriers.registry import is_known_carrier


def best(number: str) -> tuple[str, float]:
    return detect_carrier(number)[0]


@pytest.mark.parametrize(
    ("number", "slug"),
    [
        # UPU S10 with a valid check digit, by country suffix.
        ("RB123456785NL", "postnl"),
        ("CC405172839NL", "postnl"),
        ("LA405172839NL", "postnl"),
        ("CD405172839BE", "bpost"),
        ("RR123456785DE", "dhl"),
        ("CP405172839FR", "colissimo"),
        ("UV405172839CN", "cainiao"),
        # PostNL domestic barcodes of 13 to 15 characters.
        ("3SABCD1234567", "postnl"),
        ("3SYZXG132912330", "postnl"),
        # UPS, with its documented sample number.
        ("1Z999AA10123456784", "ups"),
        ("JJD0099999999", "dhl"),
        ("JVGL0999999990", "dhl"),
        ("00340434161094042557", "dhl"),
        ("GM2951173225174494", "dhl"),
        ("YT2229521272164446", "yunexpress"),
        ("LP00698765432101", "cainiao"),
        ("323212345678901234567890", "bpost"),
        ("6A12345678901", "colissimo"),
        ("8R41234567890", "colissimo"),
        ("05308801410058", "dpd"),
        ("12345678901", "gls"),
        ("ZFCG4KL5", "gls"),
    ],
)
def test_formats_name_their_carrier_first(number: str, slug: str) -> None:
    assert best(number)[0] == slug


def test_s10_check_digit() -> None:
    # The UPU example and both special remainders (0 gives 5, 1 gives 0).
    assert s10_check_digit("12345678") == 5
    assert s10_check_digit("40517283") == 9
    assert [s10_check_digit(s) for s in ("00000000", "00000001")] == [5, 4]
    remainder_one = next(f"{n:08d}" for n in range(1000) if sum(
        int(d) * w for d, w in zip(f"{n:08d}", (8, 6, 4, 2, 3, 5, 9, 7), strict=True)
    ) % 11 == 1)  # fmt: skip
    assert s10_check_digit(remainder_one) == 0


def test_s10_needs_a_valid_check_digit_and_a_known_country() -> None:
    assert detect_carrier("RB123456786NL") == []
    # A valid number from a post the registry does not know names nobody.
    assert detect_carrier("RB123456785US") == []


def test_ups_check_digit() -> None:
    assert ups_check_digit("999AA1012345678") == 4
    assert best("1Z999AA10123456784") == ("ups", 0.99)
    # Still clearly UPS-shaped, but a typo is likely: lower confidence.
    assert best("1Z999AA10123456785") == ("ups", 0.5)


def test_dhl_express_waybills_use_mod_7() -> None:
    assert best("3318810025") == ("dhl", 0.45)
    assert detect_carrier("3318810010") == []


def test_ambiguous_digit_runs_get_low_confidence() -> None:
    twelve = detect_carrier("123456789012")
    assert {slug for slug, _ in twelve} == {"dhl", "gls"}
    assert all(confidence < 0.5 for _, confidence in twelve)
    for number in ("05308801410058", "12345678901", "12345678901234567890"):
        assert all(confidence <= 0.5 for _, confidence in detect_carrier(number))


def test_candidates_are_sorted_and_in_range() -> None:
    for number in ("CN123456785NL", "123456789012", "3SABCD123456789", "6A12345678901"):
        found = detect_carrier(number)
        confidences = [c for _, c in found]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0 < c <= 1 and is_known_carrier(slug) for slug, c in found)
        assert len({slug for slug, _ in found}) == len(found)
    # An S10 that starts with CN is PostNL's (suffix NL) before anything Cainiao-shaped.
    assert [slug for slug, _ in detect_carrier("CN123456785NL")] == ["postnl", "cainiao"]


def test_input_is_normalised() -> None:
    assert normalise(" rb 1234-5678 5nl\n") == "RB123456785NL"
    assert detect_carrier("rb 123 456 785 nl") == detect_carrier("RB123456785NL")
    assert detect_carrier("") == detect_carrier("   ") == []
    assert detect_carrier("hello world, where is my parcel?") == []
