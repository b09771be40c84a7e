"""Display labels of the shared vocabulary and findings described in words, in four languages."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
F = FindingKind
R = IncidentReason

SEP = " · "
DATE_SKELETON = "yMMMd"
TIME_SKELETON = "Hm"

STATUS_LABELS: dict[str, Promise] = {
    S.PENDING: gettext_lazy("Pending"),
    S.INFO_RECEIVED: gettext_lazy("Label created"),
    S.IN_TRANSIT: gettext_lazy("In transit"),
    S.OUT_FOR_DELIVERY: gettext_lazy("Out for delivery"),
    S.FAILED_ATTEMPT: gettext_lazy("Delivery attempt failed"),
    S.AVAILABLE_FOR_PICKUP: gettext_lazy("Ready for pickup"),
    S.DELIVERED: gettext_lazy("Delivered"),
    S.EXCEPTION: gettext_lazy("Carrier exception"),
    S.RETURNING: gettext_lazy("Returning to sender"),
    S.RETURNED: gettext_lazy("Returned to sender"),
    S.EXPIRED: gettext_lazy("Tracking expired"),
    S.CANCELLED: gettext_lazy("Cancelled"),
}

FINDING_LABELS: dict[str, Promise] = {
    F.NOT_SHIPPED: gettext_lazy("Not shipped"),
    F.DELAYED: gettext_lazy("Delayed"),
    F.STALLED: gettext_lazy("No movement"),
    F.LIKELY_LOST: gettext_lazy("Likely lost"),
    F.FAILED_ATTEMPT: gettext_lazy("Failed attempt"),
    F.AWAITING_PICKUP: gettext_lazy("Awaiting pickup"),
    F.RETURNING_TO_SENDER: gettext_lazy("Returning to sender"),
    F.RETURNED_TO_SENDER: gettext_lazy("Returned to sender"),
    F.CARRIER_EXCEPTION: gettext_lazy("Carrier exception"),
    F.DELIVERED: gettext_lazy("Delivered"),
}

# Reasons are written to read inside a sentence ("Failed attempt #2 · recipient unavailable");
# templates apply capfirst where a reason stands alone.
REASON_LABELS: dict[str, Promise] = {
    R.ADDRESS_ISSUE: gettext_lazy("address issue"),
    R.RECIPIENT_UNAVAILABLE: gettext_lazy("recipient unavailable"),
    R.REFUSED: gettext_lazy("refused by recipient"),
    R.DAMAGED: gettext_lazy("damaged"),
    R.LOST: gettext_lazy("lost"),
    R.CUSTOMS_HOLD: gettext_lazy("held at customs"),
    R.CARRIER_DELAY: gettext_lazy("carrier delay"),
    R.WEATHER: gettext_lazy("weather conditions"),
    R.ACCESS_PROBLEM: gettext_lazy("no access to the address"),
    R.HELD_AT_DEPOT: gettext_lazy("held at depot"),
    R.MISSING_DOCUMENTS: gettext_lazy("missing documents"),
    R.OTHER: gettext_lazy("other reason"),
}

STATUS_TONES: dict[str, str] = {
    S.PENDING: "muted",
    S.INFO_RECEIVED: "muted",
    S.IN_TRANSIT: "info",
    S.OUT_FOR_DELIVERY: "info",
    S.FAILED_ATTEMPT: "warn",
    S.AVAILABLE_FOR_PICKUP: "warn",
    S.DELIVERED: "ok",
    S.EXCEPTION: "danger",
    S.RETURNING: "warn",
    S.RETURNED: "danger",
    S.EXPIRED: "warn",
    S.CANCELLED: "muted",
}
"""Badge colour of each status, by how urgently an agent should look."""

FINDING_TONES: dict[str, str] = {
    F.NOT_SHIPPED: "warn",
    F.DELAYED: "warn",
    F.STALLED: "warn",
    F.LIKELY_LOST: "danger",
    F.FAILED_ATTEMPT: "warn",
    F.AWAITING_PICKUP: "warn",
    F.RETURNING_TO_SENDER: "warn",
    F.RETURNED_TO_SENDER: "danger",
    F.CARRIER_EXCEPTION: "danger",
    F.DELIVERED: "ok",
}
"""Chip colour of each finding kind; delayed level 3 is raised to danger."""


def status_label(code: str | None) -> str:
    """The status in words; an unknown or missing code is shown as it is."""
    return str(STATUS_LABELS.get(code or "", code or "—"))


def finding_label(kind: str) -> str:
    """The finding kind in words."""
    return str(FINDING_LABELS.get(kind, kind))


def reason_label(code: str | None) -> str:
    """The incident reason in words, lower case first; empty when there is none."""
    if not code:
        return ""
    return str(REASON_LABELS.get(code, code))


def level_label(level: int) -> str:
    """'level 2' in the active language."""
    return _("level %(level)d") % {"level": level}


def _moment(value: Any) -> datetime | date | None:
    """An ISO date or timestamp from evidence, or None when it is missing or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _locale() -> Locale:
    """The Babel locale of the active Django language."""
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def when(value: Any) -> str:
    """A date, or a timestamp in the active time zone, as the active language writes it."""
    moment = _moment(value) if isinstance(value, str) else value
    locale = _locale()
    if isinstance(moment, datetime):
        zone = timezone.get_current_timezone()
        day = format_skeleton(DATE_SKELETON, moment, tzinfo=zone, locale=locale)
        clock = format_skeleton(TIME_SKELETON, moment, tzinfo=zone, locale=locale)
        return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", clock)
    if isinstance(moment, date):
        return format_skeleton(DATE_SKELETON, moment, locale=locale)
    return ""


