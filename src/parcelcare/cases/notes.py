"""The case's own stream: messages from the customer and agents' internal notes and replies."""

from datetime import datetime

from django.db import transaction

from . import messages
from .actors import CUSTOMER, Who, audit, lock, mark_first_response
from .models import Case, CaseNote


def add_note(*, case: Case, body: str, who: Who, now: datetime, inbound: bool = False) -> CaseNote:
    """A customer's message or an agent's internal note, audited without its text."""
    body = body.strip()
    if not body:
        raise ValueError("a note needs some text")
    note = CaseNote.objects.create(
        case=case,
        at=now,
        direction=CaseNote.Direction.INBOUND if inbound else CaseNote.Direction.INTERNAL,
        author=who.name or who.kind,
        body=body[:10_000],
    )
    audit(case, who, "message_in" if inbound else "note", now, None, {"note": note.pk})
    return note


def reply(*, case: Case, body: str, who: Who, now: datetime) -> bool:
    """Send the agent's own words to the customer; the first reply answers the SLA clock."""
    body = body.strip()
    if not body:
        raise ValueError("a reply needs some text")
    with transaction.atomic():
        case = lock(case)
        count = case.notes.count() + case.steps.count()
        queued = messages.queue(
            case, messages.REPLY, now, detail=f"r{now:%H%M%S}{count}", body=body
        )
        audit(case, who, "reply", now, None, {"queued": queued})
        mark_first_response(case, who, now)
    return queued


def customer_message(*, case: Case, body: str, now: datetime) -> CaseNote:
    """A message the customer wrote on their case page, stored and audited in one go."""
    with transaction.atomic():
        return add_note(case=lock(case), body=body, who=CUSTOMER, now=now, inbound=True)
