"""The inbox in pages: every open case reachable, due first, with counts, filters kept."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from parcels import MOVING, NOW, make_parcel, member

from conftest import ApiShop
from parcelcare import clock
from parcelcare.cases import inbox_paging
from parcelcare.cases.actors import CUSTOMER
from parcelcare.cases.inbox_paging import decode, inbox_page
from parcelcare.cases.models import Case
from parcelcare.cases.policy import desk_for
from parcelcare.cases.queries import BadFilter, CaseFilter
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind

KINDS = (CaseKind.ORDER_STATUS, CaseKind.LOST)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def cases(api_shop: ApiShop) -> list[Case]:
    """Five open cases, alternately "where is my order" and "lost", due a day apart."""
    made = []
    for n in range(5):
        parcel = make_parcel(api_shop, f"30{n}", MOVING)
        case, _ = open_case(
            shop=api_shop.shop,
            order=parcel.order,
            kind=KINDS[n % 2],
            source=Case.Source.AGENT,
            who=CUSTOMER,
            now=NOW,
        )
        made.append(case)
    # Answered, so the resolution target is what is due; the newest case is due first.
    for n, case in enumerate(made):
        due = NOW + timedelta(days=5 - n)
        Case.objects.filter(pk=case.pk).update(first_response_at=NOW, resolution_due=due)
    return made


@pytest.fixture
def agent(api_shop: ApiShop) -> Client:
    return member(api_shop, "anna", "agent")


def walk(api_shop: ApiShop, flt: CaseFilter, size: int) -> list[list[int]]:
    """Every page's case ids, following the cursors."""
    desk, pages, cursor = desk_for(api_shop.shop, NOW), [], None
    for _ in range(10):
        page = inbox_page(
            shop=api_shop.shop, flt=flt, user_id=None, desk=desk, now=NOW, cursor=cursor, size=size
        )
        pages.append([case.pk for case, _due in page.rows])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
    raise AssertionError("the cursors never ended")


def test_every_case_is_reached_once_due_first(api_shop: ApiShop, cases: list[Case]) -> None:
    pages = walk(api_shop, CaseFilter(), size=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [pk for page in pages for pk in page] == [c.pk for c in reversed(cases)]


def test_counts_and_positions(api_shop: ApiShop, cases: list[Case]) -> None:
    desk = desk_for(api_shop.shop, NOW)
    first = inbox_page(
        shop=api_shop.shop, flt=CaseFilter(), user_id=None, desk=desk, now=NOW, cursor=None, size=3
    )
    second = inbox_page(
        shop=api_shop.shop,
        flt=CaseFilter(),
        user_id=None,
        desk=desk,
        now=NOW,
        cursor=first.next_cursor,
        size=3,
    )
    assert (first.first, first.last, first.total) == (1, 3, 5)
    assert (second.first, second.last, second.total) == (4, 5, 5)


def test_a_case_opened_meanwhile_neither_skips_nor_repeats(
    api_shop: ApiShop, cases: list[Case]
) -> None:
    desk = desk_for(api_shop.shop, NOW)
    first = inbox_page(
        shop=api_shop.shop, flt=CaseFilter(), user_id=None, desk=desk, now=NOW, cursor=None, size=3
    )
    Case.objects.filter(pk=cases[0].pk).update(resolution_due=NOW)
    rest = inbox_page(
        shop=api_shop.shop,
        flt=CaseFilter(),
        user_id=None,
        desk=desk,
        now=NOW,
        cursor=first.next_cursor,
        size=10,
    )
    shown = [c.pk for c, _ in first.rows] + [c.pk for c, _ in rest.rows]
    assert len(shown) == len(set(shown)) == 4 and cases[0].pk not in shown


def test_filters_hold_across_pages(api_shop: ApiShop, cases: list[Case]) -> None:
    pages = walk(api_shop, CaseFilter(kind="order_status"), size=2)
    wanted = [c.pk for c in reversed(cases) if c.kind == "order_status"]
    assert [pk for page in pages for pk in page] == wanted and len(pages) == 2


def test_breached_cases_page_in_sql_and_python_alike(api_shop: ApiShop, cases: list[Case]) -> None:
    for case in cases[:3]:
        Case.objects.filter(pk=case.pk).update(resolution_due=NOW - timedelta(hours=1))
    pages = walk(api_shop, CaseFilter(sla="breached"), size=2)
    assert sorted(pk for page in pages for pk in page) == sorted(c.pk for c in cases[:3])


@pytest.mark.parametrize("bad", ["nonsense", "aTpub3ZlcnxzaG9ydA", "cz0x"])
def test_a_cursor_it_did_not_give_out_is_refused(bad: str) -> None:
    with pytest.raises(BadFilter):
        decode(bad)


def test_the_page_shows_counts_and_keeps_filters_in_its_links(
    agent: Client, cases: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_paging, "PAGE_SIZE", 2)
    html = agent.get("/cases/?kind=order_status").content.decode()
    assert "Cases 1\u20132 of 3" in html
    link = re.search(r'rel="next" href="([^"]+)"', html)
    assert link is not None
    following = "/cases/" + link[1].replace("&amp;", "&")
    assert "kind=order_status" in following and "cursor=" in following
    second = agent.get(following)
    page = second.content.decode()
    assert second.status_code == 200 and "Case 3 of 3" in page
    assert "First page" in page and 'rel="next"' not in page
    references = re.findall(r'class="row-anchor" href="/cases/\d+/">(C-\d+)<', html + page)
    assert references == [c.reference for c in reversed(cases) if c.kind == "order_status"]
    assert agent.get("/cases/?cursor=broken").status_code == 400


def test_the_newest_cases_are_no_longer_hidden_behind_a_cap(
    agent: Client, cases: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_paging, "PAGE_SIZE", 2)
    seen, url = [], "/cases/"
    for _ in range(5):
        html = agent.get(url).content.decode()
        seen += re.findall(r'class="row-anchor" href="/cases/(\d+)/"', html)
        link = re.search(r'rel="next" href="([^"]+)"', html)
        if link is None:
            break
        url = "/cases/" + link[1].replace("&amp;", "&")
    assert sorted(int(pk) for pk in seen) == sorted(c.pk for c in cases)
