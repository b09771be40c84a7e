"""IMAP polling: each shop mailbox read from its UIDVALIDITY + UID cursor into the inbox."""

import logging
from datetime import datetime

from django.db import transaction

from parcelcare.integrations.inbound.imap import ImapError, MailboxAccess, poll

from .inbox import receive_email
from .models import Mailbox

log = logging.getLogger(__name__)


def poll_mailbox(mailbox: Mailbox, now: datetime) -> int:
    """Take in the mailbox's new mail; the cursor moves only with the messages stored."""
    access = MailboxAccess(
        host=mailbox.host,
        port=mailbox.port,
        username=mailbox.username,
        password=mailbox.password,
        folder=mailbox.folder,
        security=mailbox.security,
    )
    try:
        polled = poll(access, mailbox.uidvalidity, mailbox.last_uid)
    except ImapError as error:
        Mailbox.objects.filter(pk=mailbox.pk).update(polled_at=now, last_error=str(error)[:300])
        log.warning("mailbox %s: %s", mailbox.pk, error)
        return 0
    stored = 0
    with transaction.atomic():
        for _uid, email in polled.messages:
            if email.auto_submitted or not email.message_id or not email.text:
                continue
            received = receive_email(shop_id=mailbox.shop_id, email=email, now=now)
            stored += not received.duplicate
        Mailbox.objects.filter(pk=mailbox.pk).update(
            uidvalidity=polled.uidvalidity, last_uid=polled.last_uid, polled_at=now, last_error=""
        )
    if polled.reset:
        log.info("mailbox %s: UIDVALIDITY changed, read again from the start", mailbox.pk)
    return stored


def poll_all(now: datetime) -> dict[str, int]:
    """One pass over every configured mailbox."""
    counts = {"mailboxes": 0, "messages": 0}
    for mailbox in Mailbox.objects.order_by("id"):
        counts["mailboxes"] += 1
        counts["messages"] += poll_mailbox(mailbox, now)
    return counts
