"""The agent's returns desk: the inbox (filter by status), one return with its lines, photos,
money and history, and one POST per action. Every query is scoped by the agent's shop; owners
and agents act, viewers only read."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Membership, Shop
from parcelcare.domain.errors import DomainError
from parcelcare.domain.returns_policy import OPEN_STATUSES, ReturnStatus
from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.ledger import labels as ledger_labels
from parcelcare.ledger.models import Payout, RemedyEntry
from parcelcare.tracking.views import agent_page, agent_role

from . import feedback, history, refunds, services, words
from .models import ReturnPhoto, ReturnRequest
from .services import Who

INBOX_SIZE = 200
ACTING = frozenset({Membership.Role.OWNER, Membership.Role.AGENT})
Handler = Callable[[HttpRequest, ReturnRequest, Who, datetime], str]


def _return_of(shop: Shop, return_id: int) -> ReturnRequest:
    found = ReturnRequest.objects.filter(shop=shop, pk=return_id).select_related("order").first()
    if found is None:
        raise Http404("no such return in this shop")
    return found


@agent_page
def inbox(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Returns, oldest open request first; ?status= narrows to one status or 'all'."""
    wanted = request.GET.get("status", "")
    rows = ReturnRequest.objects.filter(shop=shop).select_related("order")
    if wanted in ReturnStatus.__members__.values():
        rows = rows.filter(status=wanted)
    elif wanted != "all":
        rows = rows.filter(status__in=OPEN_STATUSES)
    context = {
        "shop": shop,
        "rows": [_row(item) for item in rows.order_by("created_at", "id")[:INBOX_SIZE]],
        "wanted": wanted,
        "statuses": [(s.value, str(words.STATUSES[s.value])) for s in ReturnStatus],
        "feedback": history.feedback_rows(feedback.results(shop_id=shop.id)),
    }
    return render(request, "returns/inbox.html", context)


def _row(item: ReturnRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "rma": item.rma,
        "order_number": item.order.order_number,
        "status": str(words.STATUSES.get(item.status, item.status)),
        "reason": str(words.REASONS.get(item.reason, item.reason)),
        "resolution": str(words.RESOLUTIONS.get(item.resolution, item.resolution)),
        "refund": words.amount(item.refund_minor, item.currency),
        "keep_item": item.keep_item,
        "created_at": item.created_at,
    }


@agent_page
def detail(request: HttpRequest, shop: Shop, return_id: int) -> HttpResponse:
    """One return: lines, photos, money, ledger entries with payouts, history and actions."""
    item = _return_of(shop, return_id)
    entries = list(item.remedies.order_by("id"))
    payouts = {p.entry_id: p for p in Payout.objects.filter(entry__in=entries)}
    context = {
        "shop": shop,
        "item": item,
        "row": _row(item),
        "lines": list(item.lines.all()),
        "photos": list(item.photos.values_list("id", flat=True)),
        "entries": [
            {
                "entry": e,
                "amount": words.amount(e.amount, e.currency),
                "payout": payouts.get(e.pk),
                "kind": ledger_labels.kind_label(e.kind),
                "status": ledger_labels.status_label(e.status),
            }
            for e in entries
        ],
        "history": history.lines(
            AuditEntry.objects.filter(shop=shop, subject_type="return", subject_id=item.pk)
            .order_by("at", "id")
            .values("at", "actor_type", "actor", "action", "after"),
            item.currency,
        ),
        "return_carrier": carrier_name(item.return_carrier) if item.return_carrier else "",
        "can_act": agent_role(request.user, shop) in ACTING,
        "money": {
            "goods": words.amount(item.goods_minor, item.currency),
            "fee": words.amount(item.restocking_fee_minor, item.currency),
            "postage": words.amount(item.return_shipping_minor, item.currency),
            "deduction": words.amount(item.deduction_minor, item.currency),
            "refund": words.amount(item.refund_minor, item.currency),
        },
        "status": item.status,
        "refund_failed": _last_refund_failed(entries),
    }
    return render(request, "returns/detail.html", context)


def _last_refund_failed(entries: list[RemedyEntry]) -> bool:
    """Whether the return's latest refund could not be paid, so it may be paid again."""
    refunds = [e for e in entries if e.kind in ("refund", "partial_refund")]
    return bool(refunds) and refunds[-1].status == "failed"


@agent_page
def photo(request: HttpRequest, shop: Shop, return_id: int, photo_id: int) -> HttpResponse:
    """One photo of a return of this shop."""
    found = ReturnPhoto.objects.filter(
        request__shop=shop, request_id=return_id, pk=photo_id
    ).first()
    if found is None:
        raise Http404("no such photo")
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def minor_units(raw: str) -> int | None:
    """An amount typed as 12.50 or 12,50 in minor units; None when blank; ValueError if bad."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    whole, _, cents = text.partition(".")
    if not whole.isdigit() or not (cents == "" or (cents.isdigit() and len(cents) <= 2)):
        raise ValueError(raw)
    return int(whole) * 100 + int((cents or "0").ljust(2, "0"))


def _approve(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    services.approve(request=item, who=who, now=now, note=request.POST.get("note", ""))
    return _("Return approved.")


def _reject(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    services.reject(request=item, who=who, now=now, reason=request.POST.get("reason", ""))
    return _("Return rejected.")


def _parcel(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    services.add_return_parcel(
        request=item,
        carrier=request.POST.get("carrier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
        who=who,
        now=now,
    )
    return _("Return parcel saved.")


def _received(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    services.mark_received(request=item, who=who, now=now)
    return _("Return marked as received.")


def _inspect(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    deduction = minor_units(request.POST.get("deduction", "")) or 0
    services.inspect(
        request=item, who=who, now=now, deduction_minor=deduction, note=request.POST.get("note", "")
    )
    return _("Inspection saved.")


def _resolve(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    services.resolve(
        request=item,
        kind=request.POST.get("kind", ""),
        who=who,
        now=now,
        amount=minor_units(request.POST.get("amount", "")),
        code=request.POST.get("code", ""),
        carrier=request.POST.get("carrier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
    )
    return _("Return resolved.")


def _refund_again(request: HttpRequest, item: ReturnRequest, who: Who, now: datetime) -> str:
    refunds.refund_again(request=item, who=who, now=now)
    return _("The refund is being paid again.")


ACTIONS: dict[str, Handler] = {
    "refund-again": _refund_again,
    "approve": _approve,
    "reject": _reject,
    "parcel": _parcel,
    "received": _received,
    "inspect": _inspect,
    "resolve": _resolve,
}


@require_POST
@agent_page
def action(request: HttpRequest, shop: Shop, return_id: int, name: str) -> HttpResponse:
    """Run one action and go back to the return with what happened, or why it could not."""
    handler = ACTIONS.get(name)
    if handler is None:
        raise Http404("no such action")
    if agent_role(request.user, shop) not in ACTING:
        return HttpResponseForbidden(_("Viewers can read returns but not change them."))
    item = _return_of(shop, return_id)
    who = Who("agent", request.user.get_username())
    try:
        flash.success(request, handler(request, item, who, clock.now()))
    except ValueError:
        flash.error(request, _("Write amounts like 12.50."))
    except DomainError as refused:
        flash.error(request, str(refused))
    return redirect("return_detail", return_id=item.pk)
