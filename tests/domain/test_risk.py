"""Risk score of a "not received" claim: factors, weights, bands, and contact normalisation."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.risk import (
    BASE,
    WEIGHTS,
    ClaimSignals,
    PodStrength,
    RiskBand,
    RiskFactor,
    band_for,
    normalise_address,
    normalise_email,
    normalise_phone,
    score_claim,
)

P = PodStrength

PLAIN = ClaimSignals(
    earlier_claims_by_customer=0,
    earlier_claims_same_contact=0,
    pod_strength=P.SCAN_ONLY,
    days_since_delivery=2,
    order_value_minor=5_000,
    typical_order_value_minor=5_000,
    first_order=False,
    address_mismatch=False,
    customer_orders=0,
)


def keyed(signals: ClaimSignals) -> list[tuple[str, int]]:
    return [(factor.key, factor.weight) for factor in score_claim(signals).factors]


def test_a_plain_claim_has_no_factors_and_scores_the_base():
    result = score_claim(PLAIN)
    assert (result.score, result.band, result.factors) == (BASE, RiskBand.LOW, ())
    assert BASE == 30


FACTORS = [
    pytest.param({"earlier_claims_by_customer": 1}, [("earlier_claims_by_customer", 15)], id="1"),
    pytest.param({"earlier_claims_by_customer": 2}, [("earlier_claims_by_customer", 30)], id="2"),
    pytest.param(
        {"earlier_claims_by_customer": 7}, [("earlier_claims_by_customer", 45)], id="capped-at-3"
    ),
    pytest.param(
        {"earlier_claims_same_contact": 1}, [("earlier_claims_same_contact", 20)], id="contact"
    ),
    pytest.param(
        {"earlier_claims_same_contact": 5}, [("earlier_claims_same_contact", 40)], id="contact-cap"
    ),
    pytest.param({"pod_strength": P.NONE}, [("pod_none", -10)], id="no-pod"),
    pytest.param({"pod_strength": P.PHOTO}, [("pod_photo", 10)], id="photo"),
    pytest.param({"pod_strength": P.SIGNATURE}, [("pod_signature", 20)], id="signature"),
    pytest.param(
        {"pod_strength": "signature_and_gps"}, [("pod_signature_and_gps", 25)], id="gps-as-str"
    ),
    pytest.param({"address_mismatch": True}, [("address_mismatch", -20)], id="mismatch"),
    pytest.param({"customer_orders": 1}, [("returning_customer", -5)], id="one-order"),
    pytest.param({"customer_orders": 2}, [("returning_customer", -5)], id="two-orders"),
    pytest.param({"customer_orders": 3}, [("loyal_customer", -15)], id="three-orders"),
    pytest.param({"customer_orders": 12}, [("loyal_customer", -15)], id="twelve-orders"),
    pytest.param({"first_order": True}, [("first_order", 5)], id="first-order"),
    pytest.param({"order_value_minor": 9_999}, [], id="value-just-under-2x"),
    pytest.param({"order_value_minor": 10_000}, [("high_order_value", 10)], id="value-2x"),
    pytest.param({"typical_order_value_minor": 0}, [], id="no-typical-value"),
    pytest.param({"days_since_delivery": 13}, [], id="claimed-day-13"),
    pytest.param({"days_since_delivery": 14}, [("late_claim", 10)], id="claimed-day-14"),
    pytest.param({"days_since_delivery": None, "pod_strength": P.NONE}, [("pod_none", -10)]),
]


@pytest.mark.parametrize(("changes", "expected"), FACTORS)
def test_each_factor_alone(changes, expected):
    signals = replace(PLAIN, **changes)
    assert keyed(signals) == expected
    assert score_claim(signals).score == BASE + sum(weight for _, weight in expected)


def test_the_agent_example_lists_factors_by_weight_with_their_numbers():
    signals = ClaimSignals(
        earlier_claims_by_customer=2,
        earlier_claims_same_contact=0,
        pod_strength=P.SIGNATURE_AND_GPS,
        days_since_delivery=21,
        order_value_minor=31_000,
        typical_order_value_minor=10_000,
        first_order=False,
        address_mismatch=True,
        customer_orders=12,
    )
    result = score_claim(signals)
    assert result.factors == (
        RiskFactor("earlier_claims_by_customer", 30, {"claims": 2}),
        RiskFactor("pod_signature_and_gps", 25, {"strength": "signature_and_gps"}),
        RiskFactor("address_mismatch", -20, {}),
        RiskFactor("loyal_customer", -15, {"orders": 12}),
        RiskFactor(
            "high_order_value",
            10,
            {"ratio": 3.1, "order_value_minor": 31_000, "typical_order_value_minor": 10_000},
        ),
        RiskFactor("late_claim", 10, {"days": 21}),
    )
    assert (result.score, result.band) == (70, RiskBand.HIGH)


SCORES = [
    pytest.param(
        {
            "earlier_claims_by_customer": 3,
            "earlier_claims_same_contact": 2,
            "pod_strength": P.SIGNATURE,
        },
        100,
        RiskBand.HIGH,
        id="clamped-at-100",
    ),
    pytest.param(
        {"pod_strength": P.NONE, "address_mismatch": True, "customer_orders": 9},
        0,
        RiskBand.LOW,
        id="clamped-at-0",
    ),
    pytest.param({"pod_strength": P.PHOTO}, 40, RiskBand.MEDIUM, id="photo-is-medium"),
    pytest.param({"first_order": True, "pod_strength": P.SIGNATURE}, 55, RiskBand.MEDIUM),
    pytest.param({"earlier_claims_by_customer": 1, "first_order": True}, 50, RiskBand.MEDIUM),
]


@pytest.mark.parametrize(("changes", "score", "band"), SCORES)
def test_scores_and_bands(changes, score, band):
    result = score_claim(replace(PLAIN, **changes))
    assert (result.score, result.band) == (score, band)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "low"), (39, "low"), (40, "medium"), (69, "medium"), (70, "high"), (100, "high")],
)
def test_band_edges(score, band):
    assert band_for(score) == band


def test_every_weight_key_can_appear_and_weights_are_nonzero():
    assert all(WEIGHTS.values())
    assert WEIGHTS["address_mismatch"] < 0 < WEIGHTS["pod_signature_and_gps"]


@pytest.mark.parametrize(
    "changes",
    [
        {"earlier_claims_by_customer": -1},
        {"customer_orders": -3},
        {"days_since_delivery": -1},
        {"order_value_minor": -1},
    ],
)
def test_negative_signals_are_refused(changes):
    with pytest.raises(ValueError, match="cannot be negative"):
        replace(PLAIN, **changes)


def test_unknown_pod_strength_is_refused():
    with pytest.raises(ValueError):
        replace(PLAIN, pod_strength="hologram")


# --- normalisation ---------------------------------------------------------------------------

SAME_ADDRESS = [
    pytest.param(("Keizersgracht 12 A", "1017 AB", "NL"), ("keizersgracht 12a", "1017ab", "nl")),
    pytest.param(("Keizersgracht 12-a", "1017-AB", "nl"), ("KEIZERSGRACHT  12A", "1017AB", "NL")),
    pytest.param(("Hauptstraße 5 b", "10115", "DE"), ("HAUPTSTRASSE 5B", " 10115 ", "de")),
    pytest.param(("Rue de l'Église, 3", "75001", "FR"), ("rue de l eglise 3", "75001", "fr")),
    pytest.param(("10 Downing St.", "SW1A 2AA", "GB"), ("10 downing st", "sw1a2aa", "gb")),
]


@pytest.mark.parametrize(("one", "other"), SAME_ADDRESS)
def test_the_same_address_written_differently_normalises_equal(one, other):
    first = normalise_address(line1=one[0], postcode=one[1], country=one[2])
    second = normalise_address(line1=other[0], postcode=other[1], country=other[2])
    assert first == second


def test_normalised_address_value_and_differences_that_matter():
    assert (
        normalise_address(line1="Keizersgracht 12 A", postcode="1017 AB", country="NL")
        == "keizersgracht 12a|1017ab|nl"
    )
    base = normalise_address(line1="Keizersgracht 12", postcode="1017 AB", country="NL")
    assert base != normalise_address(line1="Keizersgracht 12 A", postcode="1017 AB", country="NL")
    assert base != normalise_address(line1="Keizersgracht 21", postcode="1017 AB", country="NL")
    assert base != normalise_address(line1="Keizersgracht 12", postcode="1017 AC", country="NL")
    assert base != normalise_address(line1="Keizersgracht 12", postcode="1017 AB", country="BE")


PHONES = [
    pytest.param("+31 6 1234 5678", {}, "+31612345678", id="spaced"),
    pytest.param("+31 (0)6-1234-5678", {}, "+31612345678", id="trunk-zero-in-brackets"),
    pytest.param("0031 6 12345678", {}, "+31612345678", id="double-zero"),
    pytest.param("06 1234 5678", {}, "0612345678", id="national-kept"),
    pytest.param("06 1234 5678", {"default_country_code": "31"}, "+31612345678", id="national"),
    pytest.param("06 1234 5678", {"default_country_code": "+31"}, "+31612345678", id="plus-cc"),
    pytest.param("(030) 123.45.67", {}, "0301234567", id="punctuation"),
    pytest.param("  ", {}, "", id="blank"),
    pytest.param("+", {}, "", id="plus-only"),
]


@pytest.mark.parametrize(("raw", "options", "expected"), PHONES)
def test_normalise_phone(raw, options, expected):
    assert normalise_phone(raw, **options) == expected


def test_normalise_email():
    assert normalise_email("  Jan.Jansen@Example.NL ") == "jan.jansen@example.nl"


# --- properties ------------------------------------------------------------------------------

signals = st.builds(
    ClaimSignals,
    earlier_claims_by_customer=st.integers(0, 10),
    earlier_claims_same_contact=st.integers(0, 10),
    pod_strength=st.sampled_from(list(PodStrength)),
    days_since_delivery=st.none() | st.integers(0, 120),
    order_value_minor=st.integers(0, 1_000_000),
    typical_order_value_minor=st.integers(0, 100_000),
    first_order=st.booleans(),
    address_mismatch=st.booleans(),
    customer_orders=st.integers(0, 50),
)


@given(signals)
def test_score_is_clamped_base_plus_weights_and_explained(claim):
    result = score_claim(claim)
    total = BASE + sum(factor.weight for factor in result.factors)
    assert 0 <= result.score <= 100
    assert result.score == max(0, min(100, total))
    assert result.band == band_for(result.score)
    assert all(factor.weight != 0 for factor in result.factors)
    assert len({factor.key for factor in result.factors}) == len(result.factors)
    weights = [abs(factor.weight) for factor in result.factors]
    assert weights == sorted(weights, reverse=True)


@given(signals)
def test_more_claims_never_lower_the_score(claim):
    before = score_claim(claim).score
    assert (
        score_claim(
            replace(claim, earlier_claims_by_customer=claim.earlier_claims_by_customer + 1)
        ).score
        >= before
    )
    assert (
        score_claim(
            replace(claim, earlier_claims_same_contact=claim.earlier_claims_same_contact + 1)
        ).score
        >= before
    )


@given(signals)
def test_an_address_mismatch_never_raises_the_score(claim):
    assert (
        score_claim(replace(claim, address_mismatch=True)).score
        <= score_claim(replace(claim, address_mismatch=False)).score
    )


@given(st.text(max_size=30), st.text(max_size=10), st.sampled_from(["NL", "nl", " Nl "]))
def test_normalise_address_is_idempotent_on_its_street(line1, postcode, country):
    once = normalise_address(line1=line1, postcode=postcode, country=country)
    street, code, land = once.split("|")
    assert land == "nl"
    assert normalise_address(line1=street, postcode=code, country=land) == once


@given(st.text(max_size=25))
def test_normalise_phone_yields_digits_with_an_optional_plus(raw):
    phone = normalise_phone(raw)
    assert phone.removeprefix("+").isdigit() or phone == ""
    assert normalise_phone(phone) == phone
