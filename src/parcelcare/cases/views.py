"""Agent pages of the case desk: the inbox, opening a case, one case and its photos.

Every query is scoped by the agent's shop; owners and agents act, viewers only read."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from parcelcare import clock
from parcelcare.accounts.models import Membership, Shop
from parcelcare.domain.cases import CaseKind, CaseStatus, Playbook
from parcelcare.domain.errors import DomainError
from parcelcare.domain.risk import PodStrength
from parcelcare.tracking.models import Order
from parcelcare.tracking.views import _wants_table_only, agent_page, agent_role

from . import inbox_paging, labels, queries
from .actors import Who
from .desk_page import (
    CLAIM_TONES,
    When,
    advice,
    checklist,
    claim_state,
    claim_view,
    ledger,
    remedy_options,
    sla_views,
    when,
)
from .forms import NewCaseForm
from .inbox_paging import InboxPage, inbox_page
from .models import Attachment, CarrierClaim, Case
from .policy import desk_for
from .queries import SLA_FILTERS, BadFilter, CaseFilter
from .services import CLOSED_STATES, open_case
from .stream import case_stream

ACTING = frozenset({Membership.Role.OWNER, Membership.Role.AGENT})


def can_act(user: Any, shop: Shop) -> bool:
    """Owners and agents change cases; viewers only read them."""
    return agent_role(user, shop) in ACTING


def refuse() -> HttpResponse:
    """The answer to a viewer who tries to change something."""
    return HttpResponseForbidden(_("Viewers can read cases but not change them."))


def who_of(request: HttpRequest) -> Who:
    """The signed-in agent as the case services record them."""
    return Who("agent", request.user.get_username())


def case_of(shop: Shop, case_id: int) -> Case:
    """One case of the shop; another shop's case is as unknown as a missing one."""
    case = (
        Case.objects.filter(shop=shop, pk=case_id)
        .select_related("shop", "order", "shipment", "customer", "assignee")
        .first()
    )
    if case is None:
        raise Http404("no such case in this shop")
    return case


@dataclass(frozen=True)
class Chip:
    """A coloured label."""

    text: str
    tone: str


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox."""

    id: int
    reference: str
    first_name: str
    order_number: str
    kind: str
    playbook: str
    status: Chip
    band: Chip
    due_label: str
    due: When
    sla: Chip
    assignee: str
    claim: Chip | None = None


def _claim_chips(case_ids: list[int], now: datetime) -> dict[int, Chip]:
    """A chip for each listed case whose unfiled claim's deadline is near or passed."""
    chips: dict[int, Chip] = {}
    for claim in CarrierClaim.objects.filter(case_id__in=case_ids, status="draft"):
        state = claim_state(claim, now)
        if state in ("overdue", "due_soon") and claim.case_id not in chips:
            label = labels.CLAIM_STATUS_LABELS[state]
            chips[claim.case_id] = Chip(f"{_('Claim')}: {label}", CLAIM_TONES[state])
    return chips


def _row(case: Case, due: queries.Due, now: datetime, claim: Chip | None = None) -> InboxRow:
    target = _("First response") if due.target == "first_response" else _("Resolution")
    return InboxRow(
        id=case.pk,
        reference=case.reference,
        first_name=labels.first_name(case.customer.name),
        order_number=case.order.order_number,
        kind=labels.kind_label(case.kind),
        playbook=labels.playbook_label(case.playbook),
        status=Chip(labels.status_label(case.status), labels.STATUS_TONES.get(case.status, "")),
        band=Chip(*labels.band_chip(queries.stored(case.risk).get("band"))),
        due_label=target,
        due=when(due.at, now),
        sla=Chip(*labels.sla_chip(due.state)),
        assignee=case.assignee.get_username() if case.assignee else "",
        claim=claim,
    )


def _options() -> dict[str, list[tuple[str, str]]]:
    """The inbox filter's choices in the agent's language."""
    return {
        "statuses": [
            (s.value, labels.status_label(s)) for s in CaseStatus if s not in CLOSED_STATES
        ],
        "kinds": [(k.value, labels.kind_label(k)) for k in CaseKind],
        "playbooks": [(p.value, labels.playbook_label(p)) for p in Playbook],
        "slas": [(s.value, labels.sla_chip(s)[0]) for s in SLA_FILTERS],
    }


