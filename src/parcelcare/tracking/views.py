"""Agent pages: the shipment list and one shipment's detail, always scoped to the agent's shop."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from parcelcare import clock
from parcelcare.accounts.models import Membership, Shop
from parcelcare.domain.vocabulary import PROBLEM_FINDINGS, FindingKind, ShipmentStatus
from parcelcare.integrations.carriers.names import carrier_name

from . import labels
from .models import Finding, Order, Shipment
from .queries import BadFilter, ShipmentFilter, page, shipment_detail, shipments

PAGE_SIZE = 50
LEVELS = (1, 2, 3)
LOGIN_URL = "login"

ShopView = Callable[..., HttpResponse]


def agent_shop(user: Any) -> Shop | None:
    """The shop the signed-in person works for (their first membership), or None."""
    membership = (
        Membership.objects.filter(user_id=user.pk).select_related("shop").order_by("id").first()
    )
    return membership.shop if membership else None


def agent_role(user: Any, shop: Shop) -> str | None:
    """The signed-in person's role in the shop (owner, agent, viewer), or None."""
    return (
        Membership.objects.filter(user_id=user.pk, shop=shop).values_list("role", flat=True).first()
    )


def is_owner(user: Any, shop: Shop) -> bool:
    """Whether the signed-in person owns the shop: only owners change its settings."""
    return agent_role(user, shop) == Membership.Role.OWNER


