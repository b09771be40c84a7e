"""The explicit list of background tasks and their schedules (huey)."""

import logging
from importlib import import_module
from typing import Any

from django.conf import settings
from huey import Huey, RedisHuey, SqliteHuey, crontab

from parcelcare import clock

log = logging.getLogger(__name__)


def make_huey(config: dict[str, Any]) -> Huey:
    """The huey instance the settings ask for: SQLite embedded, Redis when scaled out."""
    if config.get("url"):
        return RedisHuey(config["name"], url=config["url"])
    return SqliteHuey(
        config["name"], filename=config["filename"], immediate=config.get("immediate", False)
    )


huey = make_huey(settings.HUEY)

TASK_MODULES = (
    "parcelcare.tracking.review",
    "parcelcare.integrations.sources",
    "parcelcare.tracking.inbox",
    "parcelcare.integrations.polling.client",
    "parcelcare.tracking.polling",
    "parcelcare.messaging.channels",
    "parcelcare.messaging.sender",
    "parcelcare.cases.follow",
)
"""What the tasks below import when they first run (kept lazy so this module stays light)."""


def preload() -> None:
    """Import every task's code now, e.g. in a server before it forks its workers."""
    for name in TASK_MODULES:
        import_module(name)


@huey.periodic_task(crontab(minute="*"))
def review_due_shipments() -> dict[str, int]:
    """Every minute: review the shipments whose next_review_at has come."""
    from parcelcare.tracking.review import review_due

    report = review_due(clock.now())
    if report.reviewed:
        log.info(
            "review: %d shipments, %d findings opened, %d closed",
            report.reviewed,
            report.opened,
            report.closed,
        )
    return {"reviewed": report.reviewed, "opened": report.opened, "closed": report.closed}


@huey.periodic_task(crontab(minute="*"))
def sweep_inbox() -> dict[str, int]:
    """Every minute: process webhook deliveries that are new, due for a retry, or stuck."""
    return process_inbox.call_local()


@huey.task()
def process_inbox() -> dict[str, int]:
    """Process the webhook inbox now (triggered right after a delivery is stored)."""
    from parcelcare.integrations.sources import INBOX_SOURCES
    from parcelcare.tracking.inbox import process_due

    counts = process_due(INBOX_SOURCES, clock.now())
    if counts:
        log.info("inbox: %s", counts)
    return counts


@huey.periodic_task(crontab(minute="*/5"))
def polls_due() -> dict[str, int]:
    """Every five minutes: ask carriers about shipments whose next poll has come."""
    from parcelcare.integrations.polling.client import fetch
    from parcelcare.tracking.polling import RATE_BUCKETS, poll_due, polling_shops, schedule_polls

    shops = polling_shops()
    if not shops:
        return {}
    now = clock.now()
    for shop_id in shops:
        schedule_polls(shop_id=shop_id, now=now)
    counts = poll_due(now=now, fetcher=fetch, buckets=RATE_BUCKETS)
    if counts:
        # Counts only: tracking numbers and carrier answers stay out of the log.
        log.info("polls: %s", counts)
    return counts


@huey.periodic_task(crontab(minute="*"))
def send_messages() -> dict[str, int]:
    """Every minute: send the outbox messages that are due."""
    from parcelcare.messaging.channels import configured
    from parcelcare.messaging.sender import send_due

    counts = send_due(configured(), clock.now())
    if counts:
        log.info("outbox: %s", counts)
    return counts


@huey.task()
def send_messages_now() -> dict[str, int]:
    """Send due messages now (triggered when a case answers a customer)."""
    return send_messages.call_local()


@huey.periodic_task(crontab(minute="*"))
def case_desk() -> dict[str, int]:
    """Every minute: open proactive cases, let open cases follow tracking, remind of claims."""
    from dataclasses import asdict

    from parcelcare.cases.follow import desk_pass

    counts = asdict(desk_pass(clock.now()))
    if any(counts.values()):
        log.info("case desk: %s", counts)
    return counts


@huey.periodic_task(crontab(minute="*"))
def pay_refunds() -> dict[str, int]:
    """Every minute: pay out refunds that are due, retry failed tries, check pending ones."""
    from parcelcare.ledger.payouts import pay_due

    counts = pay_due(clock.now())
    if counts:
        log.info("payouts: %s", counts)
    return counts


@huey.task()
def pay_refunds_now() -> dict[str, int]:
    """Pay out refunds now (triggered right after a refund is booked)."""
    return pay_refunds.call_local()


@huey.task()
def open_shopify_return(shop_id: int, request_id: int) -> str:
    """Open an approved return of a Shopify order in Shopify too (after the approval)."""
    from parcelcare.ledger.shopify_returns import open_in_shopify

    return open_in_shopify(shop_id=shop_id, request_id=request_id, now=clock.now())


@huey.periodic_task(crontab(minute="*/5"))
def follow_returns() -> dict[str, int]:
    """Every five minutes: returns whose parcel the carrier scanned or delivered move on."""
    from parcelcare.returns.follow import follow_return_parcels

    counts = follow_return_parcels(clock.now())
    if counts:
        log.info("returns: %s", counts)
    return counts


@huey.periodic_task(crontab(minute="*"))
def answer_messages() -> dict[str, int]:
    """Every minute: answer customer messages that are new, due for a retry, or stuck."""
    from parcelcare.assistant.inbox import process_due
    from parcelcare.assistant.respond import handle

    counts = process_due(handle, clock.now())
    if counts:
        log.info("assistant: %s", counts)
    return counts


@huey.task()
def answer_messages_now() -> dict[str, int]:
    """Answer stored customer messages now (triggered when one arrives)."""
    return answer_messages.call_local()


@huey.periodic_task(crontab(minute="*"))
def send_asks() -> dict[str, int]:
    """Every minute: send the asks to unverified senders that are due (new or retried)."""
    from parcelcare.assistant.asks import send_due_asks
    from parcelcare.messaging.channels import configured

    counts = send_due_asks(configured(), clock.now())
    if counts:
        log.info("asks: %s", counts)
    return counts


@huey.task()
def send_asks_now() -> dict[str, int]:
    """Send due asks now (triggered when one is stored)."""
    return send_asks.call_local()


@huey.periodic_task(crontab(minute="*"))
def poll_mailboxes() -> dict[str, int]:
    """Every minute: take in new customer e-mail from the shops' IMAP mailboxes."""
    from parcelcare.assistant.mailboxes import poll_all

    counts = poll_all(clock.now())
    if counts["messages"]:
        log.info("mailboxes: %s", counts)
    return counts
