"""The agent login, with failed attempts limited per account and per client address.

Counts live in the database (accounts.throttle), so restarts and extra processes share them.
Each attempt is counted before the password is checked, and a held one is refused without
checking it; a successful login clears the account's count and takes only its own attempt off
the address's count, so one valid account cannot unlock guessing at others from one address."""

import logging
import math
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from parcelcare import clock

from . import audit
from .models import Membership
from .throttle import RateLimit, client_ip

log = logging.getLogger(__name__)


def per_account() -> RateLimit:
    """Failed logins per account name."""
    return RateLimit(
        "login-account", settings.LOGIN_ATTEMPTS_PER_ACCOUNT, settings.LOGIN_ATTEMPTS_WINDOW
    )


def per_address() -> RateLimit:
    """Failed logins per client address, whatever the account."""
    return RateLimit(
        "login-address", settings.LOGIN_ATTEMPTS_PER_ADDRESS, settings.LOGIN_ATTEMPTS_WINDOW
    )


def account_key(username: str) -> str:
    """The account name as counted: trimmed and case-folded, so AGENT and agent count as one."""
    return username.strip().casefold()


def audit_lock(*, username: str, scope: str, retry_after: int, now: datetime) -> None:
    """Audit that an account reached its limit, in each of its shops; no name, no address."""
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        return
    shops = Membership.objects.filter(user=user).values_list("shop_id", flat=True)
    with transaction.atomic():
        for shop_id in shops:
            audit.record(
                shop_id=shop_id,
                at=now,
                actor_type="system",
                actor="",
                subject_type="agent",
                subject_id=int(user.pk),
                action="login_throttled",
                after={"scope": scope, "retry_after_seconds": retry_after},
            )


def too_many(retry_after: int) -> str:
    """The message shown instead of the form's verdict, in the page's language."""
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "Too many failed login attempts. Try again in %(minutes)d minute.",
        "Too many failed login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledLoginView(LoginView):
    """Django's login view, refusing with 429 once an account or address is over its limit."""

    template_name = "tracking/login.html"
    redirect_authenticated_user = True
    next_page = "shipment_list"

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        """Count the attempt first, so parallel guesses cannot slip past; refuse over a limit
        without checking the password; else log in as usual."""
        username = str(request.POST.get("username", ""))
        if not (account_key(username) and request.POST.get("password")):
            return super().post(request, *args, **kwargs)  # the form says what is missing
        now = clock.now()
        account = per_account().hit(account_key(username), now)
        address = per_address().hit(client_ip(request), now)
        if account.allowed and address.allowed:
            return super().post(request, *args, **kwargs)
        scope, verdict = ("account", account) if not account.allowed else ("address", address)
        log.warning("agent login refused: too many failed attempts (per %s)", scope)
        if scope == "account" and account.count == per_account().limit + 1:
            audit_lock(username=username, scope=scope, retry_after=verdict.retry_after, now=now)
        # An unbound form: binding would validate it, and so check the password after all.
        form = self.get_form_class()(request, initial={"username": username})
        form.cleaned_data = {}
        form.add_error(None, too_many(verdict.retry_after))
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log in, clear the account's count and take this attempt off the address's count."""
        now = clock.now()
        per_account().reset(account_key(str(form.data.get("username", ""))), now)
        per_address().release(client_ip(self.request), now)
        return super().form_valid(form)
