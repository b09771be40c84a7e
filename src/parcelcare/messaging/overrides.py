"""A shop's own message texts: what can be overridden, checking, saving with audit, loading."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.template import TemplateSyntaxError

from parcelcare.accounts.audit import record
from parcelcare.accounts.models import Shop
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.domain.vocabulary import LANGUAGES

from .models import OutboxMessage, TemplateOverride
from .render import (
    FILE_CHANNEL,
    TEMPLATES,
    MissingTemplate,
    Rendered,
    render,
    template_name,
    validate_override,
)
from .samples import sample_context

CHANNELS = (Channel.EMAIL, Channel.SMS)
"""The template channels a shop can write: WhatsApp sends what the SMS says."""
MAX_SOURCE = 20_000
OverrideKey = tuple[int, str, str, str]
"""(shop id, kind, template channel, language)."""


@dataclass(frozen=True)
class Slot:
    """One text a shop may replace: a message kind, its template channel and a language."""

    kind: MessageKind
    channel: Channel
    language: str

    @classmethod
    def parse(cls, kind: str, channel: str, language: str) -> "Slot | None":
        """The slot named in a URL, or None when it is not one shops can edit."""
        if not _known(kind, channel):
            return None
        slot = cls(MessageKind(kind), Channel(channel), language)
        return slot if slot in slots() else None


def _known(kind: str, channel: str) -> bool:
    return kind in MessageKind.__members__.values() and channel in CHANNELS


def _file(kind: MessageKind, channel: Channel, language: str) -> str | None:
    path = TEMPLATES / template_name(kind, language, channel)
    return path.read_text(encoding="utf-8") if path.is_file() else None


@cache
def slots() -> tuple[Slot, ...]:
    """Every kind and channel with a shipped text, in every language (English fills gaps)."""
    return tuple(
        Slot(kind, channel, language)
        for kind in MessageKind
        for channel in CHANNELS
        if any(_file(kind, channel, lang) is not None for lang in LANGUAGES)
        for language in LANGUAGES
    )


def default_source(slot: Slot) -> str:
    """The text parcelcare ships for the slot: its own language, else English."""
    for language in (slot.language, "en"):
        text = _file(slot.kind, slot.channel, language)
        if text is not None:
            return text
    raise MissingTemplate(f"no {slot.channel} template for {slot.kind}")


def render_draft(shop: Shop, slot: Slot, source: str, now: datetime) -> Rendered:
    """The draft rendered with the sample context; ValueError says what is wrong and where."""
    too_long = f"the text is longer than {MAX_SOURCE} characters"
    error = too_long if len(source) > MAX_SOURCE else validate_override(source, slot.channel)
    if error:
        raise ValueError(error)
    context = sample_context(shop, slot.kind, slot.channel, slot.language, now)
    try:
        return render(slot.kind, slot.channel, context, override=source)
    except (TemplateSyntaxError, MissingTemplate, ValueError) as problem:
        raise ValueError(str(problem)) from None


def save_override(*, shop: Shop, slot: Slot, source: str, user: Any, now: datetime) -> str | None:
    """Store the shop's text for a slot with an audit entry; the error instead when it is broken."""
    try:
        render_draft(shop, slot, source, now)
    except ValueError as error:
        return str(error)
    with transaction.atomic():
        found = TemplateOverride.objects.select_for_update().filter(shop=shop, **_fields(slot))
        before = found.values_list("source", flat=True).first()
        override, _ = TemplateOverride.objects.update_or_create(
            shop=shop,
            kind=slot.kind.value,
            channel=slot.channel.value,
            language=slot.language,
            defaults={"source": source, "updated_at": now, "updated_by": user},
        )
        _audit(shop, override.id, user, "template_override_saved", before, source, slot, now)
    return None


def reset_override(*, shop: Shop, slot: Slot, user: Any, now: datetime) -> bool:
    """Go back to parcelcare's text for a slot, with an audit entry; False when none was set."""
    with transaction.atomic():
        found = TemplateOverride.objects.select_for_update().filter(shop=shop, **_fields(slot))
        override = found.first()
        if override is None:
            return False
        before = override.source
        override_id = override.id
        override.delete()
        _audit(shop, override_id, user, "template_override_removed", before, None, slot, now)
    return True


def _fields(slot: Slot) -> dict[str, str]:
    return {"kind": slot.kind.value, "channel": slot.channel.value, "language": slot.language}


def _audit(
    shop: Shop,
    override_id: int,
    user: Any,
    action: str,
    before: str | None,
    after: str | None,
    slot: Slot,
    now: datetime,
) -> None:
    def state(source: str | None) -> dict[str, str] | None:
        return None if source is None else {**_fields(slot), "source": source}

    record(
        shop_id=shop.id,
        at=now,
        actor_type="agent",
        actor=user.get_username(),
        subject_type="template_override",
        subject_id=override_id,
        action=action,
        before=state(before),
        after=state(after),
    )


def overridden(shop: Shop) -> dict[Slot, datetime]:
    """The shop's overridden slots and when each was last changed."""
    rows = TemplateOverride.objects.filter(shop=shop).values_list(
        "kind", "channel", "language", "updated_at"
    )
    return {
        Slot(MessageKind(kind), Channel(channel), language): at
        for kind, channel, language, at in rows
        if _known(kind, channel)
    }


def load_overrides(message_ids: Iterable[int]) -> dict[OverrideKey, str]:
    """Every override of the shops these outbox messages belong to, in one query."""
    shops = OutboxMessage.objects.filter(id__in=list(message_ids)).values("shop_id")
    rows = TemplateOverride.objects.filter(shop_id__in=shops).values_list(
        "shop_id", "kind", "channel", "language", "source"
    )
    return {(shop_id, kind, channel, lang): source for shop_id, kind, channel, lang, source in rows}


def override_key(shop_id: int, kind: str, channel: str, language: str) -> OverrideKey:
    """Where a message's override is found: WhatsApp reads the SMS text."""
    return (shop_id, kind, FILE_CHANNEL[Channel(channel)], language)
