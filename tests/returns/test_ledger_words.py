"""The ledger page in the agent's language: kinds, reasons, statuses and months in words, month
filters as choices; and the cost of a reship or an exchange booked at the goods' value."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from returning import NOW, Bought, bought_order  # noqa: F401
from test_returns_desk import agent, booked, requested

from conftest import ApiShop
from parcelcare import clock
from parcelcare.cases.actors import CUSTOMER, Who
from parcelcare.cases.models import Case
from parcelcare.cases.outcomes import record_remedy
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.money import RemedyKind
from parcelcare.ledger.labels import month_choices
from parcelcare.returns import services


@pytest.fixture(autouse=True)
def stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def entries(page: str) -> str:
    return page.split('id="entries"')[1].replace("\xa0", " ")


def dutch(client: Client, query: str = "") -> str:
    return client.get(f"/ledger/{query}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()


@pytest.mark.django_db
def test_the_ledger_speaks_dutch_not_codes(api_shop: ApiShop, bought: Bought):
    item = requested(bought)
    services.approve(request=item, who=services.SYSTEM, now=NOW)
    services.mark_received(request=item, who=services.SYSTEM, now=NOW)
    services.inspect(request=item, who=services.SYSTEM, now=NOW)
    services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
    booked(bought, "carrier_claim_recovery", 300, "c1")
    page = dutch(agent(api_shop.shop))
    rows = entries(page)
    assert "Gedeeltelijke terugbetaling" in rows and "Geboekt" in rows
    assert "Beschadigd aangekomen" in rows and "Overig" in rows
    assert ">partial_refund<" not in rows and ">recorded<" not in rows and ">damaged<" not in rows
    day = f"{NOW.astimezone(ZoneInfo(api_shop.shop.timezone)).day} november 2026"
    assert f">{day}</time>" in rows and ">2026-11-" not in rows
    months = page.split('id="per-month"')[1].split("</table>")[0]
    assert "november 2026" in months and "2026-11<" not in months
    assert '<select id="f-from" name="from">' in page and 'type="month"' not in page
    assert '<option value="2026-11">november 2026</option>' in page


@pytest.mark.django_db
def test_month_filters_choose_from_booked_months_and_filter(api_shop: ApiShop, bought: Bought):
    booked(bought, "voucher", 500, "v-nov")
    client = agent(api_shop.shop)
    page = dutch(client, "?from=2026-11&to=2026-11")
    assert '<option value="2026-11" selected>november 2026</option>' in page
    assert "€ 5,00" in entries(page)
    assert "€ 5,00" not in entries(dutch(client, "?from=2026-12"))
    assert client.get("/ledger/?from=2026-13").status_code == 400


def test_month_choices_run_back_to_the_first_booking_and_are_bounded():
    from datetime import date

    assert [code for code, _ in month_choices(date(2026, 10, 5), date(2027, 1, 2))] == [
        "2027-01",
        "2026-12",
        "2026-11",
        "2026-10",
    ]
    assert len(month_choices(date(1990, 1, 1), date(2027, 1, 2))) == 36
    assert month_choices(None, date(2027, 1, 2)) == [("2027-01", "January 2027")]


@pytest.mark.django_db
def test_a_reship_is_booked_at_the_cost_of_the_goods_sent_again(api_shop: ApiShop, bought: Bought):
    case, _ = open_case(
        shop=api_shop.shop,
        order=bought.order,
        kind=CaseKind.NOT_RECEIVED,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=NOW,
    )
    entry, _ = record_remedy(
        case=case,
        kind=RemedyKind.RESHIP,
        amount=0,
        who=Who("agent", "eva"),
        now=NOW,
        idempotency_key="reship-1",
        customer_share_percent=50,
    )
    goods = 2 * 1495 + 3 * 299
    assert entry.amount == goods // 2  # the customer pays half
    again, new = record_remedy(
        case=case,
        kind=RemedyKind.RESHIP,
        amount=0,
        who=Who("agent", "eva"),
        now=NOW,
        idempotency_key="reship-1",
        customer_share_percent=50,
    )
    assert (again.pk, new) == (entry.pk, False)
    page = dutch(agent(api_shop.shop))
    assert "Opnieuw versturen" in entries(page)
    assert "€ 0,00" not in entries(page)


@pytest.mark.django_db
def test_an_exchange_books_the_replacement_goods(bought: Bought):
    item = requested(bought)
    services.approve(request=item, who=services.SYSTEM, now=NOW)
    services.mark_received(request=item, who=services.SYSTEM, now=NOW)
    services.inspect(request=item, who=services.SYSTEM, now=NOW)
    entry = services.resolve(request=item, kind="exchange", who=services.SYSTEM, now=NOW)
    assert (entry.kind, entry.amount) == ("reship", 1495)
