"""The customer's case pages, without login: report a problem from the tracking page, then
follow the case at /c/<token>, whose unguessable token is the only key. Posts are rate-limited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.throttle import RateLimit, client_ip
from parcelcare.domain.errors import DomainError
from parcelcare.tracking import public_format, public_lookup, public_page
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.public_views import (
    asked_language,
    not_found,
    private_response,
    shipment_page,
)

from . import customer, notes
from .customer_page import THANKS, checks, customer_case, statement
from .forms import (
    PROBLEM_KINDS,
    PROBLEMS,
    AddressForm,
    ChecksForm,
    ChoiceForm,
    DeclarationForm,
    MessageForm,
    PhotosForm,
    ReportForm,
)
from .models import Case

REPORTS = RateLimit("case-report", limit=5, window=600)
"""Reports per tracking link and client address: a few honest tries, no flood of cases."""
ANSWERS = RateLimit("case-answer", limit=20, window=600)
"""Answers and messages per case link and client address."""

PROBLEM_LABELS: dict[str, Promise] = {
    "not_received": gettext_lazy("I did not receive it"),
    "damaged": gettext_lazy("It arrived damaged"),
    "wrong_item": gettext_lazy("Wrong item"),
}


def _too_many() -> str:
    return _("Too many attempts from this connection. Please wait a few minutes and try again.")


def _refused() -> str:
    return _(
        "This could not be saved. Photos must be JPEG, PNG, WebP or HEIF, at most 8 MB each "
        "and 6 in all; a step that is already done cannot be sent again."
    )


def _back(name: str, token: str, **query: str) -> HttpResponse:
    """See Other: back to a page with a GET, keeping the asked language."""
    kept = {key: value for key, value in query.items() if value}
    target = reverse(name, args=[token]) + (f"?{urlencode(kept)}" if kept else "")
    response = redirect(target)
    response.status_code = 303
    return response


# --- reporting from the tracking page ------------------------------------------------------


def _problems(page: public_page.TrackingPage) -> list[tuple[str, str]]:
    """The problems this parcel can be reported for: "not received" once it should be there,
    "damaged" and "wrong item" once it was delivered."""
    allowed = {"not_received": page.missing_ok, "damaged": page.arrived, "wrong_item": page.arrived}
    return [(key, str(PROBLEM_LABELS[key])) for key in PROBLEMS if allowed[key]]


def _report(shipment: Shipment, data: dict[str, Any], now: datetime) -> Case:
    label = str(PROBLEM_LABELS[data["problem"]])
    message = data["message"].strip()
    return customer.report(
        shipment=shipment,
        kind=PROBLEM_KINDS[data["problem"]],
        summary=f"{label}: {message}" if message else label,
        uploads=data["photos"],
        now=now,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, token: str) -> HttpResponse:
    """The form behind "Report a problem"; a report opens a case and shows its page."""
    found = shipment_page(request, token)
    if found is None:
        return not_found(request)
    shipment, lang = found
    asked = asked_language(request)
    now, status, error = clock.now(), 200, ""
    with translation.override(lang), timezone.override(public_format.shop_zone(shipment.shop)):
        page = public_page.build_page(shipment, lang=lang, now=now)
        problems = _problems(page)
        form = ReportForm(initial={"problem": request.GET.get("problem", "")})
        if request.method == "POST":
            form = ReportForm(request.POST, request.FILES)
            verdict = REPORTS.hit(f"{token}:{client_ip(request)}", now)
            if not verdict.allowed:
                status, error = 429, _too_many()
            elif form.is_valid() and form.cleaned_data["problem"] in dict(problems):
                try:
                    case = _report(shipment, form.cleaned_data, now)
                except DomainError:
                    status, error = 400, _refused()
                else:
                    return _back("public_case", case.public_token, done="report", lang=asked or "")
            else:
                status = 400
        context = {
            "page": page,
            "shop_name": page.shop_name,
            "brand": brand_of(shipment.shop),
            "form": form,
            "problems": problems,
            "error": error,
            "query": f"?lang={asked}" if asked else "",
        }
        response = render(request, "public_case/report.html", context, status=status)
    return private_response(response, lang)


# --- the customer's case page --------------------------------------------------------------


def case_by_token(token: str) -> Case | None:
    """The case behind a link, or None; malformed tokens never reach the database."""
    if not public_lookup.TOKEN.fullmatch(token):
        return None
    related = ("shop", "order", "shipment", "customer")
    return Case.objects.select_related(*related).filter(public_token=token).first()


@dataclass(frozen=True)
class Sent:
    """One answer as it came in: the request, its case, the form's data, language and time."""

    request: HttpRequest
    case: Case
    data: dict[str, Any]
    lang: str
    now: datetime