def _shop_zone(shop: Shop) -> ZoneInfo:
    try:
        return ZoneInfo(shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def agent_page(view: ShopView) -> Callable[..., HttpResponse]:
    """Require login and a shop; render in the shop's time zone; pass the shop to the view."""

    @login_required(login_url=LOGIN_URL)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shop = agent_shop(request.user)
        if shop is None:
            return render(request, "tracking/no_shop.html", status=403)
        with timezone.override(_shop_zone(shop)):
            return view(request, shop, *args, **kwargs)

    return wrapper


def home(request: HttpRequest) -> HttpResponse:
    """The start page is the shipment list."""
    return redirect("shipment_list")


# --- view models -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    """A coloured piece of text, optionally a link."""

    text: str
    tone: str
    count: int = 0
    query: str = ""
    active: bool = False


@dataclass(frozen=True)
class Moment:
    """A point in time shown absolute (shop time zone, agent's language) and relative to now."""

    at: datetime | None
    text: str
    relative: str


@dataclass(frozen=True)
class Row:
    """One line of the shipment table."""

    id: int
    order_number: str
    carrier: str
    tracking_number: str
    status: Chip
    findings: list[Chip]
    promised_date: str
    last_scan: Moment
    next_review: Moment


@dataclass(frozen=True)
class FindingView:
    """An open finding on the detail page, with its evidence in words."""

    chip: Chip
    evidence: list[str]
    opened: str


@dataclass(frozen=True)
class TimelineEntry:
    """One carrier event; `known` is False when the raw code mapped to no status."""

    occurred_at: datetime
    when: str
    status: str
    tone: str
    reason: str
    code: str
    description: str
    location: str
    known: bool


@dataclass
class Options:
    """The choices the filter form offers."""

    statuses: list[tuple[str, str]] = field(default_factory=list)
    findings: list[tuple[str, str]] = field(default_factory=list)
    levels: list[tuple[str, str]] = field(default_factory=list)
    carriers: list[tuple[str, str]] = field(default_factory=list)


def _moment(at: datetime | None, now: datetime) -> Moment:
    return Moment(at=at, text=labels.when(at), relative=labels.relative(at, now))


def _status_chip(status: str) -> Chip:
    return Chip(labels.status_label(status), labels.STATUS_TONES.get(status, "muted"))


def _finding_chip(finding: Any) -> Chip:
    return Chip(labels.finding_words(finding), labels.finding_tone(finding))


def _row(s: Shipment, now: datetime) -> Row:
    return Row(
        id=s.id,
        order_number=s.order.order_number,
        carrier=carrier_name(s.carrier),
        tracking_number=s.tracking_number,
        status=_status_chip(s.status),
        findings=[
            _finding_chip(f) for f in getattr(s, "open_findings", []) if f.kind in PROBLEM_FINDINGS
        ],
        promised_date=labels.when(s.promised_date),
        last_scan=_moment(s.last_event_at, now),
        next_review=_moment(s.next_review_at, now),
    )


# --- the shipment list -------------------------------------------------------------------------


def read_filter(params: QueryDict) -> ShipmentFilter:
    """The list filter from the query string; BadFilter when a value cannot be applied."""
    level = params.get("level", "").strip()
    if level and level not in {str(n) for n in LEVELS}:
        raise BadFilter(f"level {level[:10]!r} is not 1, 2 or 3")
    return ShipmentFilter(
        status=params.get("status", "").strip() or None,
        finding=params.get("finding", "").strip() or None,
        level=int(level) if level else None,
        carrier=params.get("carrier", "").strip() or None,
        search=params.get("q", "").strip()[:64] or None,
    )


def finding_counts(shop_id: int) -> dict[tuple[str, int | None], int]:
    """Shipments with an open problem finding, per (kind, level), in one aggregate query."""
    rows = (
        Finding.objects.filter(shop_id=shop_id, closed_at=None, kind__in=PROBLEM_FINDINGS)
        .values("kind", "level")
        .annotate(n=Count("shipment_id", distinct=True))
        .order_by()
    )
    return {(r["kind"], r["level"]): r["n"] for r in rows}


def _chip_query(kind: str, level: int | None) -> str:
    query = QueryDict(mutable=True)
    query["finding"] = kind
    if level is not None:
        query["level"] = str(level)
    return query.urlencode()


def count_chips(counts: Mapping[tuple[str, int | None], int], flt: ShipmentFilter) -> list[Chip]:
    """One chip per finding kind (per level for delays) that has shipments, in vocabulary order."""
    chips = []
    for kind in FindingKind:
        keys = sorted((k for k in counts if k[0] == kind), key=lambda k: k[1] or 0)
        for _kind, level in keys:
            text = labels.finding_label(kind)
            if kind == FindingKind.DELAYED and level:
                text = f"{text}{labels.SEP}{labels.level_label(level)}"
            tone = labels.finding_tone({"kind": kind, "level": level})
            active = flt.finding == kind and flt.level == level
            chips.append(Chip(text, tone, counts[(kind, level)], _chip_query(kind, level), active))
    return chips


def filter_options(shop_id: int) -> Options:
    """The filter form's choices; carriers are the ones this shop actually uses."""
    carriers = (
        Shipment.objects.filter(shop_id=shop_id)
        .order_by("carrier")
        .values_list("carrier", flat=True)
        .distinct()
    )
    return Options(
        statuses=[(s.value, labels.status_label(s)) for s in ShipmentStatus],
        findings=[(f.value, labels.finding_label(f)) for f in FindingKind if f in PROBLEM_FINDINGS],
        levels=[(str(n), labels.level_label(n)) for n in LEVELS],
        carriers=[(slug, carrier_name(slug)) for slug in carriers],
    )


def _wants_table_only(request: HttpRequest) -> bool:
    """An htmx filter or paging request, not a history restore (that needs the whole page)."""
    htmx = request.headers.get("HX-Request") == "true"
    return htmx and request.headers.get("HX-History-Restore-Request") != "true"


def _list_page(request: HttpRequest, shop: Shop) -> tuple[dict[str, Any], int]:
    """The table's context and HTTP status for the current query string."""
    now = clock.now()
    try:
        flt = read_filter(request.GET)
        items, next_cursor = page(shipments(shop.id, flt), request.GET.get("cursor"), PAGE_SIZE)
    except BadFilter:
        return {"rows": [], "bad_filter": True, "filtered": True, "flt": ShipmentFilter()}, 400
    context = {
        "rows": [_row(s, now) for s in items],
        "next_cursor": next_cursor,
        "first_page": not request.GET.get("cursor"),
        "filtered": flt != ShipmentFilter(),
        "flt": flt,
    }
    return context, 200


@agent_page
def shipment_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Shipments with filters, finding chips and cursor paging; htmx gets the table alone."""
    context, status = _list_page(request, shop)
    context["shop"] = shop
    if _wants_table_only(request):
        response = render(request, "tracking/_shipment_table.html", context, status=status)
    else:
        context["chips"] = count_chips(finding_counts(shop.id), context["flt"])
        context["options"] = filter_options(shop.id)
        response = render(request, "tracking/shipment_list.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- one shipment ------------------------------------------------------------------------------


def _timeline(events: list[dict[str, Any]]) -> list[TimelineEntry]:
    """The carrier events, newest first."""
    return [
        TimelineEntry(
            occurred_at=e["occurred_at"],
            when=labels.when(e["occurred_at"]),
            status=labels.status_label(e["status"]) if e["status"] else _("Unknown code"),
            tone=labels.STATUS_TONES.get(e["status"] or "", "muted"),
            reason=labels.reason_label(e["reason"]),
            code=e["code"],
            description=e["description"],
            location=e["location"],
            known=bool(e["status"]),
        )
        for e in reversed(events)
    ]


def _dates(data: Mapping[str, Any]) -> dict[str, str]:
    """The shipment's own dates, written out for the agent."""
    keys = ("shipped_at", "promised_delivery_date", "delivered_at")
    return {key: labels.when(data[key]) for key in keys}


def _order_summary(shop_id: int, order_number: str) -> dict[str, Any]:
    """The order's number, date and customer name: no more personal data than the page needs."""
    summary = (
        Order.objects.filter(shop_id=shop_id, order_number=order_number)
        .values("order_number", "placed_at", "customer__name")
        .first()
    )
    if summary is None:
        return {"order_number": order_number, "placed": "", "customer": ""}
    return {
        "order_number": summary["order_number"],
        "placed": labels.when(summary["placed_at"]),
        "customer": summary["customer__name"],
    }


@agent_page
def shipment_view(request: HttpRequest, shop: Shop, shipment_id: int) -> HttpResponse:
    """One shipment: order, timeline in the shop's time zone, open findings and next review."""
    data = shipment_detail(shop.id, shipment_id)
    if data is None:
        raise Http404("no such shipment in this shop")
    now = clock.now()
    findings = [
        FindingView(_finding_chip(f), labels.evidence_words(f), labels.when(f.get("opened_at")))
        for f in data["findings"]
        if f["kind"] in PROBLEM_FINDINGS
    ]
    context = {
        "shop": shop,
        "shipment": data,
        "carrier": carrier_name(data["carrier"]),
        "order": _order_summary(shop.id, data["order_number"]),
        "status": _status_chip(data["status"]),
        "reason": labels.reason_label(data["reason"]),
        "findings": findings,
        "timeline": _timeline(data["timeline"]),
        "last_scan": _moment(data["last_event_at"], now),
        "next_review": _moment(data["next_review_at"], now),
        "dates": _dates(data),
    }
    return render(request, "tracking/shipment_detail.html", context)
