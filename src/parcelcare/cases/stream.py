"""One case's stream for the desk: carrier events, messages, notes, declarations, photos and
audit entries merged in time order, each in the agent's language."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcelcare.accounts.models import AuditEntry
from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.messaging import labels as message_labels
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.render import MissingTemplate
from parcelcare.messaging.sender import preview
from parcelcare.messaging.views import LABELS as MESSAGE_STATES
from parcelcare.tracking import labels as tracking_labels

from . import labels
from .models import Case

SHOWN_ELSEWHERE = frozenset({"note", "message_in", "photos"})
"""Audit actions whose subject already stands in the stream as its own item."""
ORDER = ("report", "photos", "event", "audit", "message", "note_in", "note", "declaration")
"""Items at the same moment in this order: photos sent with a report stand right under it."""


@dataclass(frozen=True)
class StreamItem:
    """One entry of the stream; `kind` picks its look, `photos` holds attachment ids."""

    at: datetime
    kind: str
    title: str
    body: str = ""
    meta: str = ""
    tone: str = "muted"
    photos: tuple[int, ...] = field(default=())

    @property
    def when(self) -> str:
        """The moment in the shop's time zone and the agent's language."""
        return tracking_labels.when(self.at)


def _events(case: Case) -> Iterator[StreamItem]:
    if case.shipment is None:
        return
    for event in case.shipment.events.order_by("occurred_at", "id"):
        status = event.status or ""
        meta = " · ".join(part for part in (event.location, event.code) if part)
        yield StreamItem(
            at=event.occurred_at,
            kind="event",
            title=tracking_labels.status_label(status) if status else _("Carrier update"),
            body=event.description,
            meta=meta,
            tone=tracking_labels.STATUS_TONES.get(status, "muted"),
        )


def _message_text(message: OutboxMessage) -> tuple[str, str]:
    """The subject and text the customer gets; the stored reply when no template exists yet."""
    try:
        rendered = preview(message)
    except (MissingTemplate, ValueError, KeyError):
        payload = message.payload or {}
        return message_labels.kind_label(message.kind), str(payload.get("body", ""))
    return rendered.subject or message_labels.kind_label(message.kind), rendered.text


def _messages(case: Case) -> Iterator[StreamItem]:
    if case.shipment_id is None:
        return
    # Withdrawn messages never reached anyone: they are left out, as in the dossier.
    rows = OutboxMessage.objects.filter(shop_id=case.shop_id, shipment_id=case.shipment_id).exclude(
        status=OutboxMessage.Status.WITHDRAWN
    )
    for message in rows.select_related("shop", "shipment__order__customer").order_by("send_at"):
        subject, text = _message_text(message)
        channel = message_labels.sent_channel_label(message.channel) if message.channel else ""
        state = str(MESSAGE_STATES.get(message.status, message.status))
        to_customer = message.audience == "customer"
        if not to_customer and subject == message.kind:
            subject = _("Follow-up task for the desk")
        to = _("To the customer") if to_customer else _("To the shop")
        yield StreamItem(
            at=message.sent_at or max(message.send_at, message.created_at),
            kind="message",
            title=subject,
            body=text,
            meta=" · ".join(p for p in (to, channel, state) if p),
            tone="info" if to_customer else "warn",
        )


def _notes(case: Case) -> Iterator[StreamItem]:
    if case.summary:
        title = _("Report from the customer") if case.source == "customer" else _("Summary")
        yield StreamItem(case.opened_at, "report", title, case.summary, tone="info")
    for note in case.notes.order_by("at", "id"):
        inbound = note.direction == "in"
        if inbound:
            title = _("The customer wrote")
        elif note.author in ("system", "desk"):
            title = _("System note")
        else:
            title = _("Internal note by %(name)s") % {"name": note.author}
        yield StreamItem(note.at, "note_in" if inbound else "note", title, note.body)


def _declarations(case: Case) -> Iterator[StreamItem]:
    for signed in case.declarations.order_by("signed_at"):
        where = _("Signed from %(ip)s") % {"ip": signed.ip or "?"}
        yield StreamItem(
            at=signed.signed_at,
            kind="declaration",
            title=_("Declaration of non-receipt signed by %(name)s") % {"name": signed.name},
            body=signed.statement,
            meta=f"{where} · {signed.user_agent[:80]}",
            tone="warn",
        )


def _photos(case: Case) -> Iterator[StreamItem]:
    rows = case.attachments.order_by("uploaded_at", "id").values_list("uploaded_at", "id")
    for at, group in groupby(rows, key=lambda row: row[0]):
        ids = tuple(pk for _at, pk in group)
        title = ngettext(
            "%(count)d photo from the customer", "%(count)d photos from the customer", len(ids)
        ) % {"count": len(ids)}
        yield StreamItem(at, "photos", title, photos=ids)


def _claim_reminders(case: Case) -> Iterator[StreamItem]:
    for claim in case.claims.filter(reminders_sent__gt=0, reminded_at__isnull=False):
        assert claim.reminded_at is not None and claim.deadline_at is not None
        deadline = formats.date_format(timezone.localtime(claim.deadline_at), "DATETIME_FORMAT")
        yield StreamItem(
            claim.reminded_at,
            "note",
            _("Claim deadline coming up"),
            _("File the claim with %(carrier)s by %(deadline)s.")
            % {"carrier": carrier_name(claim.carrier), "deadline": deadline},
            tone="warn",
        )


def _audit(case: Case) -> Iterator[StreamItem]:
    entries = AuditEntry.objects.filter(
        shop_id=case.shop_id, subject_type="case", subject_id=case.pk
    ).order_by("at", "id")
    for entry in entries:
        if entry.action in SHOWN_ELSEWHERE:
            continue
        text = audit_sentence(entry.action, entry.before or {}, entry.after or {}, case)
        if text:
            who = labels.actor_words(entry.actor_type, entry.actor)
            yield StreamItem(entry.at, "audit", text, meta=who)


def _step_sentence(key: str, after: dict[str, Any]) -> str:
    state = labels.STEP_STATE_LABELS.get(after.get("state", ""), after.get("state", ""))
    return f"{labels.step_label(key)}: {str(state).lower()}"


def _change(title: str, before: Any, after: Any) -> str:
    return _("%(what)s: %(before)s → %(after)s") % {"what": title, "before": before, "after": after}


def audit_sentence(action: str, before: dict[str, Any], after: dict[str, Any], case: Case) -> str:
    """One audit entry in words; unknown actions are shown by their name."""
    if action.startswith("step."):
        return _step_sentence(action[5:], after)
    if action in ("move", "resolve", "close", "reopen"):
        old, new = before.get("status", ""), after.get("status", "")
        return _change(_("Status"), labels.status_label(old), labels.status_label(new))
    if action == "open":
        return _("Case opened: %(kind)s, playbook %(playbook)s") % {
            "kind": labels.kind_label(after.get("kind", "")),
            "playbook": labels.playbook_label(after.get("playbook", "?")),
        }
    if action == "remedy":
        amount = int(after.get("amount") or 0)
        money = labels.money(amount, case.order.currency) if amount else ""
        return " ".join((_("Remedy recorded:"), labels.remedy_label(after.get("kind", "")), money))
    return _simple_sentence(action, before, after)


def _simple_sentence(action: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """The audit actions that read as one fixed sentence, some with one value."""
    if action == "pod.received":
        strength = str(labels.POD_LABELS.get(after.get("strength", ""), after.get("strength")))
        return _("Proof of delivery received: %(strength)s") % {"strength": strength}
    if action == "claim.file":
        return _("Carrier claim filed, reference %(reference)s") % after
    if action == "claim.outcome":
        status = labels.CLAIM_STATUS_LABELS.get(after.get("status", ""), after.get("status"))
        return _("Carrier claim: %(status)s") % {"status": status}
    if action == "playbook":
        return _change(_("Playbook"), before.get("playbook"), after.get("playbook"))
    if action == "kind":
        old, new = (
            labels.kind_label(before.get("kind", "")),
            labels.kind_label(after.get("kind", "")),
        )
        return _change(_("Kind"), old, new)
    if action == "assign":
        name = after.get("assignee") or labels.unassigned()
        return _("Assigned to %(name)s") % {"name": name}
    if action == "reopen.why":
        return _("Reason for reopening: %(why)s") % after if after.get("why") else ""
    if action == "deny":
        reason = after.get("reason") or ""
        return _("Claim denied") + (f": {reason}" if reason else "")
    fixed = {
        "pod.request": _("Proof of delivery requested from the carrier"),
        "reply": _("Reply sent to the customer")
        if after.get("queued")
        else _("Reply not sent: the case has no contact address"),
    }
    return fixed.get(action, action)


def case_stream(case: Case) -> list[StreamItem]:
    """Everything that happened on the case and its parcel, oldest first."""
    items = [
        *_notes(case),
        *_events(case),
        *_messages(case),
        *_declarations(case),
        *_photos(case),
        *_claim_reminders(case),
        *_audit(case),
    ]
    return sorted(items, key=lambda item: (item.at, ORDER.index(item.kind)))
