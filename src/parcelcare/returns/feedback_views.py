"""The one-click survey page /f/<token>: ?score=N records the score at once (a link in a
message or on the status page), then an optional comment can follow."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.throttle import RateLimit, client_ip
from parcelcare.domain.returns_policy import ReturnError
from parcelcare.tracking import public_format, public_lookup
from parcelcare.tracking.public_views import asked_language, not_found, private_response

from . import feedback
from .models import Feedback

ANSWERS = RateLimit("feedback", limit=20, window=600)


def _score(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and int(raw) in feedback.SCORES else None


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """Record a score from the link, or a comment from the form, and thank the customer."""
    found = Feedback.objects.filter(token=token).select_related("shop")
    survey = found.first() if public_lookup.TOKEN.fullmatch(token) else None
    if survey is None:
        return not_found(request)
    lang = public_format.page_language(asked_language(request), survey.language)
    now, saved, status = clock.now(), False, 200
    score = _score(
        request.POST.get("score") if request.method == "POST" else request.GET.get("score")
    )
    if score is not None and request.method != "HEAD":
        if not ANSWERS.hit(f"{token}:{client_ip(request)}", now).allowed:
            status = 429
        else:
            comment = request.POST.get("comment") if request.method == "POST" else None
            try:
                survey = feedback.answer(token=token, score=score, now=now, comment=comment)
            except ReturnError:
                status = 400
            saved = comment is not None
    context = {
        "survey": survey,
        "saved": saved,
        "shop_name": survey.shop.name,
        "brand": brand_of(survey.shop),
    }
    with translation.override(lang):
        response = render(request, "public_returns/survey.html", context, status=status)
    return private_response(response, lang)
