"""The desk's one-click actions on a case: each a POST that calls one service, then back to
the case page with what happened (or why it could not) as a message."""

from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.domain.errors import DomainError
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.risk import PodStrength
from parcelcare.tracking.views import agent_page

from . import carrier, notes, outcomes, services
from .actors import Who
from .forms import (
    ClaimForm,
    DenyForm,
    OutcomeForm,
    PodForm,
    RemedyForm,
    ReopenForm,
    StepForm,
    TextForm,
)
from .models import Case
from .views import can_act, case_of, refuse, who_of

Handler = Callable[[HttpRequest, Case, Who, datetime], str]


class Refused(Exception):
    """A form that cannot be used as sent; the message says what to fix."""


def _valid(form: forms.Form) -> dict:
    """The form's data, or Refused with its first error."""
    if form.is_valid():
        return form.cleaned_data
    errors = [str(e) for messages in form.errors.values() for e in messages]
    raise Refused(errors[0] if errors else _("Please check the form."))


def _assign(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    user = None if request.POST.get("to") == "nobody" else request.user
    services.assign(case=case, user=user, who=who, now=now)
    return _("The case is yours now.") if user else _("Nobody owns the case now.")


def _step(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(StepForm(request.POST))
    services.complete_step(case=case, key=data["key"], who=who, now=now, skip=data["skip"])
    return _("Step skipped.") if data["skip"] else _("Step marked done.")


def _pod_request(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    carrier.request_pod(case=case, who=who, now=now)
    return _("Proof of delivery requested: the case waits on the carrier.")


def _pod_record(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(PodForm(request.POST))
    strength = PodStrength(data["strength"])
    carrier.record_pod(case=case, strength=strength, detail=data["detail"], who=who, now=now)
    return _("Proof of delivery recorded; the risk score is updated.")


def _claim_file(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(ClaimForm(request.POST))
    claim = carrier.file_claim(case=case, reference=data["reference"], who=who, now=now)
    return _("Claim %(reference)s filed with the carrier.") % {"reference": claim.reference}


def _claim_outcome(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(OutcomeForm(request.POST, currency=case.order.currency))
    accepted = data["accepted"] == "yes"
    payout = (data["payout"] or 0) if accepted else 0
    carrier.claim_outcome(case=case, accepted=accepted, payout_minor=payout, who=who, now=now)
    return _("The carrier's answer is recorded.")


def _remedy(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(RemedyForm(request.POST, currency=case.order.currency))
    _entry, created = outcomes.record_remedy(
        case=case,
        kind=RemedyKind(data["kind"]),
        amount=data["minor"],
        who=who,
        now=now,
        idempotency_key=data["key"],
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        customer_share_percent=data["share"] or 0,
        reference=data["code"],
    )
    if not created:
        return _("This remedy was already recorded: nothing was booked twice.")
    return _("Remedy recorded; the case is resolved and the customer is told.")


def _deny(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(DenyForm(request.POST))
    outcomes.deny(case=case, who=who, now=now, reason=data["reason"])
    return _("The claim is denied; the customer is told.")


def _reply(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(TextForm(request.POST))
    if notes.reply(case=case, body=data["body"], who=who, now=now):
        return _("Reply sent to the customer.")
    return _("The reply could not be sent: the case has no parcel or contact address.")


def _note(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(TextForm(request.POST))
    notes.add_note(case=case, body=data["body"], who=who, now=now)
    return _("Internal note added.")


def _close(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    outcomes.close(case=case, who=who, now=now)
    return _("Case closed.")


def _reopen(request: HttpRequest, case: Case, who: Who, now: datetime) -> str:
    data = _valid(ReopenForm(request.POST))
    outcomes.reopen(case=case, who=who, now=now, why=data["why"])
    return _("Case reopened.")


HANDLERS: dict[str, Handler] = {
    "assign": _assign,
    "step": _step,
    "pod-request": _pod_request,
    "pod-record": _pod_record,
    "claim-file": _claim_file,
    "claim-outcome": _claim_outcome,
    "remedy": _remedy,
    "deny": _deny,
    "reply": _reply,
    "note": _note,
    "close": _close,
    "reopen": _reopen,
}
"""Every action of the case page, by the name in its URL."""


@require_POST
@agent_page
def case_action(request: HttpRequest, shop: Shop, case_id: int, action: str) -> HttpResponse:
    """Run one action; a refused one is explained on the case page, never a server error."""
    handler = HANDLERS.get(action)
    if handler is None:
        raise Http404("no such case action")
    if not can_act(request.user, shop):
        return refuse()
    case = case_of(shop, case_id)
    try:
        done = handler(request, case, who_of(request), clock.now())
    except Refused as error:
        flash.error(request, str(error))
    except (DomainError, ValueError) as error:
        flash.error(request, _("That did not work: %(detail)s") % {"detail": error})
    else:
        flash.success(request, done)
    response = redirect("case_detail", case.pk)
    response.status_code = 303
    return response
