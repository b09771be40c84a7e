"""Settings pages for message texts: which the shop wrote itself, and an editor with a live
preview, a test e-mail to oneself and save. Owners edit; agents and viewers read."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.integrations.channels.base import ChannelError
from parcelcare.tracking.views import agent_page, is_owner

from . import channels
from .context import VARIABLES
from .labels import channel_label, kind_label
from .models import TemplateOverride
from .overrides import (
    MAX_SOURCE,
    Slot,
    default_source,
    overridden,
    render_draft,
    reset_override,
    save_override,
    slots,
)
from .sender import send_test


class OverrideForm(forms.Form):
    """The shop's own text for one message."""

    source = forms.CharField(
        strip=False,
        max_length=MAX_SOURCE,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 72, "spellcheck": "true"}),
    )


@dataclass(frozen=True)
class Cell:
    """One language of a message on the overview: ours or the shop's own since a moment."""

    slot: Slot
    updated_at: datetime | None


@dataclass(frozen=True)
class Row:
    """One message kind and channel, with a cell per language."""

    kind: str
    channel: str
    cells: list[Cell]


def _slot(kind: str, channel: str, language: str) -> Slot:
    slot = Slot.parse(kind, channel, language)
    if slot is None:
        raise Http404("no such message text")
    return slot


@agent_page
def message_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Every message kind per channel and language, marking the ones the shop rewrote."""
    changed = overridden(shop)
    rows: dict[tuple[str, str], list[Cell]] = {}
    for slot in slots():
        rows.setdefault((slot.kind, slot.channel), []).append(Cell(slot, changed.get(slot)))
    context = {
        "shop": shop,
        "rows": [
            Row(kind_label(kind), channel_label(channel), cells)
            for (kind, channel), cells in rows.items()
        ],
        "language_names": settings.LANGUAGES,
        "may_edit": is_owner(request.user, shop),
    }
    return render(request, "messaging/settings_messages.html", context)


def _editor(
    request: HttpRequest, shop: Shop, slot: Slot, form: OverrideForm, **extra: Any
) -> HttpResponse:
    """The edit page with the preview of what the form holds now."""
    status = extra.pop("status", 200)
    source = form.data.get("source") if form.is_bound else form.initial.get("source")
    context = {
        "shop": shop,
        "slot": slot,
        "kind": kind_label(slot.kind),
        "channel": channel_label(slot.channel),
        "language": dict(settings.LANGUAGES)[slot.language],
        "form": form,
        "override": TemplateOverride.objects.filter(shop=shop, **_where(slot)).first(),
        "may_edit": is_owner(request.user, shop),
        "variables": [_braces(name) for name in sorted(VARIABLES)],
        "example": _braces("first_name"),
        **_preview(shop, slot, source or ""),
        **extra,
    }
    return render(request, "messaging/override_edit.html", context, status=status)


def _braces(name: str) -> str:
    """A variable as a shop writes it in its text."""
    return "{{ " + name + " }}"


def _where(slot: Slot) -> dict[str, str]:
    return {"kind": slot.kind, "channel": slot.channel, "language": slot.language}


def _preview(shop: Shop, slot: Slot, source: str) -> dict[str, Any]:
    """The rendered draft, or what is wrong with it."""
    try:
        return {"rendered": render_draft(shop, slot, source, clock.now()), "error": ""}
    except ValueError as error:
        return {"rendered": None, "error": str(error)}


@require_http_methods(["GET", "HEAD", "POST"])
@agent_page
def message_edit(
    request: HttpRequest, shop: Shop, kind: str, channel: str, language: str
) -> HttpResponse:
    """GET shows the shop's text (or ours); POST saves it, or resets to ours, for owners."""
    slot = _slot(kind, channel, language)
    if request.method != "POST":
        current = TemplateOverride.objects.filter(shop=shop, **_where(slot)).first()
        source = current.source if current else default_source(slot)
        return _editor(request, shop, slot, OverrideForm(initial={"source": source}))
    if not is_owner(request.user, shop):
        return HttpResponse(status=403)
    if "reset" in request.POST:
        if reset_override(shop=shop, slot=slot, user=request.user, now=clock.now()):
            messages.success(request, _("Back to parcelcare's text."))
        return redirect("message_edit", slot.kind, slot.channel, slot.language)
    form = OverrideForm(request.POST)
    if form.is_valid():
        source = form.cleaned_data["source"]
        error = save_override(
            shop=shop, slot=slot, source=source, user=request.user, now=clock.now()
        )
        if error is None:
            messages.success(request, _("Saved. New messages use this text."))
            return redirect("message_edit", slot.kind, slot.channel, slot.language)
        form.add_error("source", _("Not saved: %(error)s") % {"error": error})
    return _editor(request, shop, slot, form, status=400)


@require_POST
@agent_page
def message_preview(
    request: HttpRequest, shop: Shop, kind: str, channel: str, language: str
) -> HttpResponse:
    """The live preview of a draft (htmx): subject, text and the e-mail as HTML."""
    slot = _slot(kind, channel, language)
    context = {"slot": slot, **_preview(shop, slot, request.POST.get("source", ""))}
    return render(request, "messaging/_override_preview.html", context)


@require_POST
@agent_page
def message_test(
    request: HttpRequest, shop: Shop, kind: str, channel: str, language: str
) -> HttpResponse:
    """E-mail the draft to the signed-in owner through the configured e-mail channel."""
    slot = _slot(kind, channel, language)
    if not is_owner(request.user, shop):
        return HttpResponse(status=403)
    to = getattr(request.user, "email", "")
    source = request.POST.get("source", "")
    ok, notice = False, _("Your account has no e-mail address to send a test to.")
    if to:
        ok, notice = _send_test(shop, slot, source, to)
    if request.headers.get("HX-Request") == "true":
        return render(request, "messaging/_override_test.html", {"ok": ok, "notice": notice})
    form = OverrideForm({"source": source})
    return _editor(request, shop, slot, form, test_ok=ok, test_notice=notice)


def _send_test(shop: Shop, slot: Slot, source: str, to: str) -> tuple[bool, str]:
    """Whether the test went out, and the words that say so."""
    email = channels.configured()["email"]
    try:
        send_test(shop=shop, slot=slot, source=source, to=to, channel=email, now=clock.now())
    except ValueError as error:
        return False, _("Not sent: %(error)s") % {"error": error}
    except ChannelError as error:
        return False, _("The test e-mail could not be sent: %(error)s") % {"error": error}
    return True, _("A test e-mail is on its way to %(email)s.") % {"email": to}
