"""The explicit list of background tasks and their schedules (huey)."""

import logging
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
