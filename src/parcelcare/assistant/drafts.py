"""What agents do with a draft: send it (as written or edited) through the outbox, or dismiss it."""

from datetime import datetime
from typing import Any

from django.db import transaction

from parcelcare.accounts.audit import record
from parcelcare.domain.intents import Intent

from .models import AssistantSettings, InboundMessage
from .respond import queue_reply

OUT = InboundMessage.Outcome


class DraftError(ValueError):
    """A draft action that cannot be done; the message says why, for the agent."""


def send_draft(*, message_id: int, shop_id: int, text: str, user: Any, now: datetime) -> None:
    """Send the agent's answer to the customer of the message's order, audited."""
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update()
            .filter(pk=message_id, shop_id=shop_id, outcome=OUT.DRAFT)
            .first()
        )
        if message is None:
            raise DraftError("this message is not waiting for an answer any more")
        if message.shipment_id is None or message.order_id is None:
            raise DraftError("no order is linked to this message; answer it from your mailbox")
        if not text.strip():
            raise DraftError("the answer is empty")
        message.reply = text.strip()[:5000]
        message.outbox = queue_reply(message, message.reply, now, shipment_id=message.shipment_id)
        _close(message, OUT.SENT_BY_AGENT, user, now)


def dismiss_draft(*, message_id: int, shop_id: int, user: Any, now: datetime) -> None:
    """Close a draft without answering (spam, answered elsewhere), audited."""
    with transaction.atomic():
        updated = InboundMessage.objects.select_for_update().filter(
            pk=message_id, shop_id=shop_id, outcome=OUT.DRAFT
        )
        message = updated.first()
        if message is None:
            raise DraftError("this message is not waiting for an answer any more")
        _close(message, OUT.DISMISSED, user, now)


def _close(message: InboundMessage, outcome: str, user: Any, now: datetime) -> None:
    message.outcome, message.handled_by, message.handled_at = outcome, user, now
    message.save(update_fields=["outcome", "handled_by", "handled_at", "reply", "outbox"])
    record(
        shop_id=message.shop_id,
        at=now,
        actor_type="agent",
        actor=user.get_username(),
        subject_type="inbound_message",
        subject_id=message.pk,
        action=f"assistant.{outcome}",
        before={"outcome": OUT.DRAFT},
        after={"outcome": outcome, "outbox": message.outbox_id},
    )


def save_settings(
    *,
    config: AssistantSettings,
    enabled: bool,
    intents: list[str],
    returns_url: str,
    user: Any,
    now: datetime,
) -> None:
    """Store the shop's assistant settings with one audit entry of what changed."""
    known = [str(i) for i in Intent if i != Intent.OTHER]
    chosen = sorted(i for i in intents if i in known)
    before = {
        "enabled": config.enabled,
        "auto_intents": config.auto_intents,
        "returns_url": config.returns_url,
    }
    after = {"enabled": enabled, "auto_intents": chosen, "returns_url": returns_url}
    with transaction.atomic():
        config.enabled, config.auto_intents, config.returns_url = enabled, chosen, returns_url
        config.updated_at = now
        config.save()
        record(
            shop_id=config.shop_id,
            at=now,
            actor_type="agent",
            actor=user.get_username(),
            subject_type="assistant_settings",
            subject_id=config.pk,
            action="assistant.settings",
            before=before,
            after=after,
        )