def _ago(count: int, unit: str) -> str:
    if unit == "day":
        text = ngettext("%(count)d day ago", "%(count)d days ago", count)
    elif unit == "hour":
        text = ngettext("%(count)d hour ago", "%(count)d hours ago", count)
    else:
        text = ngettext("%(count)d minute ago", "%(count)d minutes ago", count)
    return text % {"count": count}


def _ahead(count: int, unit: str) -> str:
    if unit == "day":
        text = ngettext("in %(count)d day", "in %(count)d days", count)
    elif unit == "hour":
        text = ngettext("in %(count)d hour", "in %(count)d hours", count)
    else:
        text = ngettext("in %(count)d minute", "in %(count)d minutes", count)
    return text % {"count": count}


def relative(moment: datetime | None, now: datetime) -> str:
    """'3 days ago' or 'in 2 hours', to the largest whole unit only."""
    if moment is None:
        return ""
    seconds = int((moment - now).total_seconds())
    size = abs(seconds)
    if size < 60:
        return _("just now")
    count, unit = next(
        (size // n, u) for n, u in ((86400, "day"), (3600, "hour"), (60, "minute")) if size >= n
    )
    return _ahead(count, unit) if seconds > 0 else _ago(count, unit)


def _business_days_late(days: int) -> str:
    text = ngettext("%(days)d business day late", "%(days)d business days late", days)
    return text % {"days": days}


def _quiet(days: int) -> str:
    text = ngettext("no scan for %(days)d business day", "no scan for %(days)d business days", days)
    return text % {"days": days}


def _not_scanned(days: int) -> str:
    text = ngettext(
        "label created %(days)d business day ago", "label created %(days)d business days ago", days
    )
    return text % {"days": days}


def _days_left(days: int) -> str:
    if days <= 0:
        return _("last day to collect")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


def _field(finding: Any, name: str) -> Any:
    if isinstance(finding, Mapping):
        return finding.get(name)
    return getattr(finding, name, None)


def _evidence(finding: Any) -> Mapping[str, Any]:
    evidence = _field(finding, "evidence")
    return evidence if isinstance(evidence, Mapping) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _headline(kind: str, finding: Any) -> str:
    """The finding kind, with its level or attempt number when it has one."""
    level, attempt = _int(_field(finding, "level")), _int(_field(finding, "attempt"))
    if kind == F.DELAYED and level:
        late = _int(_evidence(finding).get("business_days_late"))
        detail = f" ({_business_days_late(late)})" if late else ""
        return f"{finding_label(kind)}{SEP}{level_label(level)}{detail}"
    if kind == F.FAILED_ATTEMPT and attempt:
        return _("Failed attempt #%(attempt)d") % {"attempt": attempt}
    return finding_label(kind)


def _counted(kind: str, evidence: Mapping[str, Any]) -> str:
    """The day count the evidence carries, in words; empty when there is none."""
    if kind in (F.STALLED, F.LIKELY_LOST) and _int(evidence.get("quiet_business_days")):
        return _quiet(int(evidence["quiet_business_days"]))
    if kind == F.AWAITING_PICKUP and _int(evidence.get("days_left")) is not None:
        return _days_left(int(evidence["days_left"]))
    if kind == F.NOT_SHIPPED and _int(evidence.get("business_days")):
        return _not_scanned(int(evidence["business_days"]))
    return ""


def finding_words(finding: Any) -> str:
    """A finding (model or dict) in one line, e.g. 'Delayed · level 2 (2 business days late)'."""
    kind = str(_field(finding, "kind") or "")
    parts = [
        _headline(kind, finding),
        _counted(kind, _evidence(finding)),
        reason_label(_field(finding, "reason")),
    ]
    return SEP.join(part for part in parts if part)


def finding_tone(finding: Any) -> str:
    """The chip colour of one finding."""
    kind = str(_field(finding, "kind") or "")
    if kind == F.DELAYED and (_int(_field(finding, "level")) or 0) >= 3:
        return "danger"
    return FINDING_TONES.get(kind, "muted")


EVIDENCE_SENTENCES: dict[str, Promise] = {
    "promised_date": gettext_lazy("Promised date: %(value)s"),
    "last_event_at": gettext_lazy("Last carrier scan: %(value)s"),
    "label_created_at": gettext_lazy("Label created: %(value)s"),
    "attempted_at": gettext_lazy("Delivery attempted: %(value)s"),
    "deadline": gettext_lazy("Pickup deadline: %(value)s"),
    "since": gettext_lazy("Status since: %(value)s"),
    "delivered_at": gettext_lazy("Delivered: %(value)s"),
}
"""How each dated evidence field reads; counted fields are already in finding_words."""

COUNTED = frozenset({"business_days_late", "quiet_business_days", "days_left", "business_days"})


def evidence_words(finding: Any) -> list[str]:
    """The finding's evidence as short sentences; unknown fields are shown as received."""
    lines: list[str] = []
    for key, value in _evidence(finding).items():
        if key in COUNTED:
            continue
        sentence = EVIDENCE_SENTENCES.get(key)
        shown = when(value)
        if sentence is not None and shown:
            lines.append(str(sentence) % {"value": shown})
        elif value not in (None, ""):
            lines.append(f"{key}: {value}")
    return lines
