"""Agent page of the webhook inbox: what arrived, what failed and why, and a replay button."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcelcare.accounts.models import Membership, Shop
from parcelcare.jobs import process_inbox

from .inbox import replay
from .models import InboxItem
from .views import agent_page, agent_role

SHOWN = 100


@agent_page
def inbox_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Counts per status and the latest deliveries that still need attention first."""
    items = InboxItem.objects.filter(shop=shop).defer("body")
    counts = dict(items.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    attention = items.exclude(status=InboxItem.Status.DONE).order_by("-received_at")[:SHOWN]
    recent = items.filter(status=InboxItem.Status.DONE).order_by("-received_at")[:20]
    context = {
        "shop": shop,
        "counts": counts,
        "attention": attention,
        "recent": recent,
        "statuses": InboxItem.Status,
    }
    return render(request, "tracking/inbox.html", context)


@require_POST
@agent_page
def inbox_replay(request: HttpRequest, shop: Shop, item_id: int) -> HttpResponse:
    """Queue a failed delivery again (agents and owners; viewers only read)."""
    if agent_role(request.user, shop) == Membership.Role.VIEWER:
        return HttpResponse(status=403)
    if replay(shop_id=shop.id, item_id=item_id):
        messages.success(request, _("The delivery is queued again."))
        process_inbox()
    else:
        messages.error(request, _("Only failed deliveries can be replayed."))
    return redirect("inbox")