@dataclass(frozen=True)
class Answer:
    """One thing the customer can send from their case page: its form and what it does."""

    form: type[forms.Form]
    run: Callable[[Sent], object]


def _checks(sent: Sent) -> None:
    data = sent.data
    customer.confirm_checks(case=sent.case, checked=data["checks"], now=sent.now, note=data["note"])


def _declare(sent: Sent) -> None:
    customer.sign_declaration(
        case=sent.case,
        name=sent.data["name"],
        statement=statement(sent.case, sent.lang),
        agreed=sent.data["agree"],
        now=sent.now,
        ip=sent.request.META.get("REMOTE_ADDR") or None,
        user_agent=sent.request.headers.get("User-Agent", ""),
    )


def _photos(sent: Sent) -> None:
    customer.add_photos(case=sent.case, uploads=sent.data["photos"], now=sent.now)


def _choice(sent: Sent) -> None:
    customer.choose_remedy(case=sent.case, choice=sent.data["choice"], now=sent.now)


def _address(sent: Sent) -> None:
    answer = sent.data["answer"]
    customer.confirm_address(
        case=sent.case,
        correct=answer == "correct",
        now=sent.now,
        new_address=sent.data["new_address"] if answer == "new" else "",
        pickup_point=sent.data["pickup_point"] if answer == "pickup" else "",
    )


def _message(sent: Sent) -> None:
    notes.customer_message(case=sent.case, body=sent.data["body"], now=sent.now)


ACTIONS: dict[str, Answer] = {
    "checks": Answer(ChecksForm, _checks),
    "declaration": Answer(DeclarationForm, _declare),
    "photos": Answer(PhotosForm, _photos),
    "choice": Answer(ChoiceForm, _choice),
    "address": Answer(AddressForm, _address),
    "message": Answer(MessageForm, _message),
}
"""Every answer of the customer's case page, by the name in its URL."""


def _case_language(request: HttpRequest, case: Case) -> str:
    return public_format.page_language(
        asked_language(request), case.language, case.shop.default_language
    )


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
) -> HttpResponse:
    """The customer's case page in their language, with a form that failed kept as sent."""
    lang = _case_language(request, case)
    with translation.override(lang), timezone.override(public_format.shop_zone(case.shop)):
        page = customer_case(case, lang=lang, now=clock.now())
        forms_ = {name: answer.form() for name, answer in ACTIONS.items()}
        if bound is not None:
            forms_[bound[0]] = bound[1]
        done = THANKS.get(request.GET.get("done", ""))
        context = {
            "page": page,
            "shop_name": page.shop_name,
            "brand": brand_of(case.shop),
            "forms": forms_,
            "checks": checks(),
            "error": error,
            "thanks": str(done) if done and status == 200 else "",
            "token": case.public_token,
            "query": f"?lang={asked}" if (asked := asked_language(request)) else "",
            "contact_email": case.shop.reply_to or case.shop.contact_email,
        }
        response = render(request, "public_case/case.html", context, status=status)
    return private_response(response, lang)


@require_http_methods(["GET", "HEAD"])
def case_page(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's case: what we know, what happens next, and what we ask of them."""
    case = case_by_token(token)
    if case is None:
        return not_found(request)
    return render_case(request, case)


@require_POST
def case_answer(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """One answer from the case page; then a thank-you and the next step."""
    case, answer = case_by_token(token), ACTIONS.get(action)
    if case is None:
        return not_found(request)
    if answer is None:
        raise Http404("no such answer")
    lang, now = _case_language(request, case), clock.now()
    with translation.override(lang):
        if not ANSWERS.hit(f"{token}:{client_ip(request)}", now).allowed:
            return render_case(request, case, status=429, error=_too_many())
        form = answer.form(request.POST, request.FILES)
        if not form.is_valid():
            return render_case(request, case, status=400, bound=(action, form))
        try:
            answer.run(Sent(request, case, form.cleaned_data, lang, now))
        except DomainError:
            return render_case(request, case, status=400, bound=(action, form), error=_refused())
    return _back("public_case", token, done=action, lang=asked_language(request) or "")
