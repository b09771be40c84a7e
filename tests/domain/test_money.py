"""Money and remedy-ledger arithmetic: sums, refundable, check_entry's rules and net cost."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.errors import DomainError, LedgerError
from parcelcare.domain.money import (
    COST_OUT,
    MONEY_IN,
    MONEY_OUT,
    REFUNDS,
    LedgerLine,
    Money,
    RemedyKind,
    check_entry,
    net_cost,
    refundable,
    replayed,
)

R = RemedyKind
EUR = "EUR"
PAID = Money(10_000, EUR)


def line(kind: str, amount: int, key: str = "", currency: str = EUR) -> LedgerLine:
    return LedgerLine(RemedyKind(kind), amount, currency, key or f"{kind}-{amount}")


# --- vocabulary ------------------------------------------------------------------------------


def test_remedy_kinds_are_the_design_vocabulary():
    assert [str(kind) for kind in RemedyKind] == [
        "refund",
        "partial_refund",
        "reship",
        "voucher",
        "store_credit",
        "return_shipping",
        "carrier_claim_recovery",
        "insurance_payout",
        "chargeback",
        "chargeback_reversal",
    ]


def test_every_kind_is_either_a_cost_or_money_in():
    assert set(RemedyKind) == COST_OUT | MONEY_IN
    assert not COST_OUT & MONEY_IN
    assert {R.RESHIP} == COST_OUT - MONEY_OUT
    assert {R.REFUND, R.PARTIAL_REFUND, R.CHARGEBACK} == REFUNDS
    assert REFUNDS <= MONEY_OUT


def test_ledger_error_is_a_domain_error():
    assert issubclass(LedgerError, DomainError)


# --- Money -----------------------------------------------------------------------------------


def test_money_adds_and_subtracts_in_one_currency():
    assert Money(1250, EUR) + Money(750, EUR) == Money(2000, EUR)
    assert Money(1250, EUR) - Money(2000, EUR) == Money(-750, EUR)
    assert Money.zero("GBP") == Money(0, "GBP")


def test_money_repr_shows_minor_units_without_formatting():
    assert repr(Money(1250, EUR)) == "Money(amount=1250, currency='EUR')"


@pytest.mark.parametrize("op", ["add", "sub"])
def test_money_refuses_mixed_currencies(op):
    with pytest.raises(LedgerError, match="cannot combine EUR with USD"):
        if op == "add":
            Money(1, EUR) + Money(1, "USD")
        else:
            Money(1, EUR) - Money(1, "USD")


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        pytest.param(12.5, EUR, "integer minor units", id="float"),
        pytest.param(True, EUR, "integer minor units", id="bool"),
        pytest.param("100", EUR, "integer minor units", id="string"),
        pytest.param(100, "eur", "ISO 4217", id="lower-case"),
        pytest.param(100, "EURO", "ISO 4217", id="four-letters"),
        pytest.param(100, "€", "ISO 4217", id="symbol"),
    ],
)
def test_money_refuses_what_is_not_minor_units_and_a_code(amount, currency, message):
    with pytest.raises(LedgerError, match=message):
        Money(amount, currency)


def test_ledger_line_coerces_its_kind_and_refuses_bad_fields():
    assert LedgerLine("refund", 100, EUR, "k").kind is R.REFUND  # type: ignore[arg-type]
    assert LedgerLine(R.VOUCHER, 300, EUR, "k").money == Money(300, EUR)
    with pytest.raises(LedgerError, match="unknown remedy kind 'gift'"):
        LedgerLine("gift", 100, EUR, "k")  # type: ignore[arg-type]
    with pytest.raises(LedgerError, match="idempotency key"):
        LedgerLine(R.REFUND, 100, EUR, " ")
    with pytest.raises(LedgerError, match="integer minor units"):
        LedgerLine(R.REFUND, 1.0, EUR, "k")  # type: ignore[arg-type]


# --- refundable ------------------------------------------------------------------------------

REFUNDABLE = [
    pytest.param([], 10_000, id="nothing-yet"),
    pytest.param([line("partial_refund", 2_500)], 7_500, id="after-a-partial"),
    pytest.param(
        [line("partial_refund", 2_500), line("partial_refund", 1_000, "second")],
        6_500,
        id="after-two-partials",
    ),
    pytest.param([line("refund", 10_000)], 0, id="after-a-full-refund"),
    pytest.param([line("chargeback", 10_000)], 0, id="after-a-chargeback"),
    pytest.param(
        [line("chargeback", 10_000), line("chargeback_reversal", 10_000)],
        10_000,
        id="chargeback-reversed",
    ),
    pytest.param(
        [line("chargeback", 4_000), line("chargeback_reversal", 1_500)],
        7_500,
        id="chargeback-partly-reversed",
    ),
    pytest.param(
        [
            line("reship", 900),
            line("voucher", 1_000),
            line("store_credit", 500),
            line("return_shipping", 695),
            line("carrier_claim_recovery", 8_000),
            line("insurance_payout", 2_000),
        ],
        10_000,
        id="non-refund-kinds-do-not-count",
    ),
    pytest.param([line("refund", 12_000)], 0, id="never-below-zero"),
    pytest.param([line("chargeback_reversal", 500)], 10_000, id="never-above-paid"),
]


@pytest.mark.parametrize(("lines", "expected"), REFUNDABLE)
def test_refundable(lines, expected):
    assert refundable(paid=PAID, lines=lines) == Money(expected, EUR)


def test_refundable_accepts_a_generator_and_refuses_other_currencies():
    assert refundable(paid=PAID, lines=(x for x in [line("partial_refund", 1)])).amount == 9_999
    with pytest.raises(LedgerError, match="'usd' is in USD but the order was paid in EUR"):
        refundable(paid=PAID, lines=[line("partial_refund", 100, "usd", "USD")])
    with pytest.raises(LedgerError, match="negative"):
        refundable(paid=Money(-1, EUR), lines=[])


# --- check_entry -----------------------------------------------------------------------------

ACCEPTED = [
    # The bank's chargeback after a full refund really happened: it is booked, not refused.
    pytest.param(
        [line("refund", 10_000)], line("chargeback", 10_000), id="chargeback-after-refund"
    ),
    pytest.param([], line("refund", 10_000), id="full-refund"),
    pytest.param([], line("partial_refund", 2_500), id="partial-refund"),
    pytest.param([line("partial_refund", 2_500)], line("refund", 7_500), id="refund-the-rest"),
    pytest.param(
        [line("partial_refund", 2_500)], line("partial_refund", 7_500, "p2"), id="partial-to-zero"
    ),
    pytest.param([], line("reship", 0), id="reship-cost-booked-elsewhere"),
    pytest.param([], line("reship", 695), id="reship-with-cost"),
    pytest.param([line("refund", 10_000)], line("voucher", 1_000), id="voucher-after-refund"),
    pytest.param([line("refund", 10_000)], line("store_credit", 500), id="credit-after-refund"),
    pytest.param([], line("return_shipping", 695), id="return-shipping"),
    pytest.param(
        [line("refund", 10_000)], line("carrier_claim_recovery", 12_000), id="recovery-any-size"
    ),
    pytest.param([], line("insurance_payout", 5_000), id="insurance-payout"),
    pytest.param([], line("chargeback", 10_000), id="chargeback"),
    pytest.param([line("chargeback", 10_000)], line("chargeback_reversal", 10_000), id="reversal"),
    pytest.param(
        [line("chargeback", 10_000), line("chargeback_reversal", 10_000)],
        line("refund", 10_000),
        id="refund-after-reversed-chargeback",
    ),
]


@pytest.mark.parametrize(("lines", "new"), ACCEPTED)
def test_check_entry_accepts(lines, new):
    assert check_entry(paid=PAID, lines=lines, new=new) is None


REFUSED = [
    pytest.param([], line("refund", 10_000, "k", "USD"), "in USD cannot be booked", id="currency"),
    pytest.param(
        [line("partial_refund", 100, "k")],
        line("voucher", 100, "k"),
        "idempotency key 'k' is already booked",
        id="key-reused",
    ),
    pytest.param([], line("partial_refund", 0), "needs a positive amount", id="zero-partial"),
    pytest.param([], line("refund", -100), "needs a positive amount", id="negative-refund"),
    pytest.param([], line("voucher", 0), "needs a positive amount", id="zero-voucher"),
    pytest.param([], line("carrier_claim_recovery", 0), "positive", id="zero-recovery"),
    pytest.param([], line("reship", -1), "negative", id="negative-reship"),
    pytest.param([], line("refund", 10_001), "exceeds the 10000 still refundable", id="over"),
    pytest.param(
        [line("partial_refund", 2_500)],
        line("partial_refund", 7_501, "p2"),
        "partial_refund of 7501 exceeds the 7500 still refundable",
        id="partials-over",
    ),
    pytest.param(
        [line("refund", 10_000)], line("partial_refund", 1), "exceeds the 0", id="after-full"
    ),
    pytest.param(
        [line("chargeback", 6_000)],
        line("chargeback", 5_000),
        "exceeds the 4000 of the payment",
        id="charged-back-twice",
    ),
    pytest.param(
        [], line("refund", 4_000), "full refund must be the remaining 10000", id="refund-too-small"
    ),
    pytest.param(
        [line("partial_refund", 2_500)],
        line("refund", 5_000),
        "full refund must be the remaining 7500",
        id="refund-not-the-rest",
    ),
    pytest.param(
        [], line("chargeback_reversal", 100), "exceeds the 0 charged back", id="nothing-to-reverse"
    ),
    pytest.param(
        [line("chargeback", 4_000), line("chargeback_reversal", 3_000)],
        line("chargeback_reversal", 1_001, "r2"),
        "exceeds the 1000 charged back",
        id="reversal-over",
    ),
    pytest.param(
        [line("partial_refund", 100, "old", "USD")],
        line("partial_refund", 100),
        "'old' is in USD",
        id="earlier-line-in-other-currency",
    ),
]


@pytest.mark.parametrize(("lines", "new", "message"), REFUSED)
def test_check_entry_refuses(lines, new, message):
    with pytest.raises(LedgerError, match=message):
        check_entry(paid=PAID, lines=lines, new=new)


def test_replayed_recognises_only_the_identical_line():
    booked = [line("partial_refund", 2_500, "k")]
    assert replayed(lines=booked, new=line("partial_refund", 2_500, "k"))
    assert not replayed(lines=booked, new=line("partial_refund", 2_600, "k"))
    assert not replayed(lines=booked, new=line("partial_refund", 2_500, "other"))


# --- net_cost --------------------------------------------------------------------------------

NET = [
    pytest.param([], {}, id="empty"),
    pytest.param([line("refund", 10_000)], {EUR: 10_000}, id="refund"),
    pytest.param(
        [line("reship", 900), line("voucher", 1_000), line("carrier_claim_recovery", 1_500)],
        {EUR: 400},
        id="reship-voucher-recovered",
    ),
    pytest.param(
        [line("chargeback", 5_000), line("chargeback_reversal", 5_000), line("reship", 0)],
        {EUR: 0},
        id="reversed-chargeback",
    ),
    pytest.param(
        [line("insurance_payout", 3_000), line("return_shipping", 695)],
        {EUR: -2_305},
        id="gain",
    ),
    pytest.param(
        [line("refund", 100), line("store_credit", 250, "gbp", "GBP")],
        {EUR: 100, "GBP": 250},
        id="per-currency",
    ),
]


@pytest.mark.parametrize(("lines", "expected"), NET)
def test_net_cost(lines, expected):
    assert net_cost(lines) == expected


# --- properties ------------------------------------------------------------------------------

kinds = st.sampled_from(list(RemedyKind))
amounts = st.integers(min_value=-1_000, max_value=20_000)
paids = st.integers(min_value=0, max_value=15_000).map(lambda n: Money(n, EUR))


@st.composite
def ledgers(draw) -> list[LedgerLine]:
    """Any lines in euros, unchecked, with unique keys."""
    drawn = draw(st.lists(st.tuples(kinds, st.integers(0, 20_000)), max_size=12))
    return [LedgerLine(kind, amount, EUR, f"k{i}") for i, (kind, amount) in enumerate(drawn)]


@given(paid=paids, lines=ledgers())
def test_refundable_stays_between_zero_and_paid(paid, lines):
    left = refundable(paid=paid, lines=lines)
    assert left.currency == EUR
    assert 0 <= left.amount <= paid.amount


@given(paid=paids, candidates=st.lists(st.tuples(kinds, amounts), max_size=20))
def test_accepted_entries_never_give_back_more_than_was_paid(paid, candidates):
    booked: list[LedgerLine] = []
    for i, (kind, amount) in enumerate(candidates):
        new = LedgerLine(kind, amount, EUR, f"k{i}")
        try:
            check_entry(paid=paid, lines=booked, new=new)
        except LedgerError:
            continue
        booked.append(new)
    refunded = sum(x.amount for x in booked if x.kind in (R.REFUND, R.PARTIAL_REFUND))
    reversed_ = sum(x.amount for x in booked if x.kind == R.CHARGEBACK_REVERSAL)
    charged = sum(x.amount for x in booked if x.kind == R.CHARGEBACK)
    assert all(x.amount > 0 or x.kind == R.RESHIP for x in booked)
    # What the shop gives back by its own decision never exceeds the payment; the bank's
    # chargebacks are facts, capped only by the payment itself.
    assert 0 <= refunded <= paid.amount
    assert 0 <= charged - reversed_ <= paid.amount
    assert reversed_ <= charged
    expected = paid.amount - refunded - charged + reversed_
    assert refundable(paid=paid, lines=booked).amount == max(0, min(paid.amount, expected))
    assert sum(1 for x in booked if x.kind == R.REFUND) <= 1 + sum(
        1 for x in booked if x.kind == R.CHARGEBACK_REVERSAL
    )


@given(lines=ledgers())
def test_net_cost_is_out_minus_in(lines):
    out = sum(x.amount for x in lines if x.kind in COST_OUT)
    back = sum(x.amount for x in lines if x.kind in MONEY_IN)
    assert net_cost(lines).get(EUR, 0) == out - back


@given(a=st.integers(-(10**12), 10**12), b=st.integers(-(10**12), 10**12))
def test_money_sub_undoes_add(a, b):
    assert Money(a, EUR) + Money(b, EUR) - Money(b, EUR) == Money(a, EUR)