@agent_page
def inbox(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Open cases, the one due first on top, with filters; htmx gets the table alone."""
    now = clock.now()
    status = 200
    cursor = request.GET.get("cursor") or None
    try:
        flt = queries.read_filter(request.GET)
        page: InboxPage | None = inbox_page(
            shop=shop,
            flt=flt,
            user_id=request.user.pk,
            desk=desk_for(shop, now),
            now=now,
            cursor=cursor,
            size=inbox_paging.PAGE_SIZE,
        )
    except BadFilter:
        flt, page, status = CaseFilter(), None, 400
    found = page.rows if page else []
    claims = _claim_chips([case.pk for case, _due in found], now)
    context = {
        "shop": shop,
        "rows": [_row(case, due, now, claims.get(case.pk)) for case, due in found],
        "page": page,
        "first_page": cursor is None,
        "flt": flt,
        "filtered": flt != CaseFilter(),
        "bad_filter": status == 400,
        "can_act": can_act(request.user, shop),
    }
    if _wants_table_only(request):
        response = render(request, "cases/_inbox_table.html", context, status=status)
    else:
        context["options"] = _options()
        response = render(request, "cases/inbox.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@agent_page
def new_case(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Open a case for an order number (owners and agents)."""
    if not can_act(request.user, shop):
        return refuse()
    posted = request.POST if request.method == "POST" else None
    form = NewCaseForm(posted, initial={"order_number": request.GET.get("order", "")})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        order = Order.objects.filter(shop=shop, order_number=data["order_number"].strip()).first()
        if order is None:
            form.add_error("order_number", _("There is no order with this number in your shop."))
        else:
            try:
                case, created = open_case(
                    shop=shop,
                    order=order,
                    kind=CaseKind(data["kind"]),
                    source=Case.Source.AGENT,
                    who=who_of(request),
                    now=clock.now(),
                    summary=data["summary"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if not created:
                    flash.info(request, _("This parcel already had an open case: it is below."))
                return redirect("case_detail", case.pk)
    status = 400 if form.errors else 200
    return render(request, "cases/new.html", {"shop": shop, "form": form}, status=status)


@agent_page
def case_page(request: HttpRequest, shop: Shop, case_id: int) -> HttpResponse:
    """One case: header with SLA, the stream on the left, checklist and remedies on the right."""
    case = case_of(shop, case_id)
    now = clock.now()
    desk = desk_for(shop, now)
    found = advice(case)
    claim = claim_view(case, now)
    context = {
        "shop": shop,
        "case": case,
        "kind": labels.kind_label(case.kind),
        "playbook": labels.playbook_label(case.playbook),
        "status": Chip(labels.status_label(case.status), labels.STATUS_TONES.get(case.status, "")),
        "slas": sla_views(case, desk, now),
        "is_mine": case.assignee_id == request.user.pk,
        "is_closed": case.status in CLOSED_STATES,
        "can_act": can_act(request.user, shop),
        "stream": case_stream(case),
        "steps": checklist(case, now, claim),
        "claim": claim,
        "advice": found,
        "remedies": remedy_options(case, desk, found),
        "ledger": ledger(case, now),
        "strengths": [(s.value, labels.POD_LABELS[s]) for s in PodStrength],
        "customer_name": case.customer.name,
        "opened": when(case.opened_at, now),
        "outcome": labels.remedy_label(case.outcome) if case.outcome else "",
        "resolved": when(case.resolved_at or case.closed_at, now),
    }
    return render(request, "cases/case.html", context)


@agent_page
def case_photo(request: HttpRequest, shop: Shop, case_id: int, photo_id: int) -> HttpResponse:
    """One of the customer's photos, for signed-in members of the case's shop only."""
    photo = Attachment.objects.filter(case__shop=shop, case_id=case_id, pk=photo_id).first()
    if photo is None:
        raise Http404("no such photo in this shop")
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response
